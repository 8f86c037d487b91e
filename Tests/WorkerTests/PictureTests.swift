import Foundation
import Testing
import TestSupport

/// Tone mapping and burn-in through the worker's real HTTP API and real FFmpeg.
@Suite("Tone map and burn-in (real worker, real FFmpeg)")
struct PictureTests {
    static func body(_ source: String, seek: String? = nil, subtitles: [String: Any]? = nil, toneMap: String? = nil) -> String {
        var configuration: [String: Any] = ["bitrate_bps": 1_000_000, "encoder": "libx264"]
        if let seek { configuration["seek_time"] = seek }
        if let subtitles { configuration["subtitles"] = subtitles }
        if let toneMap { configuration["tone_map"] = toneMap }
        return jsonText(["source_path": source, "configuration": configuration])
    }

    /// Runs a job to completion and returns its final status.
    static func finish(_ worker: WorkerHarness, _ id: String, _ body: String) async throws -> [String: Any] {
        let put = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: body)
        #expect(put.status == 201, "\(id): \(put.status) \(put.text)")
        let done = try await worker.api.waitForJob(id, timeout: .seconds(120)) { $0.string("state") == "completed" }
        #expect(done.held, "\(id) did not complete: \(done.job)")
        return done.job
    }

    @Test("An HDR10 source is tone-mapped to BT.709 (the job says so); tone_map off passes it through; 10-bit SDR becomes 8-bit")
    func hdrIsToneMapped() async throws {
        let worker = try await WorkerHarness.start()
        let hdr = worker.sandbox.media.appendingPathComponent("hdr10.mkv").path
        try await offPool { try PictureClips.makeHDR(hdr) }

        let mapped = try await Self.finish(worker, "mapped", Self.body(hdr))
        #expect(mapped.string("tone_mapped") == "pq->bt709 (hable)", "\(mapped)")
        #expect(mapped.strings("ffmpeg_args")?.containsPair("-color_trc", "bt709") == true)
        let naive = try await Self.finish(worker, "naive", Self.body(hdr, toneMap: "off"))
        #expect(naive.isNull("tone_mapped"), "\(naive)")

        let mappedFile = worker.sandbox.transcode.appendingPathComponent("mapped/segment0.ts").path
        let naiveFile = worker.sandbox.transcode.appendingPathComponent("naive/segment0.ts").path
        #expect(try PictureClips.colorTags(mappedFile) == "yuv420p/bt709/bt709/bt709")
        let mappedLuma = try await offPool { try PictureClips.luma(mappedFile) }
        let naiveLuma = try await offPool { try PictureClips.luma(naiveFile) }
        try #require(!mappedLuma.isEmpty && !naiveLuma.isEmpty)
        let mappedMean = mappedLuma.map(\.mean).reduce(0, +) / Double(mappedLuma.count)
        let naiveMean = naiveLuma.map(\.mean).reduce(0, +) / Double(naiveLuma.count)
        #expect(naiveMean - mappedMean > 20, "tone-mapped mean luma \(mappedMean), pass-through \(naiveMean)")

        // A 10-bit SDR source: 8-bit 4:2:0, no tone map, no BT.709 tags forced on it.
        let sdr10 = worker.sandbox.media.appendingPathComponent("sdr10.mkv").path
        let made = try await runProgramAsync(PictureClips.ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=24", "-t", "2",
            "-pix_fmt", "yuv420p10le", "-c:v", "libx264", "-preset", "ultrafast", sdr10,
        ])
        try #require(made.status == 0, "\(made.stderr)")
        let sdr = try await Self.finish(worker, "sdr10", Self.body(sdr10))
        #expect(sdr.isNull("tone_mapped"))
        #expect(sdr.strings("ffmpeg_args")?.contains("-color_trc") == false)
        let sdrTags = try PictureClips.colorTags(worker.sandbox.transcode.appendingPathComponent("sdr10/segment0.ts").path)
        #expect(sdrTags.hasPrefix("yuv420p"), "\(sdrTags)")
    }

    @Test("A burned text cue at 10-12 s shows at movie time 10-12 s in a run that seeked to 8 s, and nowhere else")
    func burnedTextLandsAtMovieTimeAfterASeek() async throws {
        let worker = try await WorkerHarness.start()
        let clip = worker.sandbox.media.appendingPathComponent("subbed.mkv").path
        try await offPool { try PictureClips.makeSubtitled(clip) }

        // seek 10 s with T = 4: the run starts at segment 2, movie time 8 s.
        let burned = try await Self.finish(worker, "burned", Self.body(clip, seek: "00:00:10", subtitles: ["track": 0, "burn_in": true]))
        #expect(burned.int("start_segment") == 2)
        #expect(burned.strings("ffmpeg_args")?.contains { $0.contains("setpts=PTS+round(8/TB),subtitles=") } == true, "\(burned)")
        let plain = try await Self.finish(worker, "plain", Self.body(clip, seek: "00:00:10"))

        // segment2 covers [8, 12) of the movie; MPEG-TS stamps it 1.4 s later.
        let burnedLuma = try await offPool { try PictureClips.luma(worker.sandbox.transcode.appendingPathComponent("burned/segment2.ts").path) }
        let plainLuma = try await offPool { try PictureClips.luma(worker.sandbox.transcode.appendingPathComponent("plain/segment2.ts").path) }
        try #require(burnedLuma.count > 40 && plainLuma.count > 40, "frames: \(burnedLuma.count), \(plainLuma.count)")
        #expect(plainLuma.allSatisfy { $0.max < 40 }, "the black clip has no bright pixel without subtitles")
        let movie = { (frame: PictureClips.FrameLuma) in frame.time - 1.4 }
        let during = burnedLuma.filter { movie($0) > 10.05 && movie($0) < 11.95 }
        let before = burnedLuma.filter { movie($0) < 9.95 }
        #expect(!during.isEmpty && during.allSatisfy { $0.max > 150 }, "cue missing at 10-12 s: \(during.map { ($0.time, $0.max) })")
        #expect(!before.isEmpty && before.allSatisfy { $0.max < 40 }, "cue shown before 10 s: \(before.filter { $0.max >= 40 }.map(\.time))")
        #expect(burned.isNull("tone_mapped"))
    }

    @Test("A forced encoder whose backend cannot burn in is a 422 that says so")
    func incapableBackendIsRefused() async throws {
        // The shipped x265 manifest without its `features` line.
        let plain = try Manifests.shipped("x265.toml").split(separator: "\n").filter { !$0.hasPrefix("features") }.joined(separator: "\n")
        let sandbox = try Sandbox("worker")
        let worker = try await WorkerHarness.start(["--backends-dir", try Manifests.folder(["plain.toml": plain], in: sandbox)], sandbox: sandbox)
        let clip = worker.sandbox.media.appendingPathComponent("subbed.mkv").path
        try await offPool { try PictureClips.makeSubtitled(clip, seconds: 4, cueStart: 1, cueEnd: 2) }
        var body = Self.body(clip, subtitles: ["track": 0, "burn_in": true])
        body = body.replacingOccurrences(of: "\"libx264\"", with: "\"libx265\"")
        let refused = try await worker.api.call("PUT", "/v1/jobs/nope", body: body)
        #expect(refused.status == 422, "\(refused.status) \(refused.text)")
        #expect(refused.errorSentence?.contains("cannot burn in text subtitles") == true, "\(refused.text)")
        #expect(refused.errorSentence?.contains("libx264") == true, "names the encoders that can: \(refused.text)")
    }
}

