import TranscodeBackend

extension NVENCBackend {
    /// The checks every NVENC pipeline needs: the encoders in the build, a CUDA driver
    /// with a GPU, and `libnvidia-encode.so.1`. `pipeline` names the backend in the sentence.
    public static func driverAvailability(on inventory: HardwareInventory, pipeline: String) -> Availability {
        let built = encoderNames.filter(inventory.hasEncoder)
        guard !built.isEmpty else {
            return .unavailable("this FFmpeg build has no h264_nvenc or hevc_nvenc encoder")
        }
        let nvidia = inventory.nvidia
        guard nvidia.cudaAvailable else {
            // The probe's sentence already names the failing step ("cannot load libcuda.so.1: ...",
            // "cuInit failed: CUDA_ERROR_NO_DEVICE (...)").
            let detail = nvidia.cudaError ?? "cannot load libcuda.so.1"
            let lead = detail.hasPrefix("cannot load") ? "no NVIDIA driver" : "the NVIDIA driver cannot run CUDA"
            return .unavailable("\(lead): \(detail)")
        }
        guard let gpu = nvidia.devices.first else {
            return .unavailable("the NVIDIA driver is loaded but CUDA finds no GPU")
        }
        guard nvidia.encodeLibrary else {
            let detail = nvidia.encodeLibraryError.map { " (\($0))" } ?? ""
            return .unavailable(
                "libnvidia-encode.so.1 is missing: install the NVIDIA encode library of the driver's version\(detail)"
            )
        }
        let driver = nvidia.driverVersion.map { ", driver \($0)" } ?? ""
        return .available("\(pipeline) on \(gpu.name)\(driver): \(built.joined(separator: ", "))")
    }
}
