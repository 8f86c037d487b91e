import TranscodeBackend

extension NVIDIAInfo {
    /// Why CUDA cannot run here, in the probe's own words, or nil with a GPU to run on: the
    /// first check of every NVIDIA pipeline (NVENC, CUDA, NVDEC + x264).
    public var cudaProblem: Availability? {
        guard cudaAvailable else {
            // The probe's sentence already names the failing step ("cannot load libcuda.so.1: ...",
            // "cuInit failed: CUDA_ERROR_NO_DEVICE (...)").
            let detail = cudaError ?? "cannot load libcuda.so.1"
            let lead = detail.hasPrefix("cannot load") ? "no NVIDIA driver" : "the NVIDIA driver cannot run CUDA"
            return .unavailable("\(lead): \(detail)")
        }
        guard !devices.isEmpty else { return .unavailable("the NVIDIA driver is loaded but CUDA finds no GPU") }
        return nil
    }
}