/// Burn-in and tone mapping change no timestamp: at 23.976 fps (a run's start lies between two
/// frames) a run from 0 and one that seeks write the same segments.
@Suite("Tone map and burn-in keep the timestamp scheme (real FFmpeg)")
struct PictureTimestampTests {
    @Test("HDR10 + burned text at 23.976 fps: segments from a run at 0 and from a seek to 16 s match within 1 ms")
    func sameSegmentsWithPictureWork() async throws {
        let worker = try await WorkerHarness.start()
        let clip = worker.sandbox.media.appendingPathComponent("film.mkv").path
        try await offPool { try PictureClips.makeHDR(clip, seconds: 28, rate: "24000/1001", cue: (15, 22)) }
        let subtitles: [String: Any] = ["track": 0, "burn_in": true]
        for (id, seek) in [("from0", nil), ("seek16", "00:00:16")] as [(String, String?)] {
            let job = try await PictureTests.finish(worker, id, PictureTests.body(clip, seek: seek, subtitles: subtitles))
            #expect(job.string("tone_mapped") == "pq->bt709 (hable)")
        }
        func segment(_ id: String, _ n: Int) async throws -> [TimestampTests.Packet] {
            try await TimestampTests.packets(worker.sandbox.transcode.appendingPathComponent("\(id)/segment\(n).ts").path)
        }
        // The run's first segment: the same video frames at the same times.
        let first = try await segment("seek16", 4), reference = try await segment("from0", 4)
        #expect(!reference.isEmpty)
        #expect(TimestampTests.sameFrames(first.filter { $0.kind == "video" }, reference.filter { $0.kind == "video" }))
        // Later segments: each stream packet for packet within 1 ms. Not the interleaving: this
        // HEVC source's video starts 21 ms in, and a seeking run's audio lies 8 samples (0.17 ms)
        // off the first run's grid, which may swap an audio packet with a video one in the mux.
        for n in [5, 6] {
            let other = try await segment("seek16", n), mine = try await segment("from0", n)
            for kind in ["video", "audio"] {
                let a = other.filter { $0.kind == kind }, b = mine.filter { $0.kind == kind }
                #expect(!b.isEmpty && TimestampTests.same(a, b), "segment \(n): \(kind) differs between the runs")
            }
        }
    }
}

