import FFmpegDropIn
import Foundation
import Testing
import TestSupport

/// A worker dies mid-stream: the media server sees one FFmpeg that never stopped. Real time
/// (heartbeat timeouts of seconds), so it runs in the one-at-a-time pass of scripts/test.
@Suite("Drop-in failover: a worker SIGKILLed mid-stream")
struct DropInFailoverTests {
    @Test("transcode-ffmpeg keeps writing every segment into the same folder from the next worker and exits 0")
    func workerDies() async throws {
        let film = try await offPool { try Film.shared(seconds: 60, size: "320x180", transfer: .sdr) }
        let media = try Sandbox("dropin-failover")
        let source = try media.film(film)
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: 2)
        var workers: [String: WorkerHarness] = [:]
        for id in ["dropin-a", "dropin-b"] {
            workers[id] = try await WorkerHarness.start(
                ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5", "--media-root", media.media.path], id: id
            )
        }
        let api = orchestrator.api
        #expect(try await eventually { ((try await api.object("/v1/workers"))["workers"] as? [[String: Any]])?.count == 2 })

        let folder = media.root.appendingPathComponent("jellyfin").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let argv = try JellyfinFixture.load("01-libx264-hls-basic.txt").rewritten(source: source, folder: folder, streams: [1: 2])
        let plan = try HLSTranscode(FFmpegArguments(argv))
        let pool = DropInPool(orchestrator: orchestrator, worker: try #require(workers["dropin-a"]), media: media, film: film, source: source)
        let run = Task { try await runFFmpegLike(dropInPath, argv, environment: pool.environment, timeout: .seconds(240)) }

        // Once a few segments are written, kill the worker that runs the job.
        let jobID = PoolRun.jobID(for: plan)
        #expect(await eventually(timeout: .seconds(90)) { FileManager.default.fileExists(atPath: plan.segmentPath(3)) }, "no segment 3")
        let victim = try #require(try await api.object("/v1/jobs/\(jobID)")["worker_id"] as? String)
        _ = await workers[victim]?.service.stopped(signal: SIGKILL)
        let moved = await eventually(timeout: .seconds(60)) {
            let job = try? await api.object("/v1/jobs/\(jobID)")
            return (job?["worker_id"] as? String).map { $0 != victim } == true
        }
        #expect(moved, "the job did not move off \(victim)")

        let result = try await run.value
        #expect(result.status == 0, "exit \(result.status): \(result.stderr.suffix(800))")
        let count = Int((Double(film.seconds) / Double(plan.segmentSeconds)).rounded(.up))
        let missing = (0..<count).map(plan.segmentPath).filter { !FileManager.default.fileExists(atPath: $0) }
        #expect(missing.isEmpty, "segments the server would miss: \(missing)")
        // Every segment is whole and plays; the moved job finished on the other worker.
        for n in [2, 4, count - 1] {
            let probe = try await ffprobe(["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", plan.segmentPath(n)])
            #expect(probe.status == 0 && probe.stdout.contains("h264"), "segment \(n): \(probe.stderr)")
        }
        #expect(!result.stderr.contains("Error"), "\(result.stderr.suffix(600))")
    }

