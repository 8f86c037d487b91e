import Foundation
import Testing

/// One headless Chromium playing a playlist through `players/play.py`: the test reads its
/// event lines as they come, may tell it how far to play, and decodes its summary.
struct ChromiumSession {
    let child: ChildProcess

    /// Starts the driver. `seekFraction`: seek there once `seekAt` seconds have played.
    /// `markAt`: print a mark line once that much has played. `after`: seconds to keep
    /// playing after the seek or mark (unless `playUntil` says otherwise).
    static func start(
        url: String, seekFraction: Double? = nil, seekAt: Double = 2, markAt: Double? = nil, after: Double = 8, timeout: Double = 50,
        subtitles: Bool = false
    ) throws -> ChromiumSession {
        var arguments = [PlayerTools.driver, "--url", url, "--after", "\(after)", "--timeout", "\(timeout)"]
        if subtitles { arguments.append("--subtitles") }
        if let seekFraction { arguments += ["--seek-fraction", "\(seekFraction)", "--seek-at", "\(seekAt)"] }
        if let markAt { arguments += ["--mark-at", "\(markAt)"] }
        return ChromiumSession(child: try ChildProcess(PlayerTools.python, arguments))
    }

    /// Waits for the mark line; false when playback never got there.
    func mark(timeout: Duration) async -> Bool {
        await child.line(timeout: timeout) { $0.contains(#""event": "mark""#) } != nil
    }

    /// Tells the driver to play until `currentTime` reaches `seconds`.
    func playUntil(_ seconds: Double) {
        child.send(#"{"until": \#(seconds)}"#)
    }

    /// Waits for the summary line and decodes it; nil when none came in time.
    func summary(timeout: Duration) async -> ChromiumSummary? {
        let line = await child.line(timeout: timeout) { $0.contains(#""event": "summary""#) }
        await child.stop()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return line.flatMap { try? decoder.decode(ChromiumSummary.self, from: Data($0.utf8)) }
    }

    /// Everything the driver printed, for failure messages.
    var transcript: String { (child.lines + [child.errorText]).joined(separator: "\n") }
}

/// What a viewer saw, as `play.py` sums it up (times in ms since the video's src was set).
struct ChromiumSummary: Decodable {
    /// `video.error` (code 3 is MEDIA_ERR_DECODE, e.g. "Parsed buffers not in DTS sequence").
    struct MediaError: Decodable { var code: Int; var message: String? }
    /// A `waiting` event and how long until the next `playing`.
    struct Stall: Decodable { var at: Double; var ms: Double; var open: Bool? }

    var firstPlayingMs: Double?
    var seekTo: Double?
    var seekToPlayingMs: Double?
    var error: MediaError?
    var stalls: [Stall]
    var longestStallMs: Double
    var longestFrozenMs: Double
    var currentTime: Double?
    var duration: Double?
    var currentTimeAtMark: Double?
    var advancedAfterMark: Double?
    var ended: Bool
    var console: [String]

    /// A cue of textTracks[0] (`--subtitles`), in seconds of currentTime.
    struct Cue: Decodable { var start: Double; var end: Double; var text: String }
    /// With `--subtitles`: text tracks Chromium made of the master itself (0 with 156), the
    /// cue count of textTracks[0] at the end, and its cues.
    var nativeTextTracks: Int?
    var cues: Int?
    var cueList: [Cue]?
    var subtitleErrors: [String]?
}
