/// What a run really writes, read from its finished segments: the master playlist's
/// `EXT-X-STREAM-INF` attributes (`output` in a worker's job status).
public struct OutputFormat: Codable, Sendable, Equatable {
    /// RFC 6381 codec list, e.g. `avc1.640028,mp4a.40.2`.
    public var codecs: String
    /// `WIDTHxHEIGHT` of the video.
    public var resolution: String
    /// Frames per second of the video.
    public var frameRate: Double
    /// Peak bits per second over the finished segments (a segment's size over its length).
    public var bandwidth: Int
    /// Mean bits per second over the finished segments.
    public var averageBandwidth: Int

    enum CodingKeys: String, CodingKey {
        case codecs, resolution, bandwidth
        case frameRate = "frame_rate"
        case averageBandwidth = "average_bandwidth"
    }

    /// Creates a format.
    public init(codecs: String, resolution: String, frameRate: Double, bandwidth: Int, averageBandwidth: Int) {
        self.codecs = codecs
        self.resolution = resolution
        self.frameRate = frameRate
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
    }
}

/// File names of the WebVTT rendition: `subtitles.m3u8` and `subtitles<N>.vtt`, N the number
/// of the video segment whose span [N x T, (N+1) x T) it covers.
public enum SubtitleName {
    /// The rendition's media playlist (served by the orchestrator).
    public static let playlist = "subtitles.m3u8"
    /// The master playlist (served by the orchestrator).
    public static let master = "master.m3u8"

    /// The file name of subtitle segment `number`.
    public static func of(_ number: Int) -> String { "subtitles\(number).vtt" }

    /// `subtitles12.vtt` -> 12; anything else -> nil.
    public static func number<S: StringProtocol>(_ name: S) -> Int? {
        guard name.hasPrefix("subtitles"), name.hasSuffix(".vtt") else { return nil }
        guard let n = Int(name.dropFirst("subtitles".count).dropLast(4)), n >= 0 else { return nil }
        return n
    }
}
