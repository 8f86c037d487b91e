/// One stream of a source file, as `GET /v1/media/tracks` lists it and as jobs choose from.
public struct MediaTrack: Codable, Sendable, Equatable {
    /// The stream's kind.
    public enum Kind: String, Codable, Sendable {
        case video, audio, subtitle
    }

    /// Position among the streams of its type, 0-based: `0:a:N` in FFmpeg's words.
    public var index: Int
    /// Position among all streams of the file (ffprobe's `index`).
    public var streamIndex: Int
    public var type: Kind
    /// ffprobe's codec name (`hevc`, `ac3`, `subrip`, `dvd_subtitle`, ...).
    public var codec: String
    /// ISO 639-2 language tag (`eng`), nil when untagged or `und`.
    public var language: String?
    public var title: String?
    /// The default disposition.
    public var isDefault: Bool
    /// The forced disposition (subtitles shown only for foreign-language parts).
    public var isForced: Bool
    /// Audio: channel count and layout (`5.1(side)`).
    public var channels: Int?
    public var channelLayout: String?
    /// Subtitles: `text` (can become WebVTT) or `bitmap` (can only be burned in).
    public var subtitleKind: SubtitleKind?
    /// Video: size, frame rate, bit depth and dynamic range.
    public var width: Int?
    public var height: Int?
    public var frameRate: Double?
    public var bitDepth: Int?
    public var hdr: DynamicRange?

    enum CodingKeys: String, CodingKey {
        case index, type, codec, language, title, forced, channels, width, height, hdr
        case streamIndex = "stream_index"
        case isDefault = "default"
        case channelLayout = "channel_layout"
        case subtitleKind = "kind"
        case frameRate = "frame_rate"
        case bitDepth = "bit_depth"
    }

    /// Creates a track.
    public init(
        index: Int, streamIndex: Int, type: Kind, codec: String, language: String? = nil, title: String? = nil,
        isDefault: Bool = false, isForced: Bool = false, channels: Int? = nil, channelLayout: String? = nil,
        subtitleKind: SubtitleKind? = nil, width: Int? = nil, height: Int? = nil, frameRate: Double? = nil,
        bitDepth: Int? = nil, hdr: DynamicRange? = nil
    ) {
        self.index = index
        self.streamIndex = streamIndex
        self.type = type
        self.codec = codec
        self.language = language
        self.title = title
        self.isDefault = isDefault
        self.isForced = isForced
        self.channels = channels
        self.channelLayout = channelLayout
        self.subtitleKind = subtitleKind
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.bitDepth = bitDepth
        self.hdr = hdr
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        streamIndex = try c.decodeIfPresent(Int.self, forKey: .streamIndex) ?? index
        type = try c.decode(Kind.self, forKey: .type)
        codec = try c.decode(String.self, forKey: .codec)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
        isForced = try c.decodeIfPresent(Bool.self, forKey: .forced) ?? false
        channels = try c.decodeIfPresent(Int.self, forKey: .channels)
        channelLayout = try c.decodeIfPresent(String.self, forKey: .channelLayout)
        subtitleKind = try c.decodeIfPresent(SubtitleKind.self, forKey: .subtitleKind)
        width = try c.decodeIfPresent(Int.self, forKey: .width)
        height = try c.decodeIfPresent(Int.self, forKey: .height)
        frameRate = try c.decodeIfPresent(Double.self, forKey: .frameRate)
        bitDepth = try c.decodeIfPresent(Int.self, forKey: .bitDepth)
        hdr = try c.decodeIfPresent(DynamicRange.self, forKey: .hdr)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(streamIndex, forKey: .streamIndex)
        try c.encode(type, forKey: .type)
        try c.encode(codec, forKey: .codec)
        try c.encode(language, forKey: .language)
        try c.encode(title, forKey: .title)
        try c.encode(isDefault, forKey: .isDefault)
        try c.encode(isForced, forKey: .forced)
        switch type {
        case .audio:
            try c.encode(channels, forKey: .channels)
            try c.encode(channelLayout, forKey: .channelLayout)
        case .subtitle:
            try c.encode(subtitleKind, forKey: .subtitleKind)
        case .video:
            try c.encode(width, forKey: .width)
            try c.encode(height, forKey: .height)
            try c.encode(frameRate, forKey: .frameRate)
            try c.encode(bitDepth, forKey: .bitDepth)
            try c.encode(hdr, forKey: .hdr)
        }
    }

    /// How the track reads in a sentence: `1 eng stereo aac`, `0 fre 5.1 ac3`, `2 eng forced subrip`.
    public var summary: String {
        var words = ["\(index)", language ?? "und"]
        if isForced { words.append("forced") }
        if type == .audio, let channels { words.append(MediaTrack.channelWord(channels, layout: channelLayout)) }
        words.append(codec)
        return words.joined(separator: " ")
    }

    /// `mono`, `stereo`, `5.1`, `7.1`, else `N ch`.
    static func channelWord(_ channels: Int, layout: String?) -> String {
        switch channels {
        case 1: "mono"
        case 2: "stereo"
        case 6: "5.1"
        case 8: "7.1"
        default: layout ?? "\(channels) ch"
        }
    }
}

/// Whether a subtitle track is text (SRT, ASS, mov_text, WebVTT) or pictures (PGS, DVD, DVB).
public enum SubtitleKind: String, Codable, Sendable {
    case text, bitmap

    /// The kind of an ffprobe subtitle codec name; nil for one we cannot handle.
    public init?(codec: String) {
        switch codec {
        case "subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text": self = .text
        case "hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub": self = .bitmap
        default: return nil
        }
    }
}

/// A video's dynamic range, from its transfer characteristics.
public enum DynamicRange: String, Codable, Sendable {
    /// SMPTE ST 2084 (HDR10, Dolby Vision's base).
    case pq
    /// ARIB STD-B67 (broadcast HDR).
    case hlg
    case sdr

    /// The range of ffprobe's `color_transfer` (`smpte2084`, `arib-std-b67`, ...).
    public init(transfer: String?) {
        switch transfer {
        case "smpte2084": self = .pq
        case "arib-std-b67": self = .hlg
        default: self = .sdr
        }
    }
}

/// `GET /v1/media/tracks?path=...`: every stream of a source file.
public struct MediaTracks: Codable, Sendable, Equatable {
    /// The path as the request named it.
    public var path: String
    /// Length in seconds.
    public var duration: Double
    public var tracks: [MediaTrack]

    /// Creates a listing.
    public init(path: String, duration: Double, tracks: [MediaTrack]) {
        self.path = path
        self.duration = duration
        self.tracks = tracks
    }
}