    /// The one setting of README "Use with Jellyfin": Jellyfin left on its default, software
    /// `libx264`, and a pool of a software worker and a GPU worker. The GPU worker is a stand-in
    /// (this machine has none) that registers with the seed's fields only, claiming `nvenc`,
    /// heartbeats with the software worker's own status (so only the hardware tells them
    /// apart), takes the job, and dies without a word: its server stops.
    @Test("A default Jellyfin line goes to the GPU worker first; when it dies the software worker carries on and Jellyfin's FFmpeg never stops")
    func defaultLineRunsOnTheGPUWorker() async throws {
        let standIn = try await FakeServer.start { request in
            request.path == "/healthz" || request.path.hasSuffix("/heartbeats") ? (200, "{}") : (404, #"{"error":"not here"}"#)
        }
        let pool = try await DropInPool.start(heartbeatTimeout: 4, orchestratorFlags: ["--default-worker-port", "\(standIn.port)"],
                                              orchestratorReadsMedia: true)
        let api = pool.orchestrator.api
        let registered = try await api.object("/v1/workers")["workers"] as? [[String: Any]] ?? []
        let softwareID = try #require(registered.first?["id"] as? String)
        // Registered after the software worker: the earliest-registered tie-break favours the software one.
        let gpu = "gpu-standin"
        let seedOnly = #"{"id":"\#(gpu)","static_specs":{"cpu_model":"x","total_threads":4,"hardware_acceleration":["nvenc"]}}"#
        #expect(try await api.call("POST", "/v1/workers", body: seedOnly).status == 201)
        let beating = Task {
            while !Task.isCancelled {
                let status = (try? await api.object("/v1/workers/\(softwareID)"))?["status"] as? String ?? "IDLE"
                let beat = #"{"status":"\#(status)","telemetry":{"cpu_usage":0.1,"gpu_usage":0.1,"ram_free_bytes":1073741824,"temp_c":null}}"#
                _ = try? await api.call("POST", "/v1/workers/\(gpu)/heartbeats", body: beat)
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { beating.cancel() }
        let alike = try await eventually {
            let workers = try await api.object("/v1/workers")["workers"] as? [[String: Any]] ?? []
            return workers.count == 2 && Set(workers.compactMap { $0["status"] as? String }).count == 1
        }
        #expect(alike, "both workers live with one status")

        // Fixture 01 through the real transcode-ffmpeg with the default policy (encoder = "codec").
        let folder = try pool.transcodes("gpu")
        let argv = try JellyfinFixture.load("01-libx264-hls-basic.txt").rewritten(source: pool.source, folder: folder, streams: [1: 2])
        let plan = try HLSTranscode(FFmpegArguments(argv))
        #expect(plan.encoder == "libx264", "Jellyfin's default asks for software")
        let jobID = PoolRun.jobID(for: plan)
        let exited = Shared(false)
        let run = Task {
            defer { exited.withLock { $0 = true } }
            return try await runFFmpegLike(dropInPath, argv, environment: pool.environment, timeout: .seconds(240))
        }

        // The orchestrator sent the job to the GPU worker: the controller payload on its heartbeat URL.
        func isDelivered() -> Bool {
            standIn.requests.contains { $0.path == "/v1/workers/\(gpu)/heartbeats" && $0.object["job_id"] as? String == jobID }
        }
        _ = await eventually(timeout: .seconds(60)) { isDelivered() || exited.withLock { $0 } }
        let delivered = isDelivered()
        #expect(delivered, "the GPU worker never received job \(jobID)")
        let payload = standIn.requests.last { $0.path == "/v1/workers/\(gpu)/heartbeats" }?.object ?? [:]
        let encoder = (payload["configuration"] as? [String: Any])?["encoder"] as? String
        #expect(encoder == "auto", "the pool's choice of H.264 encoder, not Jellyfin's libx264: \(encoder ?? "none")")
        #expect((try? await api.object("/v1/jobs/\(jobID)"))?["worker_id"] as? String == gpu)

        // It dies while Jellyfin's FFmpeg waits for segment 0: no heartbeat, no answer.
        try await Task.sleep(for: .seconds(2))
        beating.cancel()
        standIn.stop()
        let moved = await eventually(timeout: .seconds(60)) {
            let owner = (try? await api.object("/v1/jobs/\(jobID)"))?["worker_id"] as? String
            return owner == softwareID || exited.withLock { $0 }
        }
        #expect(moved, "the job did not move to the software worker")
        #expect(!exited.withLock { $0 }, "the drop-in exited when the GPU worker died")

        let result = try await run.value
        #expect(result.status == 0, "exit \(result.status): \(result.stderr.suffix(800))")
        #expect(!result.stderr.contains("Error"), "\(result.stderr.suffix(600))")
        let count = Int((Double(pool.film.seconds) / Double(plan.segmentSeconds)).rounded(.up))
        let missing = (0..<count).map(plan.segmentPath).filter { !FileManager.default.fileExists(atPath: $0) }
        #expect(missing.isEmpty, "segments Jellyfin would miss: \(missing)")
        let played = try await MpvCheck.play(plan.playlist)
        #expect(played.reachedEnd && played.problems.isEmpty, "mpv exit \(played.status): \(played.problems.prefix(5)) \(played.log.suffix(5))")
        try await JellyfinCommandTests.expectNoJobsLeft(pool)
    }
}
