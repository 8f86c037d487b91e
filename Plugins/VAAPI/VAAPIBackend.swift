import TranscodeBackend

/// VA-API encode (Intel iHD/i965, AMD radeonsi) after a software decode and an upload.
public struct VAAPIBackend: EncoderBackend {
    /// Creates the backend.
    public init() {}

    /// Identifier for `--backend` and logs.
    public let id = "vaapi"
    /// FFmpeg encoders this backend drives.
    public let encoders = VAAPIBackend.encoderNames
    /// Tag for `hardware_acceleration` in registration.
    public let hardwareAPI: String? = "vaapi"
    /// Preference for `auto`: below the NVIDIA backends, above software.
    public let rank = 10

    /// The FFmpeg encoders VA-API drives in this project.
    public static let encoderNames = ["h264_vaapi", "hevc_vaapi"]

    /// Available with a working VA display that encodes H.264 or HEVC (see `VAAPIDetection`).
    public func availability(on inventory: HardwareInventory) -> Availability {
        VAAPIDetection.availability(on: inventory, encoders: encoders)
    }

    /// Software decode, upload to the detected render node, VA-API encode with forced keyframes.
    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        var command = FFmpegCommand()
        let node = VAAPIDetection.renderNode(for: request.codec, in: inventory)
        command.inputOptions = ["-init_hw_device", "vaapi=va:\(node)", "-filter_hw_device", "va"]
        // The encoder takes only VA surfaces: convert to nv12 in software, then upload.
        command.videoFilter = "format=nv12,hwupload"
        command.videoCodec = ["-c:v", request.codec + "_vaapi", "-rc_mode", "VBR"]
            + FFmpegCommand.bitrate(request.bitrateBps)
        // VA-API encoders honour forced keyframes, so segments cut exactly at T.
        command.keyframes = FFmpegCommand.forcedKeyframes(for: request)
        return command.arguments(for: request)
    }
}
