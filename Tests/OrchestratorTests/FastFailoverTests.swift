import CurlHTTP
import Foundation
import Testing
import TestSupport

/// A failure is noticed where it first shows: a player fetching segments through the
/// orchestrator must not wait for the heartbeat timeout when the job's worker dies, and a
/// worker that is only busy is never declared dead by that path.
@Suite struct FastFailoverTests {
    /// Production timing: heartbeats every 10 s, OFFLINE after 45 s of silence.
    static func productionPool(_ ids: [String]) async throws -> (OrchestratorHarness, Sandbox, String, [String: WorkerHarness]) {
        let pool = try await FailoverPool.start(workers: ids, timeout: 45, clipSeconds: 60, heartbeatInterval: 10)
        return (pool.orchestrator, pool.media, pool.source, pool.workers)
    }

    @Test func aPlayerWaitsAtMostFiveSecondsForAnySegmentWhenItsWorkerIsKilled() async throws {
        var (orchestrator, media, source, workers) = try await Self.productionPool(["pf-1", "pf-2"])
        defer { withExtendedLifetime(media) {} }
        let api = orchestrator.api
        let created = try await api.call("PUT", "/v1/jobs/played", body: WorkerHarness.job(source))
        #expect(created.status == 201, "\(created.text)")
        let first = try #require(created.object.string("worker_id"))
        let url = try #require(created.object.string("playlist_url"))
        let base = String(url[..<(try #require(url.range(of: "index.m3u8")).lowerBound)])
        let sig = String(url[try #require(url.range(of: "?sig=")).lowerBound...])
        let player = HTTPClient()

        // Like a player: one segment after another, each as soon as it can be had.
        var waits: [Double] = []
        for n in 0..<10 {
            if n == 3 {
                _ = await try #require(workers[first]).service.stopped(signal: SIGKILL)
                workers[first] = nil
            }
            let started = ContinuousClock.now
            let response = try await player.send(HTTPRequest(url: base + "segment\(n).ts" + sig, timeout: .seconds(30)))
            let waited = ContinuousClock.now - started
            waits.append(Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18)
            #expect(response.status == 200 && response.body.count > 1000, "segment \(n): \(response.status) \(response.text.prefix(200))")
        }
        #expect(waits.max() ?? 99 < 5, "waits per segment: \(waits.map { String(format: "%.2f", $0) })")
        let job = try await api.object("/v1/jobs/played")
        #expect(job.string("worker_id") == "pf-2" && job.string("worker_id") != first)
        let failover = try #require(job["last_failover"] as? [String: Any])
        #expect(failover.string("reason")?.contains("unreachable") == true, "\(failover)")
        let dead = try await api.object("/v1/workers/\(first)")
        #expect(dead.string("status") == "OFFLINE", "declared dead on the fetch path, 45 s before the timeout")
    }

    @Test func aBusyWorkerIsNeverDeclaredDeadByTheFetchPath() async throws {
        let (orchestrator, media, source, workers) = try await Self.productionPool(["busy-1", "busy-2"])
        defer { withExtendedLifetime(media) {} }
        let api = orchestrator.api
        let created = try await api.call("PUT", "/v1/jobs/slow", body: WorkerHarness.job(source))
        let owner = try #require(created.object.string("worker_id"))
        let worker = try #require(workers[owner])
        let ready = try await eventually(timeout: .seconds(30)) { (try await worker.api.job("slow").int("last_segment_id") ?? -1) >= 0 }
        #expect(ready)
        // Its FFmpeg is frozen: the next segments do not come, but the worker answers.
        let pid = try #require(try await worker.api.job("slow").pid())
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGCONT) }
        let last = try await worker.api.job("slow").int("last_segment_id") ?? 0
        // The player asks for the next segment and gives up after 3 s, twice.
        for _ in 0..<2 {
            _ = try? await api.call("GET", "/v1/jobs/slow/hls/segment\(last + 1).ts", timeout: .seconds(3))
        }
        let view = try await api.object("/v1/workers/\(owner)")
        #expect(view.string("status") != "OFFLINE", "a busy worker was declared dead: \(view)")
        let job = try await api.object("/v1/jobs/slow")
        #expect(job.string("worker_id") == owner && job["last_failover"] is NSNull, "\(job)")
    }
}
