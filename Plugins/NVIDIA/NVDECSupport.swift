import TranscodeBackend

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

extension NVDECSupport {
    /// Bit depth of a 4:2:0 pixel format as ffprobe names it; nil for other layouts
    /// (4:2:2, 4:4:4, RGB), which this project never sends to NVDEC.
    public static func bitDepth420(_ pixelFormat: String) -> Int? {
        if eightBit420.contains(pixelFormat) { return 8 }
        if ["yuv420p10le", "yuv420p10be", "p010le", "p010be"].contains(pixelFormat) { return 10 }
        if ["yuv420p12le", "yuv420p12be", "p016le", "p016be"].contains(pixelFormat) { return 12 }
        return nil
    }

    /// The GPUs whose NVDEC decodes the source. Judged from the decoder caps the probe read
    /// (codec and bit depth); for inventories recorded before the probe read them, from the
    /// table above (`canDecode`). An unknown pixel format counts as 8-bit 4:2:0.
    public static func decoders(for source: SourceInfo, in nvidia: NVIDIAInfo) -> [NVIDIADevice] {
        guard let codec = source.videoCodec else { return [] }
        let probed = nvidia.devices.filter { $0.nvdec != nil }
        guard !probed.isEmpty else {
            return canDecode(codec: codec, pixelFormat: source.pixelFormat) ? nvidia.devices : []
        }
        guard let depth = source.pixelFormat.map(bitDepth420) ?? 8 else { return [] }
        return probed.filter { $0.nvdec?.error == nil && $0.nvdec?.decodes(codec: codec, bitDepth: depth) == true }
    }

    /// `-hwaccel_device N` where the GPU to decode on is not CUDA's first (FFmpeg's default).
    public static func deviceOptions(for gpu: NVIDIADevice?) -> [String] {
        guard let gpu, gpu.index != 0 else { return [] }
        return ["-hwaccel_device", "\(gpu.index)"]
    }

    /// NVDEC's frames brought to the CPU for `PictureFilters`: 10-bit (`p010le`) when they
    /// are to be tone-mapped, so the tone map works on the source's precision, else 8-bit
    /// 4:2:0 as the plain pipelines convert them. `scale_cuda` first gives the download one
    /// known layout whatever the decoder produced (12-bit, 4:4:4).
    public static func download(for request: EncodeRequest) -> String {
        let format = request.toneMap == nil ? "yuv420p" : "p010le"
        return "scale_cuda=format=\(format),hwdownload,format=\(format)"
    }
}
