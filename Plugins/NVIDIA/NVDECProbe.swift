/// What `cuvidGetDecoderCaps` said about one GPU's NVDEC (`hwdetect/probe/nvdec.c`).
public struct NVDECProbe: Sendable, Equatable, Codable {
    /// Why the caps could not be read (e.g. `cannot load libnvcuvid.so.1: ...`), nil when they were.
    public var error: String?
    /// Codec and bit depth pairs (4:2:0) NVDEC decodes.
    public var codecs: [NVDECCodec]

    /// Creates a probe result.
    public init(error: String? = nil, codecs: [NVDECCodec] = []) {
        self.error = error
        self.codecs = codecs
    }

    /// Whether NVDEC decodes `codec` (ffprobe's name) at `bitDepth` in 4:2:0.
    public func decodes(codec: String, bitDepth: Int) -> Bool {
        codecs.contains { $0.codec == codec && $0.bitDepth == bitDepth }
    }
}

/// One codec and bit depth NVDEC decodes in 4:2:0.
public struct NVDECCodec: Sendable, Equatable, Codable {
    /// ffprobe's codec name: `h264`, `hevc`, `vp9`, `av1`, `mpeg2video`, ...
    public var codec: String
    /// 8, 10 or 12.
    public var bitDepth: Int
    /// Largest coded frame.
    public var maxWidth: Int
    /// Largest coded frame.
    public var maxHeight: Int

    enum CodingKeys: String, CodingKey {
        case codec
        case bitDepth = "bit_depth"
        case maxWidth = "max_width"
        case maxHeight = "max_height"
    }

    /// Creates a codec description.
    public init(codec: String, bitDepth: Int, maxWidth: Int, maxHeight: Int) {
        self.codec = codec
        self.bitDepth = bitDepth
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
    }
}
