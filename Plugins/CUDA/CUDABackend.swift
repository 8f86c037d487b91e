import NVENCBackend
import NVIDIAInventory
import TranscodeBackend

/// The whole pipeline on an NVIDIA GPU: NVDEC decode, `scale_cuda` conversion, NVENC encode.
///
/// Frames never leave GPU memory, so it beats `NVENCBackend` when NVDEC can decode the
/// source; `suits(_:)` says when it can. Keyframe, bitrate and availability rules are NVENC's.
public struct CUDABackend: EncoderBackend {
    /// Creates the backend; `sessionCapacity` counts NVENC sessions as `NVENCBackend` does.
    public init(sessionCapacity: Int? = 8) {
        self.sessionCapacity = sessionCapacity
    }

    /// Identifier for `--backend` and logs.
    public let id = "cuda"
    /// FFmpeg encoders this backend drives.
    public let encoders = NVENCBackend.encoderNames
    /// Tag for `hardware_acceleration` in registration.
    public let hardwareAPI: String? = "cuda"
    /// Preference for `auto`: the highest, where `suits` allows.
    public let rank = 30
    /// Tone map and burn-in after a download to the CPU (Debian's FFmpeg has no CUDA tone map
    /// or libass); NVENC then encodes the system-memory frames.
    public let pictureFeatures = PictureFeatures.all
    /// Concurrent NVENC sessions allowed on the GPU, counted across jobs; nil for unlimited.
    public let sessionCapacity: Int?
    /// Encodes through NVENC, so it draws on NVENC's session pool.
    public var sessionPool: String { NVENCBackend.sessionPoolName }

    /// NVENC's checks: the encoders in the build, a CUDA driver with a GPU and libnvidia-encode.
    public func availability(on inventory: HardwareInventory) -> Availability {
        // FFmpeg builds with NVENC also carry the cuda hwaccel and scale_cuda (Debian's 5.1 does).
        NVENCBackend.driverAvailability(on: inventory, pipeline: "NVDEC + NVENC")
    }

    /// True when NVDEC decodes the source's codec and pixel format (see `NVDECSupport`).
    public func suits(_ source: SourceInfo) -> Bool {
        NVDECSupport.canDecode(codec: source.videoCodec, pixelFormat: source.pixelFormat)
    }

    /// True when a GPU with NVENC also decodes the source, by the decoder caps hwdetect read.
    public func suits(_ source: SourceInfo, on inventory: HardwareInventory) -> Bool {
        Self.gpu(for: source, in: inventory.nvidia) != nil
    }

    /// The first GPU that both encodes (NVENC) and decodes the source (NVDEC).
    static func gpu(for source: SourceInfo, in nvidia: NVIDIAInfo) -> NVIDIADevice? {
        let encoding = Set(NVENCBackend.encodingGPUs(nvidia).map(\.index))
        return NVDECSupport.decoders(for: source, in: nvidia).first { encoding.contains($0.index) }
    }

    /// NVDEC decode to GPU memory, `scale_cuda`, NVENC (`FFmpegCommand` drops the device options on a remux).
    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        var command = FFmpegCommand()
        // The decoder opens the CUDA device itself and hands its frames to the filter graph.
        // On a box where CUDA's first GPU has no NVENC (an A100 beside an RTX), decode on one
        // that has: NVENC then encodes on the decoder's device.
        command.inputOptions = ["-hwaccel", "cuda", "-hwaccel_output_format", "cuda"]
            + NVDECSupport.deviceOptions(for: Self.gpu(for: request.source, in: inventory.nvidia))
        // Converts 10-bit and full-range sources on the GPU to 8-bit 4:2:0 for NVENC.
        if PictureFeatures(needsOf: request).isEmpty {
            command.videoFilter = "scale_cuda=format=yuv420p"
        } else {
            PictureFilters.fill(&command, for: request, before: NVDECSupport.download(for: request))
        }
        command.videoCodec = NVENCBackend.videoCodec(for: request)
        command.keyframes = NVENCBackend.keyframes(for: request)
        return command.arguments(for: request)
    }
}
