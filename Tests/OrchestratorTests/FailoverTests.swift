import Foundation
import Testing
import TestSupport

/// An orchestrator with a short heartbeat timeout and workers that share one media root.
struct FailoverPool {
    let orchestrator: OrchestratorHarness
    let media: Sandbox
    let source: String
    var workers: [String: WorkerHarness] = [:]
    /// Flags every worker of the pool gets (e.g. `--backends-dir`).
    var workerFlags: [String] = []
    /// The job a test follows, for helpers that fetch its segments.
    var jobID: String?
    /// Seconds between the workers' heartbeats.
    var heartbeatInterval = 0.5

    /// Starts the pool. The 2 s default heartbeat timeout is for tests that kill a worker; a
    /// test where nothing dies passes 45, since a heartbeat late under the parallel pass's
    /// load would otherwise mark its only worker OFFLINE and move its job.
    static func start(
        workers ids: [String], timeout: Double = 2, clipSeconds: Int = 100, workerFlags: [String] = [], heartbeatInterval: Double = 0.5
    ) async throws -> FailoverPool {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: timeout)
        let media = try Sandbox("failover")
        let source = try await media.makeClip(seconds: clipSeconds, size: "320x240")
        var pool = FailoverPool(orchestrator: orchestrator, media: media, source: source, workerFlags: workerFlags, heartbeatInterval: heartbeatInterval)
        for id in ids { try await pool.addWorker(id) }
        return pool
    }

    mutating func addWorker(_ id: String, flags: [String]? = nil) async throws {
        let worker = try await WorkerHarness.start(
            ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "\(heartbeatInterval)", "--media-root", media.media.path]
                + (flags ?? workerFlags),
            id: id
        )
        workers[id] = worker
        let api = orchestrator.api
        let registered = try await eventually { (try await api.object("/v1/workers/\(id)")["status"] as? String).map(OrchestratorHarness.liveWithoutJobs.contains) == true }
        #expect(registered, "worker \(id) registered")
    }

    var api: API { orchestrator.api }

    func job(_ id: String) async throws -> [String: Any] { try await api.object("/v1/jobs/\(id)") }

    /// Starts a job (libx264 unless told) and returns the worker it landed on.
    func startJob(_ id: String, encoder: String = "libx264") async throws -> String {
        let created = try await api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(source, encoder: encoder))
        #expect(created.status == 201, "\(created.text)")
        return try #require(created.object["worker_id"] as? String)
    }

    /// Waits until the orchestrator knows the job reached `segment`.
    func waitForSegment(_ id: String, atLeast segment: Int) async throws {
        let reached = try await eventually(timeout: .seconds(60)) { (try await job(id).int("last_segment_id") ?? -1) >= segment }
        #expect(reached, "job \(id) reached segment \(segment)")
    }
}

@Suite struct FailoverTests {
    @Test func aKilledWorkersJobResumesOnAnotherAfterTheLastReportedSegment() async throws {
        var pool = try await FailoverPool.start(workers: ["fa-1", "fa-2"])
        let first = try await pool.startJob("killed")
        try await pool.waitForSegment("killed", atLeast: 3)
        let deadFolder = try #require(pool.workers[first]).sandbox.transcode.appendingPathComponent("killed").path
        _ = await try #require(pool.workers[first]).service.stopped(signal: SIGKILL)
        // What the dead worker had finished (its sandbox goes when the harness does).
        let finishedOnDisk = segmentNumbers(in: deadFolder).max() ?? -1
        pool.workers[first] = nil

        // Timeout (2 s) plus a few seconds.
        let moved = try await eventually(timeout: .seconds(10)) {
            let job = try await pool.job("killed")
            return job.string("worker_id") != first && job.string("worker_id") != nil && job.string("state") != "pending"
        }
        #expect(moved)
        let job = try await pool.job("killed")
        let failover = try #require(job["last_failover"] as? [String: Any])
        let lastReported = try #require(failover.int("last_segment_id"))
        #expect(failover.string("from_worker") == first)
        #expect(failover.int("resume_segment") == lastReported + 1, "numbering continues after the last reported segment")
        // The new run starts one segment early, so the first segment a player gets from it is
        // not the run's first: packet for packet what the dead worker would have written.
        #expect(job.int("start_segment") == lastReported)
        #expect(finishedOnDisk >= lastReported, "the orchestrator reported only segments that existed")

        // The stable URL serves the new worker's segments.
        let segment = try await pool.api.call("GET", "/v1/jobs/killed/hls/segment\(lastReported + 1).ts", timeout: .seconds(40))
        #expect(segment.status == 200 && segment.body.count > 1000)
        let newWorker = try #require(pool.workers[job.string("worker_id") ?? ""])
        #expect(pathExists(newWorker.sandbox.transcode.appendingPathComponent("killed/segment\(lastReported + 1).ts").path))
    }

