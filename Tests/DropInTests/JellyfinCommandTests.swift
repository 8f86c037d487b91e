import FFmpegDropIn
import Foundation
import Testing
import TestSupport

/// Jellyfin's real command lines (fixtures/, each citing its source) through `transcode-ffmpeg`
/// against a real orchestrator and worker: the segments Jellyfin reads appear under the
/// command's own names, play, and carry the asked track and encoder; the stats lines parse the
/// way Jellyfin parses them.
@Suite("Drop-in: Jellyfin's command lines on the pool", .serialized)
struct JellyfinCommandTests {
    /// What each fixture is, once rewritten to the test film (its streams: 0 video, 1 French
    /// 5.1 AC3, 2 English stereo AAC, 3-6 subtitles with the DVD track at 5).
    enum Expected { case pool(encoder: String), passThrough }

    static let table: [(name: String, expected: Expected, streams: [Int: Int])] = [
        ("01-libx264-hls-basic.txt", .pool(encoder: "libx264"), [1: 2]),
        ("02-libx264-hls-serilog-quoted.txt", .pool(encoder: "libx264"), [1: 2]),
        ("03-libx264-hls-51-to-stereo.txt", .pool(encoder: "libx264"), [1: 1]),
        ("04-libx264-hls-seek-map05.txt", .pool(encoder: "libx264"), [5: 1]),
        // Live TV reads a URL, which runs locally; rewritten to the film it is an fMP4 line for the pool.
        ("05-libx264-livetv-fmp4-event.txt", .pool(encoder: "libx264"), [:]),
        ("06-nvenc-tonemap-cuda-51-to-stereo-windows.txt", .pool(encoder: "h264_nvenc"), [1: 1]),
        ("07-nvenc-seek-noaccurate-OUT-OF-RANGE-10.7.txt", .pool(encoder: "h264_nvenc"), [1: 2]),
        ("08-vaapi-hls-seek-map08-stereo.txt", .pool(encoder: "h264_vaapi"), [8: 2]),
        ("09-vaapi-bitmap-sub-burnin-seek-canvas.txt", .pool(encoder: "h264_vaapi"), [1: 5, 5: 2]),
        ("10-vaapi-hls-serilog-quoted-i965.txt", .pool(encoder: "h264_vaapi"), [3: 2]),
        ("11-qsv-h264-livetv-windows-event.txt", .pool(encoder: "h264_qsv"), [:]),
        ("12-qsv-hevc-vaapi-derived-serilog-quoted.txt", .pool(encoder: "hevc_qsv"), [1: 2]),
        ("13-remux-copy-hls-seek.txt", .pool(encoder: "copy"), [1: 2]),
        ("14-remux-video-copy-livetv-windows-serilog-quoted.txt", .pool(encoder: "copy"), [:]),
        ("15-vaapi-text-sub-burnin-NOT-HLS-mkv.txt", .passThrough, [:]),
        ("16-libx265-text-sub-burnin-hls-fmp4-OUT-OF-RANGE-10.7.txt", .pool(encoder: "libx265"), [1: 2]),
        ("17-remux-fmp4-seek-noaccurate-readrate-windows.txt", .pool(encoder: "copy"), [:]),
        ("18-pgs-burnin-tonemapx-libx264-fmp4-10.10.txt", .pool(encoder: "libx264"), [1: 2, 3: 5]),
        ("19-pgs-burnin-qsv-h264-mpegts-10.10.txt", .pool(encoder: "h264_qsv"), [1: 2, 2: 5]),
    ]

