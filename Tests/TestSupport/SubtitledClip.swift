import Foundation

/// A small film with text subtitles: testsrc2 + sine, an English SRT track (`0:s:0`) and a
/// French ASS track (`0:s:1`) of the same cues, muxed into MKV.
public struct SubtitledClip: Sendable {
    /// The film's path (inside the sandbox's media root).
    public let path: String
    /// One cue as written into the SRT (milliseconds).
    public struct Cue: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var text: String
    }

    /// Cue k from `first` on, every `every` ms, `length` ms long: "Cue k".
    public static func cues(count: Int, first: Int = 500, every: Int = 2_000, length: Int = 1_000) -> [Cue] {
        (0..<count).map { Cue(start: first + $0 * every, end: first + $0 * every + length, text: "Cue \($0)") }
    }

    /// Makes the film: `seconds` long, 640x360 at `rate`, with `cues` in both tracks.
    public static func make(in sandbox: Sandbox, seconds: Int, rate: String = "25", cues: [Cue], name: String = "subtitled.mkv") async throws -> SubtitledClip {
        let srt = sandbox.root.appendingPathComponent("\(name).srt").path
        try srtText(cues).write(toFile: srt, atomically: true, encoding: .utf8)
        let path = sandbox.media.appendingPathComponent(name).path
        let result = try await runProgramAsync("/usr/bin/env", [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=\(rate)",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-i", srt, "-i", srt, "-t", "\(seconds)",
            "-map", "0:v", "-map", "1:a", "-map", "2:s", "-map", "3:s",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", "-b:a", "128k",
            "-c:s:0", "srt", "-c:s:1", "ass",
            "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fre", "-metadata:s:s:1", "title=Français (ASS)",
            path,
        ])
        guard result.status == 0 else { throw Clips.ClipError(message: "ffmpeg could not make the subtitled clip: \(result.stderr)") }
        return SubtitledClip(path: path)
    }

    static func srtText(_ cues: [Cue]) -> String {
        func stamp(_ ms: Int) -> String {
            String(format: "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
        }
        return cues.enumerated().map { "\($0.offset + 1)\n\(stamp($0.element.start)) --> \(stamp($0.element.end))\n\($0.element.text)\n" }
            .joined(separator: "\n")
    }

    /// The subtitle track's cues as the file holds them (ffprobe's packet times, which the
    /// muxer may shift from the SRT's), in milliseconds of movie time (from the file's start
    /// time): start, end.
    public func sourceCueTimes(track: Int = 0) async throws -> [(start: Int, end: Int)] {
        let origin = Int(((try await ffprobeStartTime(path) ?? 0) * 1000).rounded())
        let result = try await ffprobe([
            "-v", "error", "-select_streams", "s:\(track)", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path,
        ])
        return result.stdout.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: ",").compactMap { Double($0) }
            guard parts.count >= 2 else { return nil }
            let start = Int((parts[0] * 1000).rounded()) - origin
            return (start, start + Int((parts[1] * 1000).rounded()))
        }
    }
}
