import FFmpegDropIn
import Foundation
import Testing
import TestSupport

/// How `transcode-ffmpeg` behaves as the FFmpeg of a media server beyond a plain run: refusals,
/// remux, stopping, start-up queries and commands it leaves to the local FFmpeg.
@Suite("Drop-in: refusals, remux, stop, queries, pass-through", .serialized)
struct DropInBehaviourTests {
    @Test("encoder = as-asked, a hardware encoder no live worker offers: FFmpeg-like error and exit 1; with fallback = local, the local FFmpeg runs")
    func refusedAndFallback() async throws {
        let pool = try await DropInPool.start()
        let folder = try pool.transcodes("vaapi")
        let argv = try JellyfinFixture.load("08-vaapi-hls-seek-map08-stereo.txt")
            .rewritten(source: pool.source, folder: folder, seek: "00:00:06.000", startNumber: 2, streams: [8: 2])
        var asAsked = pool.environment
        asAsked["TRANSCODE_ENCODER"] = "as-asked"
        let refused = try await runFFmpegLike(dropInPath, argv, environment: asAsked)
        #expect(refused.status == 1, "exit \(refused.status): \(refused.stderr)")
        #expect(refused.stderr.contains("h264_vaapi") && refused.stderr.contains("Conversion failed!"), "\(refused.stderr)")
        let jobs = try await pool.orchestrator.api.object("/v1/jobs")["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.isEmpty, "a refused command left a job: \(jobs)")

        var environment = asAsked
        environment["TRANSCODE_FALLBACK"] = "local"
        let local = try await runFFmpegLike(dropInPath, argv, environment: environment)
        let bare = try await runFFmpegLike("/usr/bin/ffmpeg", argv, environment: [:])
        // Here the local FFmpeg fails at the VA-API device, exactly as it does when run itself.
        #expect(local.status == bare.status && local.status != 0, "\(local.status) vs \(bare.status)")
        #expect(local.stderr.contains("running the local FFmpeg") && unpointed(local.stderr).hasSuffix(unpointed(bare.stderr)), "\(local.stderr)\n--- bare:\n\(bare.stderr)")
    }

    @Test("A remux line (-codec:v:0 copy) runs as a pool remux from the seek, under the command's names")
    func remux() async throws {
        let pool = try await DropInPool.start()
        let folder = try pool.transcodes("remux")
        let argv = try JellyfinFixture.load("13-remux-copy-hls-seek.txt")
            .rewritten(source: pool.source, folder: folder, seek: "00:00:06.000", startNumber: 1, streams: [1: 2])
        let plan = try HLSTranscode(FFmpegArguments(argv))
        let result = try await runFFmpegLike(dropInPath, argv, environment: pool.environment)
        #expect(result.status == 0, "exit \(result.status): \(result.stderr.suffix(800))")
        #expect(FileManager.default.fileExists(atPath: plan.segmentPath(1)), "\(folderListing(folder))")
        let probe = try await ffprobe(["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", plan.segmentPath(1)])
        #expect(probe.stdout.contains("hevc"), "a remux copies the film's HEVC: \(probe.stdout)")
        let playlist = (try? String(contentsOfFile: plan.playlist, encoding: .utf8)) ?? ""
        #expect(playlist.contains("#EXT-X-ENDLIST"), "\(playlist)")
    }

    @Test("An fMP4 remux line (17: -codec:v:0 copy, fMP4, -ss with -noaccurate_seek, -readrate) runs as a pool remux: init and fragments under the command's names, HEVC and the AC3 copied")
    func fmp4Remux() async throws {
        let pool = try await DropInPool.start()
        // A seek off the 6 s grid, as Jellyfin's; -start_number 42 kept as given (Jellyfin's
        // segment index, not seek / 6). 0:1 is the film's French 5.1 AC3, copied as it is.
        let segments = try await JellyfinCommandTests.run(pool, "17-remux-fmp4-seek-noaccurate-readrate-windows.txt", streams: [:], seek: "00:00:07.927",
                                                          hertz: Film.frenchHz, channels: 6, codec: "hevc", audio: "ac3")
        // The names the line gives, spelled out: the playlist, the init segment (a full path on
        // the line), fragments 42 on for movie time 6 s on, to the film's end (24.021 s: the last
        // fragment holds 0.021 s, as Jellyfin's own playlist counts them); nothing else, no .tmp.
        let hash = "c437c90d15d19e81d242e94776806a46"
        let folder = try pool.transcodes("17")
        let duration = try #require(try await ffprobeDuration(pool.source))
        // Pool segment n (1, the seek's, to the last) is the line's number 42 + n - 1.
        let fragments = (1..<Int((duration / 6).rounded(.up))).map { "\(hash)\(42 + $0 - 1).mp4" }
        let listing = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(listing == Set(["\(hash).m3u8", "\(hash)-1.mp4"] + fragments), "\(listing.sorted())")
        let playlist = (try? String(contentsOfFile: folder + "/\(hash).m3u8", encoding: .utf8)) ?? ""
        #expect(playlist.contains("#EXT-X-MAP:URI=\"\(hash)-1.mp4\"") && playlist.contains("#EXT-X-MEDIA-SEQUENCE:42"), "\(playlist)")
        let initSegment = folder + "/\(hash)-1.mp4", fragment = try #require(segments.first)
        let first = try await ffprobe(["-v", "error", "-show_entries", "stream=codec_name,channels", "-of", "csv=p=0", "concat:\(initSegment)|\(fragment)"])
        #expect(first.stdout.contains("hevc") && first.stdout.contains("ac3,6"), "init + first fragment: \(first.stdout) \(first.stderr)")
        // The first fragment is the seek's segment: it starts at a keyframe within one GOP (the
        // film's keyframes are 2 s apart, from 0.021 s) of its boundary, 6 s; a copy starts at
        // the keyframe at or before the point it seeks to, so here at 4.021 s.
        let video = try await FMP4Probe.packets(initSegment: initSegment, segment: fragment).filter { $0.kind == "video" }
        #expect(video.first.map { $0.pts > 6 - 2.05 && $0.pts < 6 + 0.05 } == true, "first video packet: \(String(describing: video.first))")
        try await JellyfinCommandTests.expectNoJobsLeft(pool)
    }

    @Test("q on stdin stops the job on the pool and exits 0; SIGTERM exits 255; no FFmpeg is left")
    func stopping() async throws {
        let pool = try await DropInPool.start()
        for (key, expected) in [("q", Int32(0)), ("TERM", Int32(255))] {
            let folder = try pool.transcodes("stop-\(key)")
            let argv = try JellyfinFixture.load("01-libx264-hls-basic.txt").rewritten(source: pool.source, folder: folder, streams: [1: 2])
            let plan = try HLSTranscode(FFmpegArguments(argv))
            let run = try pool.launch(argv)
            let started = await eventually(timeout: .seconds(60)) { FileManager.default.fileExists(atPath: plan.segmentPath(0)) }
            #expect(started, "no first segment")
            if key == "q" { run.send("q\n") } else { run.process.terminate() }
            let status = try await run.status()
            #expect(status == expected, "\(key): exit \(status)")
            let job = try await pool.orchestrator.api.call("GET", "/v1/jobs/\(PoolRun.jobID(for: plan))")
            #expect(job.status == 404, "\(key): the job is still on the pool: \(job.text)")
            #expect(await eventually(timeout: .seconds(10)) { ffmpegProcesses(mentioning: pool.source).isEmpty }, "\(key): FFmpeg left running")
        }
    }

    @Test("Jellyfin's throttling keys (c to pause, a newline to resume; p, u) are read and ignored: the job runs on; q afterwards stops it, exit 0, no job left")
    func throttlingKeysAreIgnored() async throws {
        let pool = try await DropInPool.start()
        let folder = try pool.transcodes("throttle")
        let argv = try JellyfinFixture.load("01-libx264-hls-basic.txt").rewritten(source: pool.source, folder: folder, streams: [1: 2])
        let plan = try HLSTranscode(FFmpegArguments(argv))
        let lastSegment = Int((Double(pool.film.seconds) / Double(plan.segmentSeconds)).rounded(.up)) - 1
        let newest = { (0...lastSegment).last { FileManager.default.fileExists(atPath: plan.segmentPath($0)) } }
        let run = try pool.launch(argv)
        defer { if run.process.isRunning { run.process.terminate() } }
        let started = await eventually(timeout: .seconds(60)) { newest() != nil }
        try #require(started, "no first segment")
        // Jellyfin's TranscodingThrottler: Write("c") pauses, a bare WriteLine() resumes; 10.9+
        // sends p and u instead where the FFmpeg's `?` help lists them (jellyfin-ffmpeg's does).
        run.send("c")
        try await Task.sleep(for: .milliseconds(500))
        run.send("\n")
        run.send("p")
        run.send("u")
        let reached = newest() ?? 0
        try #require(run.process.isRunning, "the run ended on the throttling keys (at segment \(reached) of \(lastSegment))")
        // Room for a segment after the keys and for q before the film's end.
        try #require(reached + 1 < lastSegment, "the run was at segment \(reached) of \(lastSegment) when the keys were sent")
        let later = await eventually(timeout: .seconds(60)) { (newest() ?? 0) > reached }
        #expect(later, "no segment after \(reached) once the throttling keys were sent")
        let id = PoolRun.jobID(for: plan)
        let job = try await pool.orchestrator.api.call("GET", "/v1/jobs/\(id)")
        #expect(job.status == 200, "the job left the pool after the throttling keys: \(job.status) \(job.text)")
        try #require(run.process.isRunning, "the run ended before q (at segment \(newest() ?? 0) of \(lastSegment))")
        run.send("q\n")
        let status = try await run.status()
        #expect(status == 0, "q: exit \(status)")
        let gone = try await pool.orchestrator.api.call("GET", "/v1/jobs/\(id)")
        #expect(gone.status == 404, "the job is still on the pool after q: \(gone.text)")
        try await JellyfinCommandTests.expectNoJobsLeft(pool)
    }

    @Test("Start-up queries: -version is the local FFmpeg's; -encoders lists the pool's video encoders only; -hwaccels the local list")
    func queries() async throws {
        let pool = try await DropInPool.start()
        let version = try await runFFmpegLike(dropInPath, ["-version"], environment: pool.environment)
        let bareVersion = try await runFFmpegLike("/usr/bin/ffmpeg", ["-version"], environment: [:])
        #expect(version.stdout == bareVersion.stdout && version.status == 0)
        // Jellyfin's EncoderValidator reads encoders with ^\s\S{6}\s(?<codec>[\w|-]+)\s+.+$ (multiline).
        let encoders = try await runFFmpegLike(dropInPath, ["-hide_banner", "-encoders"], environment: pool.environment)
        let names = Set(encoders.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard line.hasPrefix(" "), words.count >= 2, words[0].count == 6 else { return nil }
            return String(words[1])
        })
        #expect(names.contains("libx264") && names.contains("aac"), "\(encoders.stdout.prefix(400))")
        #expect(!names.contains("h264_nvenc") && !names.contains("h264_vaapi"), "the pool offers no hardware encoder here, yet: \(names.filter { $0.contains("_") }.sorted())")
        let bare = try await runFFmpegLike("/usr/bin/ffmpeg", ["-hide_banner", "-encoders"], environment: [:])
        #expect(bare.stdout.contains("h264_nvenc"), "the local build lists NVENC; the pool's answer must not")
        let hwaccels = try await runFFmpegLike(dropInPath, ["-hide_banner", "-hwaccels"], environment: pool.environment)
        #expect(hwaccels.status == 0 && hwaccels.stdout.hasPrefix("Hardware acceleration methods:"), "\(hwaccels.stdout)")
    }

