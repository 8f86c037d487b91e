import Foundation
import TestSupport

/// mpv's verbose log, read for the lines that mean a viewer saw a glitch.
struct MpvLog {
    let lines: [String]

    /// Seconds of the movie mpv plays before it stops by itself.
    static let playSeconds: Double = 32

    /// A bounded, headless, verbose run that logs its position (`players/position.lua`) and
    /// reads only a few seconds ahead, so that it fetches the segments after a failover
    /// from the new worker instead of having cached the whole clip before it.
    static func arguments(url: String, seconds: Double) -> [String] {
        ["--no-config", "--vo=null", "--ao=null", "--msg-level=all=v", "--length=\(seconds)",
         "--cache=yes", "--cache-secs=6", "--demuxer-readahead-secs=6", "--demuxer-max-bytes=4MiB",
         "--script=\(PlayerTools.positionScript)", url]
    }

    /// The offending lines (`MpvCheck.patterns`: timestamp glitches and HTTP errors).
    var problems: [String] { MpvCheck.problems(in: lines) }

    /// The last position `position.lua` logged.
    var lastPosition: Double? {
        lines.reversed().lazy.compactMap { line -> Double? in
            guard let range = line.range(of: "position ") else { return nil }
            return Double(line[range.upperBound...].trimmingCharacters(in: .whitespaces))
        }.first
    }
}