    @Test("Every fixture is either mapped onto a job or passed through, as docs/drop-in.md says")
    func classification() throws {
        let names = try JellyfinFixture.all().map(\.name)
        #expect(Set(names) == Set(Self.table.map(\.name)), "fixtures and table differ: \(names)")
        for entry in Self.table {
            let fixture = try JellyfinFixture.load(entry.name)
            let argv = fixture.rewritten(source: "/m/film.mkv", folder: "/t", seek: "00:00:08.000", streams: entry.streams)
            let plan = try? HLSTranscode(FFmpegArguments(argv))
            switch entry.expected {
            case .passThrough:
                #expect(plan == nil, "\(entry.name) should pass through: \(argv)")
            case .pool(let encoder):
                #expect(plan?.encoder == encoder, "\(entry.name): \(String(describing: plan)) from \(argv)")
                #expect(plan?.source == "/m/film.mkv" && plan?.playlist.hasPrefix("/t/") == true, "\(entry.name)")
            }
        }
        // What the real lines ask for, beyond the encoder.
        let tonemap = try HLSTranscode(FFmpegArguments(JellyfinFixture.load("06-nvenc-tonemap-cuda-51-to-stereo-windows.txt").rewritten(source: "/m/f.mkv", folder: "/t")))
        #expect(tonemap.toneMap && tonemap.channels == 2)
        let bitmap = try HLSTranscode(FFmpegArguments(JellyfinFixture.load("09-vaapi-bitmap-sub-burnin-seek-canvas.txt").rewritten(source: "/m/f.mkv", folder: "/t", streams: [1: 5])))
        #expect(bitmap.burnIn == .bitmap(.absolute(5)) && bitmap.seek == 6576)
        let seek = try HLSTranscode(FFmpegArguments(JellyfinFixture.load("04-libx264-hls-seek-map05.txt").argv))
        #expect(seek.seek == 2112 && seek.startNumber == 704 && seek.segmentSeconds == 3 && seek.channels == 6)
    }

    @Test("Software H.264 lines run on the pool: segments under Jellyfin's names, the mapped track, stats Jellyfin parses")
    func softwareLines() async throws {
        let pool = try await DropInPool.start()
        // 01: English (0:2 = a:1) from 0; 03: French 5.1 downmixed to stereo; 04: a seek with 5.1 kept.
        _ = try await Self.run(pool, "01-libx264-hls-basic.txt", streams: [1: 2], hertz: Film.englishHz, channels: 2)
        _ = try await Self.run(pool, "03-libx264-hls-51-to-stereo.txt", streams: [1: 1], hertz: Film.frenchHz, channels: 2)
        _ = try await Self.run(pool, "04-libx264-hls-seek-map05.txt", streams: [5: 1], seek: "00:00:12.000", start: 4, hertz: Film.frenchHz, channels: 6)
        try await Self.expectNoJobsLeft(pool)
    }

    @Test("Hardware lines on a pool without that hardware (encoder = codec): the codec kept, the pool's encoder, tone map and bitmap burn-in done")
    func hardwareLinesKeepTheirCodec() async throws {
        let pool = try await DropInPool.start()
        // 06: NVENC with tonemap_cuda over the HDR10 film, French 5.1 to stereo: H.264, SDR.
        let tonemapped = try await Self.run(pool, "06-nvenc-tonemap-cuda-51-to-stereo-windows.txt", streams: [1: 1], hertz: Film.frenchHz, channels: 2)
        let tags = try PictureClips.colorTags(tonemapped[1])
        #expect(tags.contains("bt709") && !tags.contains("smpte2084"), "06 is tone-mapped to BT.709: \(tags)")
        // 09: VA-API with the DVD track (0:5) overlaid from a seek, English stereo.
        let burned = try await Self.run(pool, "09-vaapi-bitmap-sub-burnin-seek-canvas.txt", streams: [1: 5, 5: 2], seek: "00:00:06.000", start: 2,
                                        hertz: Film.englishHz, channels: 2)
        try Self.expectBitmapBox(in: burned, film: pool.film)
        // 19: QSV with the DVD track (0:2 in the fixture) overlaid, audio copied (the pool makes AAC).
        let overlaid = try await Self.run(pool, "19-pgs-burnin-qsv-h264-mpegts-10.10.txt", streams: [1: 2, 2: 5], hertz: Film.englishHz, channels: 2)
        try Self.expectBitmapBox(in: overlaid, film: pool.film)
        // 10 (VA-API i965) and 12 (HEVC on QSV): 12 keeps HEVC on the pool's HEVC encoder.
        _ = try await Self.run(pool, "10-vaapi-hls-serilog-quoted-i965.txt", streams: [3: 2], hertz: Film.englishHz, channels: 2)
        _ = try await Self.run(pool, "12-qsv-hevc-vaapi-derived-serilog-quoted.txt", streams: [1: 2], hertz: Film.englishHz, channels: 2, codec: "hevc")
        try await Self.expectNoJobsLeft(pool)
    }