    @Test("What it cannot map runs the local FFmpeg with the same argv: the same files, status and errors")
    func passThrough() async throws {
        let pool = try await DropInPool.start()
        let folder = try pool.transcodes("pass")
        // Subtitle extraction, as Jellyfin runs it for a text track.
        let mine = ["-v", "error", "-i", "file:" + pool.source, "-map", "0:s:0", "-f", "webvtt", folder + "/mine.vtt"]
        let theirs = ["-v", "error", "-i", "file:" + pool.source, "-map", "0:s:0", "-f", "webvtt", folder + "/bare.vtt"]
        let a = try await runFFmpegLike(dropInPath, mine, environment: pool.environment)
        let b = try await runFFmpegLike("/usr/bin/ffmpeg", theirs, environment: [:])
        #expect(a.status == 0 && b.status == 0)
        let vtt = try Data(contentsOf: URL(fileURLWithPath: folder + "/mine.vtt"))
        #expect(vtt == (try Data(contentsOf: URL(fileURLWithPath: folder + "/bare.vtt"))) && !vtt.isEmpty)
        // A real line the pool does not take (burn-in into an .mkv, not HLS): identical outcome.
        let fixture = try JellyfinFixture.load("15-vaapi-text-sub-burnin-NOT-HLS-mkv.txt")
        let argv = fixture.rewritten(source: pool.source, folder: folder, seek: "00:00:04.000")
        let passed = try await runFFmpegLike(dropInPath, argv, environment: pool.environment)
        let direct = try await runFFmpegLike("/usr/bin/ffmpeg", argv, environment: [:])
        #expect(passed.status == direct.status && unpointed(passed.stderr) == unpointed(direct.stderr), "\(passed.status) \(passed.stderr)\n--- \(direct.status) \(direct.stderr)")
        let jobs = try await pool.orchestrator.api.object("/v1/jobs")["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.isEmpty)
    }
}

/// FFmpeg's log without the addresses it prints (`[AVHWDeviceContext @ 0x55a7e20cffc0]`), which differ per process.
func unpointed(_ log: String) -> String {
    log.replacingOccurrences(of: "@ 0x[0-9a-f]+", with: "@ 0x", options: .regularExpression)
}
