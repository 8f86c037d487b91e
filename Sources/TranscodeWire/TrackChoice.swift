/// `configuration.audio`: which audio track a job plays. `{"language": "eng"}` takes the
/// first track in that language, `{"track": N}` the N-th audio stream (0-based). Absent: the
/// track with the default disposition, else the first.
public struct AudioChoice: Codable, Sendable, Equatable {
    /// ISO 639-2 code (`eng`, `fre`).
    public var language: String?
    /// Index among the audio streams.
    public var track: Int?

    /// Creates a choice.
    public init(language: String? = nil, track: Int? = nil) {
        self.language = language
        self.track = track
    }
}

/// `configuration.subtitles`: a subtitle track shown as a WebVTT rendition, or burned into
/// the picture. `{"language": "eng"}` or `{"track": N}`, with `"burn_in": true|false`
/// (default false) and `"forced": true` for the language's forced-only track.
public struct SubtitleChoice: Codable, Sendable, Equatable {
    /// ISO 639-2 code.
    public var language: String?
    /// Index among the subtitle streams.
    public var track: Int?
    /// Draw the subtitles into the video instead of a WebVTT rendition.
    public var burnIn: Bool?
    /// With `language`: the track with the forced disposition (foreign-language parts only).
    public var forced: Bool?

    enum CodingKeys: String, CodingKey {
        case language, track, forced
        case burnIn = "burn_in"
    }

    /// Creates a choice.
    public init(language: String? = nil, track: Int? = nil, burnIn: Bool? = nil, forced: Bool? = nil) {
        self.language = language
        self.track = track
        self.burnIn = burnIn
        self.forced = forced
    }

    /// Whether the subtitles are drawn into the picture.
    public var burnsIn: Bool { burnIn ?? false }
}

/// `configuration.tone_map`: what to do with an HDR (PQ or HLG) source.
public enum ToneMapMode: String, Codable, Sendable, Equatable {
    /// Tone-map HDR to BT.709 SDR (the default).
    case auto
    /// Leave the picture as it is.
    case off
}
