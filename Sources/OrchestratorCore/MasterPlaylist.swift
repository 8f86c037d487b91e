import Foundation
import TranscodeWire

/// The master playlist of a job: one variant (the video, with the attributes its worker
/// read from a real segment) and, when the job shows text subtitles, their WebVTT rendition.
enum MasterPlaylist {
    /// The subtitle group's id.
    static let group = "subs"

    /// The text; `query` (the playback signature) follows every URI.
    static func text(output: OutputFormat, subtitles: MediaTrack?, query: String) -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"]
        // A worker's report is data, not playlist text: only the characters these attributes use pass.
        var stream = [
            "BANDWIDTH=\(max(0, output.bandwidth))", "AVERAGE-BANDWIDTH=\(max(0, output.averageBandwidth))",
            "RESOLUTION=\(only(output.resolution, "0123456789x"))",
            "FRAME-RATE=\(String(format: "%.3f", output.frameRate.isFinite ? min(1000, max(0, output.frameRate)) : 0))",
            "CODECS=\"\(only(output.codecs, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-"))\"",
        ]
        if let track = subtitles {
            var media = [
                "TYPE=SUBTITLES", "GROUP-ID=\"\(group)\"", "NAME=\"\(name(of: track))\"",
            ]
            if let language = track.language.map(bcp47), !language.isEmpty { media.append("LANGUAGE=\"\(language)\"") }
            // A forced-only track is meant to show by itself; AUTOSELECT must be YES with FORCED=YES.
            media += ["DEFAULT=YES", "AUTOSELECT=YES", "FORCED=\(track.isForced ? "YES" : "NO")", "URI=\"\(SubtitleName.playlist)\(query)\""]
            lines.append("#EXT-X-MEDIA:" + media.joined(separator: ","))
            stream.append("SUBTITLES=\"\(group)\"")
        }
        lines.append("#EXT-X-STREAM-INF:" + stream.joined(separator: ","))
        lines.append("index.m3u8" + query)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rendition's NAME: the track's title, else its language's name, else its code;
    /// without the quotes and line breaks a quoted-string cannot hold.
    static func name(of track: MediaTrack) -> String {
        let language = track.language.map { names[LanguageCode.canonical($0)] ?? $0 }
        var text = track.title ?? language ?? "Subtitles \(track.index)"
        if track.isForced, track.title == nil { text += " (forced)" }
        return String(text.filter { $0 != "\"" && !$0.isNewline }.prefix(100))
    }

    /// RFC 5646 wants the two-letter ISO 639-1 code where one exists: `eng` -> `en`.
    static func bcp47(_ code: String) -> String {
        let canonical = LanguageCode.canonical(code)
        return twoLetter[canonical] ?? only(String(canonical.prefix(35)), "abcdefghijklmnopqrstuvwxyz0123456789-")
    }

    /// `text` with only the characters of `allowed`.
    static func only(_ text: String, _ allowed: String) -> String {
        String(text.prefix(200).filter { allowed.contains($0) })
    }

    static let twoLetter: [String: String] = [
        "eng": "en", "fra": "fr", "deu": "de", "spa": "es", "ita": "it", "por": "pt", "nld": "nl", "swe": "sv", "nor": "no",
        "dan": "da", "fin": "fi", "pol": "pl", "ces": "cs", "rus": "ru", "ukr": "uk", "ell": "el", "tur": "tr", "ara": "ar",
        "heb": "he", "hin": "hi", "jpn": "ja", "kor": "ko", "zho": "zh", "hun": "hu", "ron": "ro", "bul": "bg", "hrv": "hr",
        "srp": "sr", "slk": "sk", "slv": "sl", "cat": "ca", "eus": "eu", "glg": "gl", "fas": "fa", "tha": "th", "vie": "vi",
        "ind": "id", "msa": "ms", "isl": "is",
    ]

    static let names: [String: String] = [
        "eng": "English", "fra": "Français", "deu": "Deutsch", "spa": "Español", "ita": "Italiano", "por": "Português",
        "nld": "Nederlands", "swe": "Svenska", "nor": "Norsk", "dan": "Dansk", "fin": "Suomi", "pol": "Polski",
        "ces": "Čeština", "rus": "Русский", "jpn": "日本語", "kor": "한국어", "zho": "中文",
    ]
}
