import Foundation

/// Clips and measurements for tone mapping and burn-in: an HDR10 or HLG clip from libx265,
/// an SDR clip with a text subtitle track, and per-frame luma from `signalstats`.
public enum PictureClips {
    /// The ffmpeg binary.
    public static let ffmpeg = "/usr/bin/ffmpeg"

    /// A 10-bit BT.2020 HEVC clip of `seconds` with the PQ (`smpte2084`) or HLG
    /// (`arib-std-b67`) transfer, testsrc2 picture and a sine, at `path`; with `cue`, an SRT
    /// track whose one cue shows from `cue.0` to `cue.1` seconds.
    public static func makeHDR(
        _ path: String, transfer: String = "smpte2084", seconds: Int = 3, size: String = "320x180", rate: String = "24",
        cue: (Int, Int)? = nil
    ) throws {
        try make(path, picture: "testsrc2=size=\(size):rate=\(rate)", seconds: seconds, cue: cue, video: [
            "-pix_fmt", "yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast",
            "-x265-params", "colorprim=bt2020:transfer=\(transfer):colormatrix=bt2020nc:log-level=error",
            "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc",
        ])
    }

    /// A black SDR H.264 clip of `seconds` with one SRT track whose one cue, big white text,
    /// shows from `cueStart` to `cueEnd` seconds of the movie.
    public static func makeSubtitled(_ path: String, seconds: Int = 16, cueStart: Int = 10, cueEnd: Int = 12) throws {
        try make(path, picture: "color=c=black:size=320x180:rate=24", seconds: seconds, cue: (cueStart, cueEnd), video: [
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        ])
    }

    static func make(_ path: String, picture: String, seconds: Int, cue: (Int, Int)?, video: [String]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let srt = folder + "/cue-\(UUID().uuidString.prefix(6)).srt"
        var subtitle: [String] = []
        if let cue {
            let text = "1\n00:00:\(String(format: "%02d", cue.0)),000 --> 00:00:\(String(format: "%02d", cue.1)),000\nBURNED IN TEXT\n\n"
            try text.write(toFile: srt, atomically: true, encoding: .utf8)
            subtitle = ["-i", srt]
        }
        defer { try? FileManager.default.removeItem(atPath: srt) }
        let maps = ["-map", "0:v", "-map", "1:a"] + (cue == nil ? [] : ["-map", "2:s", "-c:s", "srt", "-metadata:s:s:0", "language=eng"])
        let result = try runProgram(ffmpeg, [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        ] + subtitle + ["-t", "\(seconds)"] + maps + video + ["-c:a", "aac", path])
        guard result.status == 0 else { throw Clips.ClipError(message: "clip \(path): \(result.stderr)") }
    }

    /// One decoded frame's time and luma.
    public struct FrameLuma: Sendable {
        /// Presentation time in seconds, as the file stamps it (`-copyts`).
        public var time: Double
        /// Mean luma (signalstats YAVG).
        public var mean: Double
        /// Brightest luma (signalstats YMAX).
        public var max: Double
    }

    /// Every frame's luma of the file's first video stream, or of the `crop` rectangle of it
    /// (`w:h:x:y`, FFmpeg's `crop`).
    public static func luma(_ path: String, crop: String? = nil) throws -> [FrameLuma] {
        let stats = FileManager.default.temporaryDirectory.appendingPathComponent("luma-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: stats) }
        let result = try runProgram(ffmpeg, [
            // -copyts: the file's own timestamps (MPEG-TS starts at 1.4 s), not times from 0.
            "-hide_banner", "-nostdin", "-loglevel", "error", "-copyts", "-i", path, "-map", "0:v:0",
            "-vf", (crop.map { "crop=\($0)," } ?? "") + "signalstats,metadata=print:file=\(stats)", "-f", "null", "-",
        ])
        guard result.status == 0 else { throw Clips.ClipError(message: "signalstats: \(result.stderr)") }
        var frames: [FrameLuma] = []
        for line in ((try? String(contentsOfFile: stats, encoding: .utf8)) ?? "").split(separator: "\n") {
            if let range = line.range(of: "pts_time:") {
                let time = Double(line[range.upperBound...].split(separator: " ").first ?? "") ?? 0
                frames.append(FrameLuma(time: time, mean: 0, max: 0))
            } else if line.hasPrefix("lavfi.signalstats.YAVG="), !frames.isEmpty {
                frames[frames.count - 1].mean = Double(line.dropFirst("lavfi.signalstats.YAVG=".count)) ?? 0
            } else if line.hasPrefix("lavfi.signalstats.YMAX="), !frames.isEmpty {
                frames[frames.count - 1].max = Double(line.dropFirst("lavfi.signalstats.YMAX=".count)) ?? 0
            }
        }
        return frames
    }

    /// The video stream's colour tags, `primaries/transfer/matrix`, as ffprobe names them.
    public static func colorTags(_ path: String) throws -> String {
        let result = try runProgram("/usr/bin/ffprobe", [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=color_primaries,color_transfer,color_space,pix_fmt",
            "-of", "default=noprint_wrappers=1:nokey=1", path,
        ])
        // MPEG-TS lists the stream again under its program: the first four lines are the stream.
        return result.stdout.split(separator: "\n").prefix(4).joined(separator: "/")
    }
}