    @Test func aPlayerBehindTheEncoderResumesAtTheNextSegmentSeamlessly() async throws {
        var pool = try await FailoverPool.start(workers: ["pb-1", "pb-2"])
        let first = try await pool.startJob("player")
        let scratch = try Sandbox("player")
        for n in 0...3 {
            let segment = try await pool.api.call("GET", "/v1/jobs/player/hls/segment\(n).ts", timeout: .seconds(40))
            #expect(segment.status == 200)
            try segment.body.write(to: scratch.root.appendingPathComponent("segment\(n).ts"))
        }
        try await pool.waitForSegment("player", atLeast: 20)
        _ = await try #require(pool.workers[first]).service.stopped(signal: SIGKILL)
        pool.workers[first] = nil

        // The player asks for segment 4 through the stable URL: it comes, from the other worker.
        let next = try await pool.api.call("GET", "/v1/jobs/player/hls/segment4.ts", timeout: .seconds(40))
        #expect(next.status == 200, "\(next.text)")
        try next.body.write(to: scratch.root.appendingPathComponent("segment4.ts"))
        let job = try await pool.job("player")
        #expect(job.string("worker_id") != first)
        #expect((job["last_failover"] as? [String: Any])?.int("resume_segment") == 4)

        // Segments 3 (old worker) and 4 (new worker) play as one stream: 4 starts where 3 ends.
        let three = scratch.root.appendingPathComponent("segment3.ts").path
        let four = scratch.root.appendingPathComponent("segment4.ts").path
        let start3 = try #require(try await ffprobeStartTime(three))
        let length3 = try #require(try await ffprobeDuration(three))
        let start4 = try #require(try await ffprobeStartTime(four))
        #expect(abs(start4 - (start3 + length3)) < 0.15, "segment 3 ends at \(start3 + length3), segment 4 starts at \(start4)")
        #expect(abs(start4 - (4 * 4 + 1.4)) < 0.3, "segment N starts at about N x T (+ the muxer's 1.4 s)")

        // The stable playlist lists the whole movie up front.
        let playlist = try await pool.api.call("GET", "/v1/jobs/player/hls/index.m3u8").text
        #expect(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.contains("segment24.ts") && playlist.contains("#EXT-X-ENDLIST"))
    }

    @Test func aDeathNoteMovesTheJobWithoutWaitingForTheTimeout() async throws {
        var pool = try await FailoverPool.start(workers: ["dn-1", "dn-2"], timeout: 60)
        let first = try await pool.startJob("noted")
        try await pool.waitForSegment("noted", atLeast: 2)
        let exit = await try #require(pool.workers[first]).service.stopped(signal: SIGTERM)
        #expect(exit == 0)
        pool.workers[first] = nil
        let moved = try await eventually(timeout: .seconds(10)) {
            let job = try await pool.job("noted")
            return job.string("worker_id") != first && job.string("state") != "pending"
        }
        #expect(moved, "a 60 s timeout cannot have fired: the death note moved it")
        let failover = try #require(try await pool.job("noted")["last_failover"] as? [String: Any])
        #expect(failover.string("reason") == "SHUTDOWN")
        #expect(failover.int("resume_segment") == (failover.int("last_segment_id") ?? -9) + 1)
    }

