import NVIDIAInventory
import TranscodeBackend

/// NVDEC decode and `scale_cuda` on an NVIDIA GPU, then libx264 on the CPU: for GPUs
/// without an NVENC encoder (A100, H100, ...), where the decode is the part the GPU can take.
///
/// Ranked above plain x264 (it spares the CPU the decode) and below every hardware encoder.
/// Suits a source only when the probe's NVDEC caps list its codec and bit depth.
public struct CUDADecodeBackend: EncoderBackend {
    /// Creates the backend.
    public init() {}

    /// Identifier for `--backend` and logs.
    public let id = "cuda-decode"
    /// FFmpeg encoders this backend drives: the software one; the GPU only decodes.
    public let encoders = ["libx264"]
    /// Tag for `hardware_acceleration` in registration: the pipeline needs CUDA.
    public let hardwareAPI: String? = "cuda"
    /// Preference for `auto`: above x264 (0), below VA-API (10) and the NVENC pipelines.
    public let rank = 5
    /// Tone map and burn-in on the CPU after the download, before libx264.
    public let pictureFeatures = PictureFeatures.all

    /// Available with libx264 in the build, a CUDA driver with a GPU, and NVDEC on one of them.
    public func availability(on inventory: HardwareInventory) -> Availability {
        guard inventory.hasEncoder("libx264") else { return .unavailable("this FFmpeg build has no libx264 encoder") }
        let nvidia = inventory.nvidia
        if let problem = nvidia.cudaProblem { return problem }
        guard let first = nvidia.devices.first else { return .unavailable("the NVIDIA driver is loaded but CUDA finds no GPU") }
        let driver = nvidia.driverVersion.map { ", driver \($0)" } ?? ""
        let probed = nvidia.devices.filter { $0.nvdec != nil }
        // Inventories recorded before hwdetect read the decoder caps: NVDECSupport's table decides per source.
        guard !probed.isEmpty else { return .available("NVDEC on \(first.name)\(driver) (codec table): libx264") }
        let decoding = probed.filter { $0.nvdec?.error == nil && $0.nvdec?.codecs.isEmpty == false }
        guard !decoding.isEmpty else {
            let errors = probed.map { "\($0.name): \($0.nvdec?.error ?? "no codec")" }
            return .unavailable("NVDEC cannot decode here (\(errors.joined(separator: "; ")))")
        }
        let gpus = decoding.map { device in
            let index = nvidia.devices.count > 1 ? "GPU \(device.index) " : ""
            return "\(index)\(device.name) (\(Self.decodeSummary(device)))"
        }
        return .available("NVDEC on \(gpus.joined(separator: ", "))\(driver): libx264")
    }

    /// True when NVDEC decodes the source's codec, judged by ffprobe's names alone.
    public func suits(_ source: SourceInfo) -> Bool {
        NVDECSupport.canDecode(codec: source.videoCodec, pixelFormat: source.pixelFormat)
    }

    /// True when a GPU's NVDEC decodes the source's codec at its bit depth (the probe's caps).
    public func suits(_ source: SourceInfo, on inventory: HardwareInventory) -> Bool {
        !NVDECSupport.decoders(for: source, in: inventory.nvidia).isEmpty
    }

    /// NVDEC decode to GPU memory, `scale_cuda` to 8-bit 4:2:0, `hwdownload`, libx264 as
    /// `X264Backend` runs it; a remux gets the plain remux list.
    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        var command = FFmpegCommand()
        // A remux decodes nothing, so it needs no device: the same list as any remux.
        guard !request.forceRemux else { return command.arguments(for: request) }
        let gpu = NVDECSupport.decoders(for: request.source, in: inventory.nvidia).first
        command.inputOptions = ["-hwaccel", "cuda", "-hwaccel_output_format", "cuda"] + NVDECSupport.deviceOptions(for: gpu)
        // The GPU turns 10-bit into 8-bit 4:2:0; hwdownload then hands x264 the layout it
        // gets in X264Backend, so both produce the same stream.
        // Tone mapping and subtitles run on the CPU after the download (PictureFilters).
        if PictureFeatures(needsOf: request).isEmpty {
            command.videoFilter = "scale_cuda=format=yuv420p,hwdownload,format=yuv420p"
        } else {
            PictureFilters.fill(&command, for: request, before: NVDECSupport.download(for: request))
        }
        command.videoCodec = ["-c:v", "libx264", "-preset", "veryfast"] + FFmpegCommand.bitrate(request.bitrateBps)
        command.keyframes = FFmpegCommand.forcedKeyframes(for: request) + ["-sc_threshold", "0"]
        return command.arguments(for: request)
    }

    /// `h264, hevc 8/10/12-bit, ...` from the decoder caps.
    static func decodeSummary(_ device: NVIDIADevice) -> String {
        let codecs = device.nvdec?.codecs ?? []
        var order: [String] = []
        var depths: [String: [Int]] = [:]
        for codec in codecs {
            if depths[codec.codec] == nil { order.append(codec.codec) }
            depths[codec.codec, default: []].append(codec.bitDepth)
        }
        return order.map { name in
            let bits = depths[name] ?? []
            return bits == [8] ? name : "\(name) \(bits.map(String.init).joined(separator: "/"))-bit"
        }.joined(separator: ", ")
    }
}
