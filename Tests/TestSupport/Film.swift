import Foundation

/// A film the way a NAS holds them, made with lavfi once per test run: 10-bit HEVC tagged HDR10
/// (or HLG, or 10-bit SDR), a French 5.1 AC3 track first whose sound is only in the centre
/// channel (440 Hz), an English stereo AAC track marked default (880 Hz), and subtitles:
/// English SRT, French ASS, an English DVD bitmap track made from a PGS source, and an
/// English forced-only SRT track.
public struct Film: Sendable {
    /// The film's path (in the shared clip folder; link it into a sandbox with `Sandbox.film`).
    public let path: String
    public let seconds: Int
    public let width: Int
    public let height: Int

    /// One subtitle cue as the source holds it.
    public struct Cue: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var text: String
    }

    /// The video's transfer characteristics.
    public enum Transfer: String, Sendable {
        case pq, hlg, sdr

        var x265: String {
            switch self {
            case .pq: "colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:hdr10=1"
            case .hlg: "colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc"
            case .sdr: "colorprim=bt709:transfer=bt709:colormatrix=bt709"
            }
        }

        var tags: [String] {
            switch self {
            case .pq: ["-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc"]
            case .hlg: ["-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc"]
            case .sdr: ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]
            }
        }
    }

    /// Frequencies that tell the audio tracks apart.
    public static let frenchHz = 440.0
    public static let englishHz = 880.0

    /// Stream order of the film, within each type.
    public enum Track {
        public static let frenchAudio = 0, englishAudio = 1
        public static let englishSRT = 0, frenchASS = 1, englishDVD = 2, englishForced = 3
    }

    /// The muxer moves every stream by the AAC encoder's priming (about 21 ms, the video's
    /// `start_time`), subtitles included: a cue at `start` is at `start + shift` in the file.
    /// English SRT cues (and the DVD track's pictures): 1.0-3.0 s into every 4 s segment.
    public var englishCues: [Cue] {
        (0..<(seconds / 4)).map { Cue(start: Double(4 * $0) + 1, end: Double(4 * $0) + 3, text: "English line \($0)") }
    }

    /// French ASS cues: 1.5-3.5 s into every 4 s segment.
    public var frenchCues: [Cue] {
        (0..<(seconds / 4)).map { Cue(start: Double(4 * $0) + 1.5, end: Double(4 * $0) + 3.5, text: "Ligne \($0)") }
    }

    /// Forced-only English cues: 2-4 s into every 8 s.
    public var forcedCues: [Cue] {
        (0..<(seconds / 8)).map { Cue(start: Double(8 * $0) + 2, end: Double(8 * $0) + 4, text: "Forced \($0)") }
    }

    /// The film of this length, size and transfer, made on first use.
    public static func shared(seconds: Int = 24, size: String = "640x360", transfer: Transfer = .pq) throws -> Film {
        let dims = size.split(separator: "x").compactMap { Int($0) }
        guard dims.count == 2 else { throw Clips.ClipError(message: "size must be WxH; got \(size)") }
        let dir = URL(fileURLWithPath: try Clips.shared(seconds: 1, size: "64x36")).deletingLastPathComponent()
        let film = Film(
            path: dir.appendingPathComponent("film-\(seconds)s-\(size)-\(transfer.rawValue).mkv").path,
            seconds: seconds, width: dims[0], height: dims[1]
        )
        try lock.withLock { try film.make(transfer: transfer, in: dir) }
        return film
    }

    private static let lock = NSLock()

    private func make(transfer: Transfer, in dir: URL) throws {
        if FileManager.default.fileExists(atPath: path) { return }
        let base = path + ".parts"
        try Self.srt(englishCues).write(toFile: base + ".en.srt", atomically: true, encoding: .utf8)
        try Self.srt(forcedCues).write(toFile: base + ".forced.srt", atomically: true, encoding: .utf8)
        try Self.ass(frenchCues, width: width, height: height).write(toFile: base + ".fr.ass", atomically: true, encoding: .utf8)
        let pgs = PGSWriter.stream(cues: englishCues.map { .init(start: $0.start, end: $0.end) }, width: width, height: height)
        try pgs.write(to: URL(fileURLWithPath: base + ".en.sup"))
        defer { for ext in [".en.srt", ".forced.srt", ".fr.ass", ".en.sup"] { try? FileManager.default.removeItem(atPath: base + ext) } }
        var args = [
            // -copyts: every input keeps its own times (else the subtitle files, whose first cue is
            // at 1 s, would be moved to start at 0); -fix_sub_duration: PGS pictures end at the
            // next display set, not never.
            "ffmpeg", "-v", "error", "-y", "-copyts",
            "-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=24",
            "-f", "lavfi", "-i", "sine=frequency=\(Int(Self.frenchHz)):sample_rate=48000",
            "-f", "lavfi", "-i", "sine=frequency=\(Int(Self.englishHz)):sample_rate=48000",
            "-i", base + ".en.srt", "-i", base + ".fr.ass", "-fix_sub_duration", "-i", base + ".en.sup", "-i", base + ".forced.srt",
            "-filter_complex", "[1:a]pan=5.1|FC=c0[fr];[2:a]aformat=channel_layouts=stereo[en]",
            "-map", "0:v", "-map", "[fr]", "-map", "[en]", "-map", "3:s", "-map", "4:s", "-map", "5:s", "-map", "6:s",
            "-t", "\(seconds)",
            "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
            "-x265-params", "\(transfer.x265):keyint=48:min-keyint=48:log-level=error",
        ]
        args += transfer.tags
        args += [
            "-c:a:0", "ac3", "-b:a:0", "384k", "-c:a:1", "aac", "-b:a:1", "128k",
            "-c:s:0", "srt", "-c:s:1", "ass", "-c:s:2", "dvdsub", "-c:s:3", "srt",
            "-metadata:s:a:0", "language=fre", "-metadata:s:a:0", "title=Français 5.1",
            "-metadata:s:a:1", "language=eng", "-metadata:s:a:1", "title=English",
            "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English",
            "-metadata:s:s:1", "language=fre", "-metadata:s:s:1", "title=Français",
            "-metadata:s:s:2", "language=eng", "-metadata:s:s:2", "title=English (DVD)",
            "-metadata:s:s:3", "language=eng", "-metadata:s:s:3", "title=English (forced)",
            "-disposition:a:0", "0", "-disposition:a:1", "default",
            "-disposition:s:0", "0", "-disposition:s:1", "0", "-disposition:s:2", "0", "-disposition:s:3", "forced",
            path + ".tmp.mkv",
        ]
        let result = try runProgram("/usr/bin/env", args)
        guard result.status == 0 else {
            throw Clips.ClipError(message: "ffmpeg could not make the film (status \(result.status)): \(result.stderr.suffix(600))")
        }
        try FileManager.default.moveItem(atPath: path + ".tmp.mkv", toPath: path)
    }

    static func srt(_ cues: [Cue]) -> String {
        cues.enumerated().map { "\($0 + 1)\n\(time($1.start, ",")) --> \(time($1.end, ","))\n\($1.text)\n" }.joined(separator: "\n")
    }

    static func ass(_ cues: [Cue], width: Int, height: Int) -> String {
        var text = """
            [Script Info]
            ScriptType: v4.00+
            PlayResX: \(width)
            PlayResY: \(height)

            [V4+ Styles]
            Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
            Style: Default,DejaVu Sans,\(height / 12),&H0000FFFF,&H0000FFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1

            [Events]
            Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

            """
        for cue in cues {
            text += "Dialogue: 0,\(assTime(cue.start)),\(assTime(cue.end)),Default,,0,0,0,,\(cue.text)\n"
        }
        return text
    }

    /// `00:00:01,000` (SRT) or `00:00:01.000` (WebVTT).
    public static func time(_ seconds: Double, _ separator: String = ".") -> String {
        let ms = Int((seconds * 1000).rounded())
        return String(format: "%02d:%02d:%02d%@%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, separator, ms % 1000)
    }

    static func assTime(_ seconds: Double) -> String {
        let cs = Int((seconds * 100).rounded())
        return String(format: "%d:%02d:%02d.%02d", cs / 360_000, cs / 6000 % 60, cs / 100 % 60, cs % 100)
    }
}

extension Sandbox {
    /// Links the shared film into the media root.
    public func film(_ film: Film, name: String = "film.mkv") throws -> String {
        let target = media.appendingPathComponent(name).path
        if link(film.path, target) != 0 { try FileManager.default.copyItem(atPath: film.path, toPath: target) }
        return target
    }
}
