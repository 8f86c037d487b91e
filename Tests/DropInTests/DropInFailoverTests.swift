import FFmpegDropIn
import Foundation
import Testing
import TestSupport

/// A worker dies mid-stream: the media server sees one FFmpeg that never stopped. Real time
/// (a 2 s heartbeat timeout), so it runs in the one-at-a-time pass of scripts/test.
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
}
