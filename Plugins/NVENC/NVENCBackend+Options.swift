import TranscodeBackend

extension NVENCBackend {
    /// The FFmpeg encoders NVENC drives in this project.
    public static let encoderNames = ["h264_nvenc", "hevc_nvenc"]

    /// The session pool of every pipeline that ends in NVENC: the driver's limit counts them all.
    public static let sessionPoolName = "nvenc"

    /// The NVENC encoder for the request's codec: `h264_nvenc` or `hevc_nvenc`.
    public static func encoderName(for request: EncodeRequest) -> String {
        request.codec + "_nvenc"
    }

    /// `-c:v <enc>` with preset p4, low-latency tuning and capped VBR at the request's bitrate.
    public static func videoCodec(for request: EncodeRequest) -> [String] {
        ["-c:v", encoderName(for: request), "-preset", "p4", "-tune", "ll", "-rc", "vbr"]
            + FFmpegCommand.bitrate(request.bitrateBps)
    }

    /// A fixed GOP of one segment: NVENC ignores `-force_key_frames`, so `-g` places the keyframes.
    public static func keyframes(for request: EncodeRequest) -> [String] {
        FFmpegCommand.fixedGOP(every: request.segmentSeconds, frameRate: request.source.frameRate)
    }
}
