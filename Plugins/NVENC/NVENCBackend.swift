import TranscodeBackend

/// NVIDIA NVENC encode after a software decode: runs on any NVIDIA GPU with an encoder block.
public struct NVENCBackend: EncoderBackend {
    /// Creates the backend; `sessionCapacity` is the GPU's concurrent NVENC session limit
    /// (8 on consumer cards from driver 550, 5 from 530, 3 before; nil for unlimited professional cards).
    public init(sessionCapacity: Int? = 8) {
        self.sessionCapacity = sessionCapacity
    }

    /// Identifier for `--backend` and logs.
    public let id = "nvenc"
    /// FFmpeg encoders this backend drives.
    public let encoders = NVENCBackend.encoderNames
    /// Tag for `hardware_acceleration` in registration.
    public let hardwareAPI: String? = "nvenc"
    /// Preference for `auto`: below CUDA (all-GPU), above VA-API.
    public let rank = 20
    /// Tone map and burn-in on the CPU after the software decode, before NVENC.
    public let pictureFeatures = PictureFeatures.all
    /// Concurrent NVENC sessions allowed on the GPU, counted across jobs; nil for unlimited.
    public let sessionCapacity: Int?
    /// NVENC sessions are the GPU's, shared with `CUDABackend`.
    public var sessionPool: String { Self.sessionPoolName }

    /// Available with the encoders in the build, a CUDA driver with a GPU and libnvidia-encode.
    public func availability(on inventory: HardwareInventory) -> Availability {
        Self.driverAvailability(on: inventory, pipeline: "NVENC")
    }

    /// Software decode, `format=yuv420p`, NVENC with a fixed GOP of one segment.
    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        var command = FFmpegCommand()
        // Software decode hands NVENC system-memory frames; 8-bit 4:2:0 plays everywhere.
        // Tone mapping and subtitles run on the CPU on the way (PictureFilters).
        PictureFilters.fill(&command, for: request)
        command.videoCodec = Self.videoCodec(for: request)
        command.keyframes = Self.keyframes(for: request)
        return command.arguments(for: request)
    }
}