    @Test("The other H.264 lines: 02 (Serilog-quoted), 07 (NVENC, a seek, 5.1 kept), 11 (QSV live TV, rewritten to the film: the default track)")
    func otherH264Lines() async throws {
        let pool = try await DropInPool.start()
        _ = try await Self.run(pool, "02-libx264-hls-serilog-quoted.txt", streams: [1: 2], hertz: Film.englishHz, channels: 2)
        _ = try await Self.run(pool, "07-nvenc-seek-noaccurate-OUT-OF-RANGE-10.7.txt", streams: [1: 1], seek: "00:00:09.000", start: 3, hertz: Film.frenchHz, channels: 6)
        _ = try await Self.run(pool, "11-qsv-h264-livetv-windows-event.txt", streams: [:], hertz: Film.englishHz, channels: 2)
        try await Self.expectNoJobsLeft(pool)
    }

    @Test("fMP4 lines (Jellyfin 10.9+): the init segment and fragments under the command's names; text burn-in with HEVC, PGS burn-in with tonemapx")
    func fmp4Lines() async throws {
        let pool = try await DropInPool.start()
        // 16: libx265 with the English SRT (si=0) burned in, French 5.1 kept as 5.1 (-ac 6).
        _ = try await Self.run(pool, "16-libx265-text-sub-burnin-hls-fmp4-OUT-OF-RANGE-10.7.txt", streams: [1: 1], hertz: Film.frenchHz, channels: 6, codec: "hevc")
        // 18: the DVD track (0:3 in the fixture) overlaid over the tone-mapped HDR10 film, English stereo.
        let segments = try await Self.run(pool, "18-pgs-burnin-tonemapx-libx264-fmp4-10.10.txt", streams: [1: 2, 3: 5], hertz: Film.englishHz, channels: 2)
        let plan = try HLSTranscode(FFmpegArguments(JellyfinFixture.load("18-pgs-burnin-tonemapx-libx264-fmp4-10.10.txt").argv))
        let folder = (segments.first.map { ($0 as NSString).deletingLastPathComponent }) ?? ""
        let initPath = folder + "/" + plan.initFileName
        try Self.expectBitmapBox(in: segments.map { "concat:\(initPath)|\($0)" }, film: pool.film, movieZero: 0)
        let tags = try PictureClips.colorTags("concat:\(initPath)|\(segments[1])")
        #expect(tags.contains("bt709") && !tags.contains("smpte2084"), "18 is tone-mapped to BT.709: \(tags)")
        try await Self.expectNoJobsLeft(pool)
    }

    /// Runs one fixture through `transcode-ffmpeg` and checks what Jellyfin would read: every
    /// segment from `-start_number` on under the command's own pattern, a finished playlist,
    /// `codec` video with `audio` (AAC; a remux copies the source's) of the mapped track (by its
    /// tone) in `channels`, and stats lines that parse the way Jellyfin parses them. Returns the
    /// segment paths.
    static func run(_ pool: DropInPool, _ name: String, streams: [Int: Int], seek: String? = nil, start: Int? = nil,
                    hertz: Double, channels: Int, codec: String = "h264", audio: String = "aac") async throws -> [String] {
        let folder = try pool.transcodes(String(name.prefix(2)))
        let argv = try JellyfinFixture.load(name).rewritten(source: pool.source, folder: folder, seek: seek, startNumber: start, streams: streams)
        let plan = try HLSTranscode(FFmpegArguments(argv))
        let result = try await runFFmpegLike(dropInPath, argv, environment: pool.environment)
        #expect(result.status == 0, "\(name): exit \(result.status)\n\(result.stderr.suffix(1500))")

        let first = start ?? plan.startNumber
        let count = Int((Double(pool.film.seconds) / Double(plan.segmentSeconds)).rounded(.up)) - (seek.map { Int(HLSTranscodeSeconds($0) / Double(plan.segmentSeconds)) } ?? 0)
        let names = (0..<count).map { plan.segmentPath(first + $0) }
        #expect(names.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "\(name): missing \(names.filter { !FileManager.default.fileExists(atPath: $0) })")
        let playlist = (try? String(contentsOfFile: plan.playlist, encoding: .utf8)) ?? ""
        #expect(playlist.contains("#EXT-X-ENDLIST") && playlist.contains((names.last.map { ($0 as NSString).lastPathComponent }) ?? "?"), "\(name): \(playlist)")
        guard names.count > 1, FileManager.default.fileExists(atPath: names[1]) else { return names }
        // The playlist and segments Jellyfin serves play in mpv from end to end, without a glitch.
        let played = try await MpvCheck.play(plan.playlist)
        #expect(played.reachedEnd && played.problems.isEmpty, "\(name): mpv exit \(played.status): \(played.problems.prefix(5)) \(played.log.suffix(5))")

        // An fMP4 fragment reads only after its init segment.
        let media = plan.container == .fmp4 ? "concat:\(plan.initPath)|\(names[1])" : names[1]
        if plan.container == .fmp4 {
            #expect(FileManager.default.fileExists(atPath: plan.initPath) && playlist.contains("#EXT-X-MAP:URI=\"\(plan.initFileName)\""), "\(name): \(playlist)")
        }
        let probe = try await ffprobe(["-v", "error", "-show_entries", "stream=codec_name,channels", "-of", "csv=p=0", media])
        #expect(probe.stdout.contains(codec) && probe.stdout.contains("\(audio),\(channels)"), "\(name): \(probe.stdout) \(probe.stderr)")
        let measured = try await dominantHertz(media)
        #expect(abs(measured - hertz) < 40, "\(name): audio at \(measured) Hz, expected the \(hertz) Hz track")

        let stats = result.stderr.split(separator: "\n").filter { $0.hasPrefix("frame=") }
        #expect(!stats.isEmpty, "\(name): no stats lines in \(result.stderr.suffix(500))")
        let parsed = stats.compactMap { jellyfinParse(String($0)) }
        #expect(parsed.count == stats.count && parsed.last?.fps != nil, "\(name): \(stats.suffix(2))")
        let end = parsed.compactMap(\.time).max() ?? 0
        #expect(abs(end - Double(pool.film.seconds)) < 0.5, "\(name): last time= \(end)")
        return names
    }