    @Test func aJobWhoseWorkerDiesWaitsPendingUntilACapableWorkerRegisters() async throws {
        var pool = try await FailoverPool.start(workers: ["lonely"])
        _ = try await pool.startJob("waiting")
        try await pool.waitForSegment("waiting", atLeast: 1)
        _ = await try #require(pool.workers["lonely"]).service.stopped(signal: SIGKILL)
        pool.workers["lonely"] = nil
        let pending = try await eventually(timeout: .seconds(10)) { try await pool.job("waiting").string("state") == "pending" }
        #expect(pending)
        let why = try await pool.job("waiting").string("error") ?? ""
        #expect(why.contains("libx264"), "the client sees why: \(why)")
        // A new job that no live worker can run is still refused at once.
        let refused = try await pool.api.call("PUT", "/v1/jobs/fresh", body: WorkerHarness.job(pool.source))
        #expect(refused.status == 503)

        try await pool.addWorker("rescuer")
        let running = try await eventually(timeout: .seconds(15)) {
            let job = try await pool.job("waiting")
            return job.string("worker_id") == "rescuer" && ["starting", "running", "completed"].contains(job.string("state") ?? "")
        }
        #expect(running)
    }
}

@Suite struct RecoveryTests {
    @Test func aKilledFFmpegIsRetriedAndTheRetryCountShows() async throws {
        let pool = try await FailoverPool.start(workers: ["crashy"], timeout: 10)
        _ = try await pool.startJob("crash")
        try await pool.waitForSegment("crash", atLeast: 1)
        let worker = try #require(pool.workers["crashy"])
        let pid = try #require(try await worker.api.object("/v1/jobs/crash").pid())
        #expect(kill(pid, SIGKILL) == 0)
        let retried = try await eventually(timeout: .seconds(15)) {
            let job = try await pool.job("crash")
            return job.int("retries") == 1 && ["starting", "running", "completed"].contains(job.string("state") ?? "")
        }
        #expect(retried)
        let newPID = try await worker.api.object("/v1/jobs/crash").pid()
        #expect(newPID != pid)
    }

    @Test func aRestartedOrchestratorKnowsTheJobAgainAndSeekAndDeleteWork() async throws {
        let first = try await OrchestratorHarness.start()
        let media = try Sandbox("restart")
        let source = try await media.makeClip(seconds: 60, size: "320x240")
        let worker = try await WorkerHarness.start(
            ["--orchestrator", first.service.baseURL, "--heartbeat-interval", "1", "--media-root", media.media.path], id: "steady"
        )
        #expect(try await eventually { (try await first.api.object("/v1/workers/steady")["status"] as? String).map(OrchestratorHarness.liveWithoutJobs.contains) == true })
        let created = try await first.api.call("PUT", "/v1/jobs/survivor", body: WorkerHarness.job(source))
        #expect(created.status == 201)
        _ = await first.service.stopped(signal: SIGKILL)

        let second = try await OrchestratorHarness.start(port: first.service.port)
        let known = try await eventually(timeout: .seconds(5)) {
            try await second.api.object("/v1/jobs/survivor").string("worker_id") == "steady"
        }
        #expect(known, "re-registration carried the job with its configuration")

        let seek = try await second.api.call("PUT", "/v1/jobs/survivor", body: WorkerHarness.job(source, seek: "00:00:20"))
        #expect(seek.status == 200, "\(seek.text)")
        #expect(seek.object.string("worker_id") == "steady")
        #expect(try await worker.api.object("/v1/jobs/survivor").int("start_segment") == 5)

        let folder = worker.sandbox.transcode.appendingPathComponent("survivor").path
        #expect(try await second.api.call("DELETE", "/v1/jobs/survivor").status == 204)
        #expect(!pathExists(folder))
        #expect(ffmpegProcesses(mentioning: folder).isEmpty)
    }
}
