import Foundation
import TranscodeBackend
import TranscodeWire

/// Checks what a run that exited 0 really left: FFmpeg's HLS muxer exits 0 on a full disk
/// (empty segments) and on a source that ends early (the rest of the movie missing), so
/// "exited 0" alone is no success.
enum OutputAudit {
    /// Seconds a finished run may fall short of the movie's end (the last frame's length,
    /// container durations that round up).
    static let shortfallTolerance = 3.0

    /// Why a run that exited 0 did not really succeed, or nil when it did.
    static func failure(outputDirectory: String, startSeconds: Double, outTime: Double, duration: Double) -> String? {
        let listed = (try? String(contentsOfFile: outputDirectory + "/" + FFmpegCommand.playlistName, encoding: .utf8))
            .map { $0.split(whereSeparator: \.isNewline).compactMap { line in SegmentName.number(line).map { ($0, String(line)) } } } ?? []
        // An fMP4 run's segments need its init segment too.
        let initSegment = listed.contains { SegmentContainer.of(file: $0.1) == .fmp4 } ? [(-1, SegmentContainer.initName)] : []
        for (number, name) in initSegment + listed {
            let bytes = FileManager.default.contents(atPath: outputDirectory + "/" + name) ?? Data()
            if !SegmentContainer.isWhole(bytes, file: name) {
                let what = number < 0 ? "its init segment" : "segment \(number)"
                return "FFmpeg wrote \(what) incomplete (\(bytes.count) bytes): \(spaceSentence(outputDirectory))"
            }
        }
        if listed.isEmpty {
            return "FFmpeg wrote no segment: \(spaceSentence(outputDirectory))"
        }
        let reached = startSeconds + outTime
        if reached < duration - shortfallTolerance {
            return String(format: "The source ended early: the encode stopped at %.1f s of the movie's %.1f s (a truncated or damaged file).", reached, duration)
        }
        return nil
    }

    /// "the transcode root has N MB free" or that it is full.
    static func spaceSentence(_ directory: String) -> String {
        guard let free = freeBytes(directory) else { return "the output folder could not be written." }
        if free < 1 << 20 { return "no space left on the transcode root (\(free / 1024) kB free)." }
        return "the output folder could not be written (\(free >> 20) MB free)."
    }

    /// Bytes available to this process on the file system of `path`.
    static func freeBytes(_ path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
