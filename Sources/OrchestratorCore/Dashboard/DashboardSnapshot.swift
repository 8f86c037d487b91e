import Foundation
import Hummingbird

/// What the dashboard draws, in one value: the pool, the jobs, each worker's telemetry
/// history, and the encoders the pool offers.
struct DashboardSnapshot: Encodable, Sendable {
    var generatedAt: Double
    var workers: [WorkerView]
    var jobs: [JobView]
    var history: [String: [TelemetryHistory.Sample]]
    var encoders: [String]

    enum CodingKeys: String, CodingKey {
        case workers, jobs, history, encoders
        case generatedAt = "generated_at"
    }

    /// Builds the snapshot from the pool's state as handed out by `Pool.dashboardState`,
    /// outside the pool: the views, the sorting and the history series cost the pool nothing.
    init(_ state: Pool.DashboardState, view: (JobRecord) -> JobView) {
        var counts: [String: Int] = [:]
        for job in state.jobs.values where job.state.isActive { if let id = job.workerID { counts[id, default: 0] += 1 } }
        workers = state.workers.values.sorted { $0.id < $1.id }
            .map { WorkerView($0, activeJobs: counts[$0.id] ?? 0, now: state.now) }
        encoders = Set(workers.filter { $0.status != .offline }.flatMap(\.encoders)).sorted()
        jobs = state.jobs.values.sorted { $0.jobID < $1.jobID }.map(view)
        let date = state.date.timeIntervalSince1970
        generatedAt = date
        // The newest telemetry of workers heard from since the last frame ends each series.
        var latest: [String: TelemetryHistory.Sample] = [:]
        for worker in state.workers.values where worker.lastHeartbeat > state.lastFrame {
            guard let telemetry = worker.telemetry else { continue }
            let age = state.now - worker.lastHeartbeat
            let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
            latest[worker.id] = TelemetryHistory.Sample(t: date - seconds, telemetry)
        }
        history = TelemetryHistory.series(state.frames, latest: latest, now: date)
    }
}

extension Pool {
    /// The pool's state as the dashboard needs it. The collections are shared, not copied:
    /// handing them out costs the pool nothing now (the next change copies what it changes).
    struct DashboardState: Sendable {
        var workers: [String: WorkerRecord]
        var jobs: [String: JobRecord]
        var frames: [TelemetryHistory.Frame]
        var lastFrame: ContinuousClock.Instant
        var now: ContinuousClock.Instant
        var date: Date
    }

    /// What the dashboard's snapshot is made of.
    func dashboardState() -> DashboardState {
        DashboardState(
            workers: workers.records, jobs: jobs, frames: history.frames, lastFrame: lastTelemetrySample, now: .now, date: Date()
        )
    }

    /// A number that changes whenever the dashboard's view of the pool changes, but for
    /// heartbeat ages and telemetry (those show at the feed's keep-alive).
    func dashboardRevision() -> UInt64 { workers.revision &+ jobsRevision &* 0x9E37_79B9_7F4A_7C15 }

    /// Adds a frame to the telemetry history: the latest telemetry of every live worker heard
    /// from since the last frame. Run by `LivenessMonitor` every `TelemetryHistory.interval`.
    func sampleTelemetry(now: ContinuousClock.Instant = .now, date: Date = Date()) {
        let since = lastTelemetrySample
        lastTelemetrySample = now
        var ids: [String] = []
        var points: [TelemetryHistory.Point] = []
        for id in workers.heard(since: since) {
            guard let telemetry = workers.records[id]?.telemetry else { continue }
            ids.append(id)
            points.append(TelemetryHistory.Point(telemetry))
        }
        history.add(TelemetryHistory.Frame(t: date.timeIntervalSince1970, ids: ids, points: points))
    }
}
