import Foundation
import Testing
import TestSupport

/// A real orchestrator and two real workers sharing one media root with a small clip, at
/// the heartbeat timing of `FailoverTiming`. (After OrchestratorTests' `FailoverPool`.)
struct PlayerPool {
    let orchestrator: OrchestratorHarness
    let media: Sandbox
    let source: String
    var workers: [String: WorkerHarness] = [:]

    /// Segment length the workers are started with (WorkerHarness passes 4).
    static let segmentSeconds = 4.0

    /// Starts the pool with workers `<prefix>-1` and `<prefix>-2` and a 640x360 clip at 24 fps,
    /// or at the film rate 23.976 fps with 44.1 kHz audio, where a run that resumes at a
    /// boundary starts on the frame after it.
    static func start(_ prefix: String, clipSeconds: Int = 60, film: Bool = false) async throws -> PlayerPool {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: FailoverTiming.heartbeatTimeout)
        let media = try Sandbox("players")
        let source = try await media.makeClip(
            seconds: clipSeconds, size: "640x360", rate: film ? "24000/1001" : "24", audioRate: film ? 44_100 : 48_000
        )
        var pool = PlayerPool(orchestrator: orchestrator, media: media, source: source)
        for n in 1...2 { try await pool.addWorker("\(prefix)-\(n)") }
        return pool
    }

    mutating func addWorker(_ id: String) async throws {
        let worker = try await WorkerHarness.start(
            ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "\(FailoverTiming.heartbeatInterval)",
             "--media-root", media.media.path],
            id: id
        )
        workers[id] = worker
        let api = orchestrator.api
        let registered = try await eventually {
            (try await api.object("/v1/workers/\(id)")["status"] as? String).map(OrchestratorHarness.liveWithoutJobs.contains) == true
        }
        #expect(registered, "worker \(id) registered")
    }

    var api: API { orchestrator.api }

    func job(_ id: String) async throws -> [String: Any] { try await api.object("/v1/jobs/\(id)") }

    /// Creates a libx264 job through the orchestrator; returns its worker and the URL a
    /// player opens.
    func startJob(_ id: String) async throws -> (worker: String, url: String) {
        let created = try await api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(source))
        #expect(created.status == 201, "\(created.text)")
        let worker = try #require(created.object.string("worker_id"))
        let playlist = try #require(created.object.string("playlist_url"), "the job names its playlist_url")
        return (worker, PlaybackURL.resolve(playlist, base: orchestrator.service.baseURL, token: WorkerHarness.token))
    }

    /// SIGKILLs a worker (its FFmpeg dies with it) and forgets it.
    mutating func kill(_ id: String) async {
        _ = await workers[id]?.service.stopped(signal: SIGKILL)
        workers[id] = nil
    }

    /// Waits until the job runs on a worker other than `dead`; returns the job.
    func waitForMove(_ id: String, from dead: String, timeout: Duration) async throws -> [String: Any]? {
        var last: [String: Any] = [:]
        let moved = try await eventually(timeout: timeout) {
            last = try await job(id)
            return last.string("worker_id").map { $0 != dead } == true && last["last_failover"] is [String: Any]
        }
        return moved ? last : nil
    }

    /// The movie time where the new worker's first segment begins, from `last_failover`.
    static func join(of job: [String: Any]) -> Double? {
        (job["last_failover"] as? [String: Any])?.int("resume_segment").map { Double($0) * segmentSeconds }
    }
}
