import TranscodeBackend

/// Software H.264 through libx264: runs anywhere this FFmpeg build has libx264.
public struct X264Backend: EncoderBackend {
    /// Creates the backend.
    public init() {}

    public let id = "x264"
    public let encoders = ["libx264"]
    public let hardwareAPI: String? = nil
    public let rank = 0

    public func availability(on inventory: HardwareInventory) -> Availability {
        inventory.hasEncoder("libx264")
            ? .available("libx264 in this FFmpeg build")
            : .unavailable("this FFmpeg build has no libx264 encoder")
    }

    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        var command = FFmpegCommand()
        // 8-bit 4:2:0 plays everywhere; 10-bit sources would otherwise become High 10.
        command.videoFilter = "format=yuv420p"
        // A faster preset for big sources on small machines, so that the encode keeps up (X264Preset).
        let preset = X264Preset.choose(cores: inventory.cpu.threads, pixelRate: request.source.pixelRate)
        // ultrafast alone would make Constrained Baseline, the other presets High: a job that moves
        // to a worker with more cores must not change profile mid-stream (nor its CODECS).
        let profile = preset == "ultrafast" ? ["-profile:v", "high"] : []
        command.videoCodec = ["-c:v", "libx264", "-preset", preset] + profile + FFmpegCommand.bitrate(request.bitrateBps)
        command.keyframes = FFmpegCommand.forcedKeyframes(for: request) + ["-sc_threshold", "0"]
        return command.arguments(for: request)
    }
}
