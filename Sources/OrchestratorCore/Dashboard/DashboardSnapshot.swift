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

    /// The same snapshot without what changes on its own with time (heartbeat ages, the
    /// clock): two fingerprints differ only when something happened.
    var fingerprint: Data {
        var still = self
        still.generatedAt = 0
        for index in still.workers.indices { still.workers[index].lastHeartbeatAgeSeconds = 0 }
        return (try? JSONEncoder().encode(still)) ?? Data()
    }
}

extension Pool {
    /// The dashboard's snapshot; `view` turns a job record into what clients see.
    func dashboardSnapshot(view: (JobRecord) -> JobView) -> DashboardSnapshot {
        let workers = workerViews()
        let encoders = Set(workers.filter { $0.status != .offline }.flatMap(\.encoders)).sorted()
        return DashboardSnapshot(
            generatedAt: Date().timeIntervalSince1970, workers: workers, jobs: allJobs().map(view),
            history: history.samples, encoders: encoders
        )
    }
}
