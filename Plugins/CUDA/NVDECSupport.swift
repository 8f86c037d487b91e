/// What NVDEC (through FFmpeg's `cuda` hwaccel) can decode, judged from ffprobe's names.
///
/// Conservative on purpose: a source NVDEC might take on the newest GPUs only (4:4:4 HEVC,
/// 4:2:2 anything) goes to NVENC's software decode instead of failing on an older card.
public enum NVDECSupport {
    /// Codecs with an NVDEC hwaccel in FFmpeg 5.1.
    public static let codecs: Set<String> = ["h264", "hevc", "vp9", "av1", "mpeg2video", "mpeg4", "vc1", "vp8"]

    /// 8-bit 4:2:0 layouts every NVDEC codec takes.
    public static let eightBit420: Set<String> = ["yuv420p", "yuvj420p", "nv12"]

    /// Deeper 4:2:0 layouts that NVDEC takes for HEVC, VP9 and AV1 (not for H.264: no High 10).
    public static let deep420: Set<String> = ["yuv420p10le", "yuv420p10be", "yuv420p12le", "yuv420p12be", "p010le", "p016le"]

    /// Whether NVDEC decodes this codec in this pixel format; an unknown pixel format is tried.
    public static func canDecode(codec: String?, pixelFormat: String?) -> Bool {
        guard let codec, codecs.contains(codec) else { return false }
        guard let pixelFormat else { return true }
        if eightBit420.contains(pixelFormat) { return true }
        let deepCodecs: Set<String> = ["hevc", "vp9", "av1"]
        return deepCodecs.contains(codec) && deep420.contains(pixelFormat)
    }
}