/// Bitmap burn-in on the test film's DVD track (one solid box per cue, 1-3 s into every 4 s),
/// after a seek: the box's region differs from a run without subtitles during a cue only.
@Suite("Bitmap burn-in (real worker, real FFmpeg, the test film)")
struct BitmapBurnInTests {
    @Test("The DVD track's boxes are overlaid at their movie times in a run that seeked to 4 s")
    func dvdBoxesLandAtTheirTimes() async throws {
        let worker = try await WorkerHarness.start()
        let film = try await offPool { try Film.shared(seconds: 12, size: "640x360") }
        let path = try worker.sandbox.film(film)
        let burned = try await PictureTests.finish(
            worker, "dvd", PictureTests.body(path, seek: "00:00:04", subtitles: ["track": Film.Track.englishDVD, "burn_in": true])
        )
        #expect(burned.strings("ffmpeg_args")?.contains("-filter_complex") == true, "\(burned)")
        #expect(burned.strings("ffmpeg_args")?.containsPair("-map", "[vout]") == true)
        _ = try await PictureTests.finish(worker, "plain", PictureTests.body(path, seek: "00:00:04"))

        // PGSWriter's box: 240x48, centred, its bottom a tenth of the height above the frame's.
        let box = "240:48:200:276"
        for segment in [1, 2] {
            let name = "segment\(segment).ts"
            let mine = try await offPool { try PictureClips.luma(worker.sandbox.transcode.appendingPathComponent("dvd/\(name)").path, crop: box) }
            let theirs = try await offPool { try PictureClips.luma(worker.sandbox.transcode.appendingPathComponent("plain/\(name)").path, crop: box) }
            try #require(mine.count == theirs.count && mine.count > 80, "\(name): \(mine.count) vs \(theirs.count) frames")
            var during: [Double] = [], outside: [Double] = []
            for (a, b) in zip(mine, theirs) {
                // MPEG-TS stamps the movie 1.4 s late; cues are 1-3 s into each 4 s (plus ~21 ms).
                let into = (a.time - 1.4).truncatingRemainder(dividingBy: 4)
                if into > 1.15 && into < 2.9 { during.append(abs(a.mean - b.mean)) }
                if into < 0.85 || into > 3.2 { outside.append(abs(a.mean - b.mean)) }
            }
            #expect(!during.isEmpty && during.allSatisfy { $0 > 10 }, "\(name): box missing during a cue: \(during.prefix(8))")
            #expect(!outside.isEmpty && outside.allSatisfy { $0 < 4 }, "\(name): box shown outside its cue: \(outside.filter { $0 >= 4 }.prefix(8))")
        }
    }
}