    /// The DVD track's cue picture (a yellow box, luma 210, centred near the bottom) is in the
    /// picture while a cue is on screen and not between cues.
    static func expectBitmapBox(in segments: [String], film: Film, movieZero: Double = 1.4) throws {
        let box = (width: 240, height: 48), x = (film.width - box.width) / 2, y = film.height - box.height - film.height / 10
        let inner = "\(box.width - 40):\(box.height - 16):\(x + 20):\(y + 8)"
        var on: [Double] = [], off: [Double] = []
        for segment in segments.dropFirst().prefix(3) where FileManager.default.fileExists(atPath: segment.split(separator: "|").last.map(String.init) ?? segment) {
            for frame in try PictureClips.luma(segment, crop: inner) {
                // Movie time 0 is 1.4 s in MPEG-TS, 0 in fMP4; cues are shown at [4k+1, 4k+3).
                let phase = (frame.time - movieZero).truncatingRemainder(dividingBy: 4)
                if phase > 1.2 && phase < 2.8 { on.append(frame.mean) } else if phase > 3.2 || phase < 0.8 { off.append(frame.mean) }
            }
        }
        #expect(!on.isEmpty && on.allSatisfy { abs($0 - 210) < 15 }, "box luma while cues show: \(on.prefix(8))")
        #expect(!off.isEmpty && !off.allSatisfy { abs($0 - 210) < 15 }, "the box stays between cues: \(off.prefix(8))")
    }

    static func expectNoJobsLeft(_ pool: DropInPool) async throws {
        // Each run stopped its job on the pool when it finished.
        let jobs = try await pool.orchestrator.api.object("/v1/jobs")["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.isEmpty, "jobs left on the pool: \(jobs.map { $0["job_id"] ?? "" })")
    }
}

/// `HH:MM:SS.fff` in seconds.
func HLSTranscodeSeconds(_ text: String) -> Double {
    text.split(separator: ":").compactMap { Double($0) }.reduce(0) { $0 * 60 + $1 }
}

/// The frequency of a file's first audio stream, from the zero crossings of its mono mix.
func dominantHertz(_ path: String) async throws -> Double {
    // Beside nothing: `path` may be a `concat:init|fragment` input.
    let raw = FileManager.default.temporaryDirectory.appendingPathComponent("hertz-\(UUID().uuidString).pcm").path
    defer { try? FileManager.default.removeItem(atPath: raw) }
    _ = try await runProgramAsync("/usr/bin/env", ["ffmpeg", "-v", "error", "-y", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le", raw])
    let data = (try? Data(contentsOf: URL(fileURLWithPath: raw))) ?? Data()
    let samples = stride(from: 0, to: data.count - 1, by: 2).map { Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8) }
    guard samples.count > 4800 else { return 0 }
    var crossings = 0
    for i in 1..<samples.count where (samples[i - 1] < 0) != (samples[i] < 0) { crossings += 1 }
    return Double(crossings) / 2 / (Double(samples.count) / 48_000)
}
