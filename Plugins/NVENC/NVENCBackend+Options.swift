import TranscodeBackend

extension NVENCBackend {
    /// The FFmpeg encoders NVENC drives in this project.
    public static let encoderNames = ["h264_nvenc", "hevc_nvenc"]

    /// The session pool of every pipeline that ends in NVENC: the driver's limit counts them all.
    public static let sessionPoolName = "nvenc"

    /// Frame rate assumed when ffprobe reported none.
    public static let defaultFrameRate = 24.0

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
        let frames = "\(keyframeInterval(segmentSeconds: request.segmentSeconds, frameRate: request.source.frameRate))"
        return ["-g", frames, "-keyint_min", frames]
    }

    /// Frames per segment: ceil(T x fps), with fps 24 when unknown, and at least 1.
    public static func keyframeInterval(segmentSeconds: Int, frameRate: Double?) -> Int {
        var fps = frameRate ?? defaultFrameRate
        if !fps.isFinite || fps <= 0 { fps = defaultFrameRate }
        // The small epsilon keeps 4 x 25.0000000001 at 100 rather than 101.
        let frames = (Double(segmentSeconds) * fps - 1e-6).rounded(.up)
        return max(1, Int(frames))
    }
}
