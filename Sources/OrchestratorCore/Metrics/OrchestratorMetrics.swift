import Metrics
import TranscodeWire

/// The orchestrator's Prometheus series. Counters are made once (a lookup per heartbeat
/// would cost a lock and a dictionary probe); gauges of state are set at each scrape.
enum OrchestratorMetrics {
    /// Heartbeats taken from workers.
    static let heartbeats = Counter(label: "transcode_orchestrator_heartbeats_received_total")
    /// Routing decisions that found a worker.
    static let routed = Counter(label: "transcode_orchestrator_routing_decisions_total", dimensions: [("outcome", "routed")])
    /// Routing decisions that found none (503).
    static let refused = Counter(label: "transcode_orchestrator_routing_decisions_total", dimensions: [("outcome", "refused")])
    /// Time to serve one segment to a player (including waiting for it to be encoded).
    static let segmentFetch = Metrics.Timer(label: "transcode_orchestrator_segment_fetch_duration_seconds")

    /// Why a job moved off its worker: its worker was lost, its FFmpeg failed (a retry), or a drain.
    static let failoverCauses = ["worker_lost", "retry", "drain"]
    /// One counter per cause, made once like the others.
    static let failovers: [String: Counter] = Dictionary(uniqueKeysWithValues: failoverCauses.map {
        ($0, Counter(label: "transcode_orchestrator_failovers_total", dimensions: [("cause", $0)]))
    })

    /// A job moved off its worker: `worker_lost`, `retry` (its FFmpeg failed) or `drain`.
    static func failover(cause: String) {
        (failovers[cause] ?? Counter(label: "transcode_orchestrator_failovers_total", dimensions: [("cause", cause)])).increment()
    }

    /// Makes every series at start-up, each counter at 0 for each known label value and the
    /// state gauges from an empty pool, so that `rate()` and alerts work before the first event.
    static func prepare() {
        _ = (heartbeats, routed, refused, segmentFetch, failovers)
        record(Pool.Counts())
    }

    /// Sets the state gauges from the pool's counts.
    static func record(_ counts: Pool.Counts) {
        for status in [WorkerStatus.idle, .busy, .stressed, .error, .offline] {
            Gauge(label: "transcode_orchestrator_workers", dimensions: [("status", status.rawValue)]).record(counts.workers[status] ?? 0)
        }
        Gauge(label: "transcode_orchestrator_workers_draining").record(counts.draining)
        for state in [JobState.pending, .starting, .running, .completed, .failed, .stopped] {
            Gauge(label: "transcode_orchestrator_jobs", dimensions: [("state", state.rawValue)]).record(counts.jobs[state] ?? 0)
        }
    }
}

extension Pool {
    /// Workers by status, draining workers, jobs by state: what the gauges show.
    struct Counts: Sendable {
        var workers: [WorkerStatus: Int] = [:]
        var draining = 0
        var jobs: [JobState: Int] = [:]
    }

    /// The counts for a scrape, from the routing slots' plain numbers (no record is copied).
    func counts() -> Counts {
        var counts = Counts()
        let (byPreference, draining) = workers.routing.statusCounts()
        for (preference, n) in byPreference.enumerated() {
            counts.workers[RoutingTable.status(preference: preference), default: 0] += n
        }
        counts.draining = draining
        for job in jobs.values { counts.jobs[job.state, default: 0] += 1 }
        return counts
    }
}
