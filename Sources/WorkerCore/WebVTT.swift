import Foundation

/// One WebVTT cue, its times in movie milliseconds.
struct WebVTTCue: Sendable, Equatable {
    var start: Int
    var end: Int
    /// What follows the end time on the timing line (`align:start line:90%`), often empty.
    var settings: String
    /// The cue's text lines.
    var text: [String]
}

/// Parses FFmpeg's WebVTT output and cuts it into HLS subtitle segments.
enum WebVTT {
    /// The 90 kHz MPEG-TS time of movie time 0 in our segments. Every run seeks with
    /// `-ss S -output_ts_offset S` and keeps `avoid_negative_ts` off, so movie time t is
    /// PTS t + 1.4 s: FFmpeg's mpegts muxer delays every stream by twice `-muxdelay`
    /// (0.7 s by default). Measured: segment 2 (8 s) starts at PTS 846000 from 0 and from a
    /// seek to 8 s alike; a test checks it against each run's real segments.
    static let mpegtsOfMovieZero = 126_000

    /// The cues of a WebVTT file; blocks without a timing line (header, NOTE, STYLE) are skipped.
    static func parse(_ text: String) -> [WebVTTCue] {
        var cues: [WebVTTCue] = []
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            guard let timing = lines.firstIndex(where: { $0.contains("-->") }) else { continue }
            let parts = lines[timing].components(separatedBy: "-->")
            guard parts.count == 2 else { continue }
            let endWords = parts[1].split(separator: " ", omittingEmptySubsequences: true)
            guard let start = milliseconds(parts[0].trimmingCharacters(in: .whitespaces)),
                  let endWord = endWords.first, let end = milliseconds(String(endWord)), end > start
            else { continue }
            let text = Array(lines[(timing + 1)...])
            guard !text.isEmpty else { continue }
            cues.append(WebVTTCue(start: start, end: end, settings: endWords.dropFirst().joined(separator: " "), text: text))
        }
        return cues.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    /// `01:02:03.456` or `02:03.456` -> milliseconds.
    static func milliseconds(_ text: String) -> Int? {
        let pieces = text.split(separator: ":")
        guard (2...3).contains(pieces.count), let last = pieces.last else { return nil }
        let secondParts = last.split(separator: ".")
        guard secondParts.count == 2, secondParts[1].count == 3, let seconds = Int(secondParts[0]), let millis = Int(secondParts[1]),
              seconds < 60
        else { return nil }
        var minutes = 0
        for piece in pieces.dropLast() {
            guard let value = Int(piece), value >= 0 else { return nil }
            minutes = minutes * 60 + value
        }
        return (minutes * 60 + seconds) * 1000 + millis
    }

    /// `HH:MM:SS.mmm`.
    static func timestamp(_ ms: Int) -> String {
        let hours = ms / 3_600_000, minutes = ms / 60_000 % 60, seconds = ms / 1000 % 60, millis = ms % 1000
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let m = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(hours)):\(two(minutes)):\(two(seconds)).\(m)"
    }

    /// Segment n of the rendition: every cue that overlaps [n x T, (n+1) x T), in movie time,
    /// with the map that puts movie time 0 where the video's segments put it. It depends only
    /// on the cues, n and T, so every run, worker and seek writes the same bytes.
    static func segment(_ n: Int, of cues: [WebVTTCue], segmentSeconds t: Int) -> String {
        let from = n * t * 1000, to = (n + 1) * t * 1000
        var text = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\(mpegtsOfMovieZero),LOCAL:00:00:00.000\n"
        for cue in cues where cue.end > from && cue.start < to {
            let settings = cue.settings.isEmpty ? "" : " " + cue.settings
            text += "\n\(timestamp(cue.start)) --> \(timestamp(cue.end))\(settings)\n" + cue.text.joined(separator: "\n") + "\n"
        }
        return text
    }
}
