import Foundation
import Testing
import TestSupport

/// `POST`/`DELETE /v1/workers/{id}/drain` and SIGUSR1: a draining worker gets no new job, its
/// jobs move at a segment boundary, and once empty it shows as drained.
@Suite struct DrainTests {
    static func pool(_ ids: [String]) async throws -> (OrchestratorHarness, Sandbox, String, [String: WorkerHarness]) {
        let pool = try await FailoverPool.start(workers: ids, timeout: 45, clipSeconds: 40)
        return (pool.orchestrator, pool.media, pool.source, pool.workers)
    }

    @Test func aDrainedWorkerGetsNoJobAndItsJobMovesAtASegmentBoundary() async throws {
        let (orchestrator, media, source, workers) = try await Self.pool(["dr-1", "dr-2"])
        defer { withExtendedLifetime((media, workers)) {} }
        let api = orchestrator.api
        let created = try await api.call("PUT", "/v1/jobs/moving", body: WorkerHarness.job(source))
        let first = try #require(created.object.string("worker_id"))
        let other = first == "dr-1" ? "dr-2" : "dr-1"
        #expect(try await eventually { (try await api.object("/v1/jobs/moving").int("last_segment_id") ?? -1) >= 1 })
        _ = try await api.call("GET", "/v1/jobs/moving/hls/segment1.ts")

        let drained = try await api.call("POST", "/v1/workers/\(first)/drain")
        #expect(drained.status == 200 && drained.object["draining"] as? Bool == true, "\(drained.text)")
        var job: [String: Any] = [:]
        let moved = try await eventually(timeout: .seconds(15)) {
            job = try await api.object("/v1/jobs/moving")
            return job.string("worker_id") == other && job["last_failover"] is [String: Any]
        }
        #expect(moved, "\(job)")
        let failover = try #require(job["last_failover"] as? [String: Any], "\(job)")
        #expect(failover.string("reason")?.contains("draining") == true)
        #expect(failover.int("resume_segment") == 2, "resumes after the last segment a player fetched: \(failover)")
        #expect(try await eventually { try await api.object("/v1/workers/\(first)")["drained"] as? Bool == true })

        // A new job goes to the other worker even though the drained one is idle.
        let next = try await api.call("PUT", "/v1/jobs/next", body: WorkerHarness.job(source))
        #expect(next.object.string("worker_id") == other, "\(next.text)")
        // Undrain: eligible again.
        let undone = try await api.call("DELETE", "/v1/workers/\(first)/drain")
        #expect(undone.object["draining"] as? Bool == false && undone.object["drained"] as? Bool == false, "\(undone.text)")
        #expect(try await api.call("POST", "/v1/workers/nobody/drain").status == 404)
    }

    @Test func sigusr1MakesAWorkerAskToBeDrained() async throws {
        let (orchestrator, media, _, workers) = try await Self.pool(["usr-1"])
        defer { withExtendedLifetime(media) {} }
        let worker = try #require(workers["usr-1"])
        kill(worker.service.pid, SIGUSR1)
        let api = orchestrator.api
        #expect(try await eventually(timeout: .seconds(10)) { try await api.object("/v1/workers/usr-1")["drained"] as? Bool == true })
        #expect(worker.service.process.isRunning, "SIGUSR1 does not stop the worker")
    }
}
