import ServiceSupport
import TranscodeBackend
import TranscodeWire

/// Turns a job's audio, subtitle and tone-map fields into what its run encodes, against the
/// tracks the source really has. A choice the source cannot meet is a 422 whose sentence lists
/// what the source has.
struct TrackSelection: Sendable, Equatable {
    var audio: AudioPlan
    var burnIn: BurnIn?
    /// A text subtitle track served as a WebVTT rendition.
    var rendition: MediaTrack?
    var toneMap: ToneMap?

    init(_ configuration: JobConfiguration, source: SourceInfo) throws {
        let remux = configuration.forceRemux ?? false
        audio = try Self.audio(configuration.audio, channels: configuration.audioChannels, in: source)
        if let choice = configuration.subtitles {
            let track = try Self.subtitle(choice, in: source)
            if choice.burnsIn {
                guard !remux else {
                    throw APIError.unprocessable("Subtitles cannot be burned in with force_remux: a remux copies the picture as it is; drop one of the two.")
                }
                burnIn = track.subtitleKind == .bitmap ? .bitmap(track: track.index) : .text(track: track.index)
            } else {
                rendition = track
            }
        }
        let range = source.dynamicRange
        if !remux, configuration.toneMap ?? .auto == .auto, range != .sdr { toneMap = ToneMap(from: range) }
    }

    /// The audio track: by index, by language, else the default-disposition one, else the first.
    static func audio(_ choice: AudioChoice?, channels: Int?, in source: SourceInfo) throws -> AudioPlan {
        let wanted = channels ?? 2
        guard JobConfiguration.audioChannelChoices.contains(wanted) else {
            throw APIError.unprocessable("audio_channels must be 2 (stereo) or 6 (5.1); got \(wanted).")
        }
        let tracks = source.audioTracks
        let track: MediaTrack?
        if let index = choice?.track {
            track = tracks.first { $0.index == index }
            guard track != nil else { throw APIError.unprocessable("no audio track \(index); \(has(tracks, kind: "audio"))") }
        } else if let language = choice?.language {
            track = tracks.first { LanguageCode.matches($0.language, language) }
            guard track != nil else {
                throw APIError.unprocessable("no audio track in \"\(language)\"; \(has(tracks, kind: "audio"))")
            }
        } else {
            track = tracks.first(where: \.isDefault) ?? tracks.first
        }
        return AudioPlan(track: track?.index ?? 0, channels: wanted, sourceChannels: track?.channels)
    }

    /// The subtitle track a choice names. A language means its first full track, or with
    /// `forced` its forced-only one; a bitmap track must be burned in.
    static func subtitle(_ choice: SubtitleChoice, in source: SourceInfo) throws -> MediaTrack {
        let tracks = source.subtitleTracks
        var found: MediaTrack?
        if let index = choice.track {
            found = tracks.first { $0.index == index }
            guard found != nil else { throw APIError.unprocessable("no subtitle track \(index); \(has(tracks, kind: "subtitle"))") }
        } else if let language = choice.language {
            let inLanguage = tracks.filter { LanguageCode.matches($0.language, language) }
            let forced = choice.forced ?? false
            found = inLanguage.first { $0.isForced == forced }
            if found == nil, !forced, inLanguage.contains(where: \.isForced) {
                throw APIError.unprocessable(
                    "the only subtitle track in \"\(language)\" is forced-only (foreign-language parts); ask with \"forced\": true, or pick another; \(has(tracks, kind: "subtitle"))"
                )
            }
            guard found != nil else {
                throw APIError.unprocessable("no \(forced ? "forced " : "")subtitle track in \"\(language)\"; \(has(tracks, kind: "subtitle"))")
            }
        } else {
            throw APIError.unprocessable("subtitles must name a \"language\" or a \"track\"; \(has(tracks, kind: "subtitle"))")
        }
        guard let track = found else { throw APIError.unprocessable("no such subtitle track; \(has(tracks, kind: "subtitle"))") }
        switch track.subtitleKind {
        case .bitmap? where !choice.burnsIn:
            throw APIError.unprocessable(
                "subtitle track \(track.index) (\(track.language ?? "und") \(track.codec)) is a bitmap track: it can only be burned in; ask for it with \"burn_in\": true."
            )
        case nil:
            throw APIError.unprocessable("subtitle track \(track.index) (\(track.codec)) is in a format this worker cannot show or burn in.")
        default:
            return track
        }
    }

    /// `the source has: 0 fre 5.1 ac3, 1 eng stereo aac` (or `the source has no audio`).
    static func has(_ tracks: [MediaTrack], kind: String) -> String {
        tracks.isEmpty ? "the source has no \(kind) tracks" : "the source has: " + tracks.map(\.summary).joined(separator: ", ")
    }
}
