import NVIDIAInventory
import TranscodeBackend

extension NVENCBackend {
    /// The checks every NVENC pipeline needs: the encoders in the build, a CUDA driver
    /// with a GPU, `libnvidia-encode.so.1`, and, where hwdetect opened an encode session,
    /// a GPU whose session worked. `pipeline` names the backend in the sentence.
    public static func driverAvailability(on inventory: HardwareInventory, pipeline: String) -> Availability {
        let built = encoderNames.filter(inventory.hasEncoder)
        guard !built.isEmpty else {
            return .unavailable("this FFmpeg build has no h264_nvenc or hevc_nvenc encoder")
        }
        let nvidia = inventory.nvidia
        if let problem = nvidia.cudaProblem { return problem }
        guard let gpu = nvidia.devices.first else { return .unavailable("the NVIDIA driver is loaded but CUDA finds no GPU") }
        guard nvidia.encodeLibrary else {
            let detail = nvidia.encodeLibraryError.map { " (\($0))" } ?? ""
            return .unavailable(
                "libnvidia-encode.so.1 is missing: install the NVIDIA encode library of the driver's version\(detail)"
            )
        }
        let driver = nvidia.driverVersion.map { ", driver \($0)" } ?? ""
        let encoders = built.joined(separator: ", ")
        let probed = nvidia.devices.filter { $0.nvenc != nil }
        // Inventories recorded before hwdetect opened a session: the library loads, that is all we know.
        guard !probed.isEmpty else { return .available("\(pipeline) on \(gpu.name)\(driver): \(encoders)") }
        let usable = encodingGPUs(nvidia)
        guard !usable.isEmpty else { return .unavailable(noEncoderReason(probed)) }
        let gpus = usable.map { device in
            let index = nvidia.devices.count > 1 ? "GPU \(device.index) " : ""
            return "\(index)\(device.name) (\(codecSummary(device)))"
        }
        return .available("\(pipeline) on \(gpus.joined(separator: ", "))\(driver): \(encoders)")
    }

    /// GPUs whose NVENC session opened (or was only busy), or every GPU where none was probed.
    public static func encodingGPUs(_ nvidia: NVIDIAInfo) -> [NVIDIADevice] {
        guard nvidia.devices.contains(where: { $0.nvenc != nil }) else { return nvidia.devices }
        // "busy" is the moment of detection (sessions taken by other programs), not the GPU.
        return nvidia.devices.filter { $0.nvenc?.verdict == .ok || $0.nvenc?.verdict == .busy }
    }

    /// `h264 up to 4096x4096, hevc 10-bit up to 8192x8192`, from the session's caps.
    static func codecSummary(_ device: NVIDIADevice) -> String {
        guard let probe = device.nvenc, probe.verdict == .ok else { return "every NVENC session was taken when probed" }
        return probe.codecs.map { codec in
            let depth = codec.tenBit ? " 10-bit" : ""
            return "\(codec.name)\(depth) up to \(codec.maxWidth)x\(codec.maxHeight)"
        }.joined(separator: ", ")
    }

    /// Why no GPU can encode: no encoder block (A100, H100), or the session's own error.
    static func noEncoderReason(_ probed: [NVIDIADevice]) -> String {
        let names = probed.map(\.name).joined(separator: ", ")
        if probed.allSatisfy({ $0.nvenc?.verdict == .noEncoder }) {
            return probed.count == 1
                ? "this GPU has no NVENC encoder (\(names))"
                : "these GPUs have no NVENC encoder (\(names))"
        }
        let errors = probed.map { "\($0.name): \($0.nvenc?.error ?? "unknown NVENC error")" }
        return "NVENC cannot open an encode session (\(errors.joined(separator: "; ")))"
    }
}
