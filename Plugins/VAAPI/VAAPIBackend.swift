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
    /// Tone map (`tonemap_vaapi` on Intel's iHD, else on the CPU) and burn-in on the CPU before the upload.
    public let pictureFeatures = PictureFeatures.all

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
        if PictureFeatures(needsOf: request).isEmpty {
            command.videoFilter = "format=nv12,hwupload"
        } else if Self.mapsOnGPU(request, node: node, in: inventory) {
            // 10-bit up, then the driver's video processor tone-maps to 8-bit BT.709 nv12.
            command.videoFilter = "format=p010le,hwupload,tonemap_vaapi=format=nv12:t=bt709:m=bt709:p=bt709"
        } else {
            // Tone map and subtitles in software on the way to the upload (PictureFilters).
            PictureFilters.fill(&command, for: request, after: "format=nv12,hwupload")
        }
        command.videoCodec = ["-c:v", request.codec + "_vaapi", "-rc_mode", "VBR"]
            + FFmpegCommand.bitrate(request.bitrateBps)
        // VA-API encoders honour forced keyframes, so segments cut exactly at T.
        command.keyframes = FFmpegCommand.forcedKeyframes(for: request)
        return command.arguments(for: request)
    }

    /// Whether `tonemap_vaapi` does the tone map: only for PQ (FFmpeg 5.1's filter maps HDR10
    /// alone), without burn-in (subtitles are drawn on the SDR picture, on the CPU), on
    /// Intel's iHD driver (Mesa's radeonsi has no HDR tone-mapping video processor).
    static func mapsOnGPU(_ request: EncodeRequest, node: String, in inventory: HardwareInventory) -> Bool {
        guard request.toneMap?.from == .pq, request.burnIn == nil else { return false }
        let display = inventory.vaapi.first { $0.renderNode == node }
        return display?.vendor?.contains("iHD") == true
    }
}
