/// What `hwdetect` learnt by opening an NVENC session on one GPU (`hwdetect/probe/nvenc.c`).
public struct NVENCProbe: Sendable, Equatable, Codable {
    /// The probe's judgement of a session open.
    public enum Verdict: String, Sendable, Codable {
        /// A session opened and listed codecs.
        case ok
        /// The driver says this GPU has no encoder (A100, H100, ...), or the session lists no codec.
        case noEncoder = "no_encoder"
        /// Every session is taken (consumer cards fail with "out of memory" past their limit).
        case busy
        /// Anything else; `error` says what.
        case error
    }

    /// How the session open went.
    public var verdict: Verdict
    /// The failing call and NVENC status, e.g. `nvEncOpenEncodeSessionEx failed: NV_ENC_ERR_UNSUPPORTED_DEVICE (3)`.
    public var error: String?
    /// Codecs the session offers, with their caps.
    public var codecs: [NVENCCodec]

    /// Creates a probe result.
    public init(verdict: Verdict, error: String? = nil, codecs: [NVENCCodec] = []) {
        self.verdict = verdict
        self.error = error
        self.codecs = codecs
    }
}

/// One codec an NVENC session offers (`nvEncGetEncodeGUIDs`), with `nvEncGetEncodeCaps`.
public struct NVENCCodec: Sendable, Equatable, Codable {
    /// `h264`, `hevc`, `av1` (or `unknown`).
    public var name: String
    /// Profiles, e.g. `main`, `high`, `main10`.
    public var profiles: [String]
    /// Largest frame the encoder takes.
    public var maxWidth: Int
    /// Largest frame the encoder takes.
    public var maxHeight: Int
    /// Most consecutive B-frames; 0 where the codec has none on this GPU.
    public var maxBFrames: Int
    /// 10-bit encode.
    public var tenBit: Bool
    /// Lookahead rate control.
    public var lookahead: Bool

    enum CodingKeys: String, CodingKey {
        case name, profiles, lookahead
        case maxWidth = "max_width"
        case maxHeight = "max_height"
        case maxBFrames = "max_b_frames"
        case tenBit = "ten_bit"
    }

    /// Creates a codec description.
    public init(name: String, profiles: [String], maxWidth: Int, maxHeight: Int, maxBFrames: Int, tenBit: Bool, lookahead: Bool) {
        self.name = name
        self.profiles = profiles
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxBFrames = maxBFrames
        self.tenBit = tenBit
        self.lookahead = lookahead
    }
}
