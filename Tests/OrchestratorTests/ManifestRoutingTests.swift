import Foundation
import Testing
import TestSupport

/// The shipped x265 manifest through real orchestrator, workers and FFmpeg: routed like a
/// compiled encoder, HEVC in every segment, seek and failover as with x264.
@Suite struct ManifestRoutingTests {
    static let withX265 = ["--backends-dir", Manifests.shippedFolder]

    /// The video codec of a segment fetched through the orchestrator, as ffprobe names it.
    static func videoCodec(_ pool: FailoverPool, segment: Int, scratch: Sandbox) async throws -> String? {
        let response = try await pool.api.call("GET", "/v1/jobs/\(try #require(pool.jobID))/hls/segment\(segment).ts", timeout: .seconds(40))
        guard response.status == 200 else { return nil }
        let file = scratch.root.appendingPathComponent("segment\(segment).ts")
        try response.body.write(to: file)
        let probe = try await ffprobe(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "default=nw=1:nk=1", file.path])
        // A TS segment lists its streams twice (program and stream): the first line says it.
        return probe.stdout.split(whereSeparator: \.isNewline).first.map(String.init)
    }

    static func encoders(_ pool: FailoverPool, _ id: String) async throws -> [String] {
        let worker = try await pool.api.object("/v1/workers/\(id)")
        return (worker["static_specs"] as? [String: Any])?["encoders"] as? [String] ?? []
    }

    @Test func onlyTheWorkerWithTheManifestGetsLibx265AndSeeksWork() async throws {
        var pool = try await FailoverPool.start(workers: ["plain"], timeout: 60, clipSeconds: 40)
        try await pool.addWorker("hevc", flags: Self.withX265)
        #expect(try await Self.encoders(pool, "hevc").contains("libx265"))
        #expect(try await !Self.encoders(pool, "plain").contains("libx265"))

        pool.jobID = "movie"
        #expect(try await pool.startJob("movie", encoder: "libx265") == "hevc")
        try await pool.waitForSegment("movie", atLeast: 1)
        let scratch = try Sandbox("hevc")
        #expect(try await Self.videoCodec(pool, segment: 0, scratch: scratch) == "hevc")
        let local = try #require(pool.workers["hevc"]).sandbox.transcode.appendingPathComponent("movie/index.m3u8").path
        let playlist = try String(contentsOfFile: local, encoding: .utf8)
        #expect(playlist.hasPrefix("#EXTM3U") && playlist.contains("#EXTINF:4") && playlist.contains("segment0.ts"), "\(playlist)")

        // A seek restarts the encode at floor(20/4) = segment 5, still HEVC, on the movie's clock.
        let seek = try await pool.api.call("PUT", "/v1/jobs/movie", body: WorkerHarness.job(pool.source, seek: "00:00:20", encoder: "libx265"))
        #expect(seek.status == 200 && seek.object.string("worker_id") == "hevc", "\(seek.text)")
        try await pool.waitForSegment("movie", atLeast: 5)
        #expect(try await Self.videoCodec(pool, segment: 5, scratch: scratch) == "hevc")
        let start5 = try #require(try await ffprobeStartTime(scratch.root.appendingPathComponent("segment5.ts").path))
        #expect(abs(start5 - (5 * 4 + 1.4)) < 0.3, "segment 5 starts at about 5 x T (+ the muxer's 1.4 s): \(start5)")

        // Without the manifest's worker nobody can run it: the job waits, naming the encoder.
        _ = await try #require(pool.workers["hevc"]).service.stopped(signal: SIGTERM)
        pool.workers["hevc"] = nil
        let pending = try await eventually(timeout: .seconds(10)) { try await pool.job("movie").string("state") == "pending" }
        #expect(pending)
        #expect(try await pool.job("movie").string("error")?.contains("libx265") == true)
        let refused = try await pool.api.call("PUT", "/v1/jobs/other", body: WorkerHarness.job(pool.source, encoder: "libx265"))
        #expect(refused.status == 503 && (refused.errorSentence ?? "").contains("libx265"), "\(refused.text)")
    }

    @Test func aKilledWorkersHEVCJobResumesOnAnotherWorkerWithTheManifest() async throws {
        var pool = try await FailoverPool.start(workers: ["hx-1", "hx-2"], clipSeconds: 60, workerFlags: Self.withX265)
        pool.jobID = "failover"
        let first = try await pool.startJob("failover", encoder: "libx265")
        try await pool.waitForSegment("failover", atLeast: 2)
        _ = await try #require(pool.workers[first]).service.stopped(signal: SIGKILL)
        pool.workers[first] = nil
        let moved = try await eventually(timeout: .seconds(10)) {
            let job = try await pool.job("failover")
            return job.string("worker_id") != first && job.string("worker_id") != nil && job.string("state") != "pending"
        }
        #expect(moved)
        let failover = try #require(try await pool.job("failover")["last_failover"] as? [String: Any])
        let resume = try #require(failover.int("resume_segment"))
        #expect(resume == (failover.int("last_segment_id") ?? -9) + 1)
        try await pool.waitForSegment("failover", atLeast: resume)
        #expect(try await Self.videoCodec(pool, segment: resume, scratch: try Sandbox("hevc")) == "hevc")
    }
}
