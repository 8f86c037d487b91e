import Foundation
import MediaProbe

/// One text track being turned into WebVTT cues by FFmpeg, read as FFmpeg writes them, so a
/// segment is served as soon as the demuxer has passed its end, not once the whole film is
/// read (a 2 h MKV took 1.2 to 4.6 s here; a 40 GB remux on a NAS takes minutes).
final class SubtitleExtraction: Sendable {
    struct State: Sendable {
        /// Finished cues, in the order FFmpeg wrote them (by start time).
        var cues: [WebVTTCue] = []
        /// The cue whose text lines may still come.
        var pending: WebVTTCue?
        var finished = false
        var failure: String?
        var lastError: String?
    }

    /// FFmpeg's reason when the extraction failed.
    struct Failure: Error, CustomStringConvertible { var description: String }

    private let state = Locked(State())
    private let process: ChildProcess

    /// Starts `ffmpeg -ss 0 -i SRC -map 0:s:N -c:s webvtt -f webvtt pipe:1`: the same `-ss 0`
    /// as every video run, so the same origin (the source's start time). FFmpeg's WebVTT
    /// muxer writes cue identifiers only for WebVTT sources, and the line reader drops blank
    /// lines, so such a track (`wholeFile`) goes to a file that is read once FFmpeg is done.
    init(ffmpeg: String, source: String, track: Int, wholeFile: Bool) throws {
        let state = state
        let file = FileManager.default.temporaryDirectory.path + "/transcode-subtitles-\(UUID().uuidString).vtt"
        process = try ChildProcess.spawn(
            executable: ffmpeg,
            arguments: ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", "0", "-i", source,
                        "-map", "0:s:\(track)", "-c:s", "webvtt", "-f", "webvtt", wholeFile ? file : "pipe:1"],
            onStdoutLine: { line in state.withLock { Self.feed(line, into: &$0) } },
            onStderrLine: { line in state.withLock { $0.lastError = line } },
            onExit: { status in
                let whole = wholeFile ? (try? String(contentsOfFile: file, encoding: .utf8)).map(WebVTT.parse) : nil
                if wholeFile { try? FileManager.default.removeItem(atPath: file) }
                state.withLock { s in
                    if let cue = s.pending { s.cues.append(cue) }
                    if let whole { s.cues = whole }
                    s.pending = nil
                    s.finished = true
                    if status != 0 { s.failure = s.lastError ?? "FFmpeg exited with status \(status)" }
                }
            }
        )
    }

    /// One line of FFmpeg's output: a timing line starts a cue (and finishes the one before),
    /// any other line after a timing line is cue text; the header is skipped.
    static func feed(_ line: String, into s: inout State) {
        if line.contains("-->"), let timing = WebVTT.parse("WEBVTT\n\n\(line)\nx").first {
            if let cue = s.pending { s.cues.append(cue) }
            s.pending = WebVTTCue(start: timing.start, end: timing.end, settings: timing.settings, text: [])
        } else if s.pending != nil {
            s.pending?.text.append(line)
        }
    }

    /// The cues that overlap [from, to) ms once all of them are known (FFmpeg has written a cue
    /// that starts at or after `to`, or has ended); nil before. Throws when FFmpeg failed.
    func cues(from: Int, to: Int) throws -> [WebVTTCue]? {
        let found: Result<[WebVTTCue]?, Failure> = state.withLock { s in
            if let failure = s.failure { return .failure(Failure(description: failure)) }
            guard s.finished || (s.pending?.start ?? Int.min) >= to else { return .success(nil) }
            return .success(s.cues.filter { $0.end > from && $0.start < to }.sorted { ($0.start, $0.end) < ($1.start, $1.end) })
        }
        return try found.get()
    }

    /// Stops FFmpeg (no job shows the track any more).
    func cancel() { process.send(SIGKILL) }
}
