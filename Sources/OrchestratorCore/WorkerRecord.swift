import Foundation
import TranscodeWire

/// What the orchestrator knows of one worker.
struct WorkerRecord: Sendable {
    var id: String
    var specs: StaticSpecs
    /// Callback URL.
    var address: String
    var maxJobs: Int?
    var segmentSeconds: Int?
    var status: WorkerStatus
    /// Why it is OFFLINE (death note reason or timeout).
    var reason: String?
    var telemetry: Telemetry?
    var jobContext: JobContext?
    var registeredAt: Date
    var lastHeartbeat: ContinuousClock.Instant
    /// Asked to drain (`POST /v1/workers/{id}/drain`): live, but no new job goes there.
    var draining = false

    var isLive: Bool { status != .offline }

    /// Encoder names the worker offers, for messages and listings. A worker that sent no
    /// `encoders` offers libx264 plus the encoders of the API families in
    /// `hardware_acceleration` (routing applies the same rule through `RoutingTable`).
    var offeredEncoders: [String] {
        specs.encoders ?? ["libx264"] + specs.hardwareAcceleration.flatMap { ["h264_\($0)", "hevc_\($0)"] }
    }

    /// `h264_<api>` -> `<api>`; `libx264` -> `libx264`.
    static func family(of encoder: String) -> String {
        encoder.split(separator: "_").last.map(String.init) ?? encoder
    }
}

/// `GET /v1/workers` entry.
struct WorkerView: Codable, Sendable {
    var id: String
    var staticSpecs: StaticSpecs
    var address: String
    var status: WorkerStatus
    var reason: String?
    var telemetry: Telemetry?
    var jobContext: JobContext?
    var maxJobs: Int?
    var activeJobs: Int
    var encoders: [String]
    var lastHeartbeatAgeSeconds: Double
    var registeredAt: Date
    /// No new job goes there; its jobs move away.
    var draining: Bool
    /// Draining and empty: safe to stop.
    var drained: Bool

    enum CodingKeys: String, CodingKey {
        case id, address, status, reason, telemetry, encoders, draining, drained
        case staticSpecs = "static_specs"
        case jobContext = "job_context"
        case maxJobs = "max_jobs"
        case activeJobs = "active_jobs"
        case lastHeartbeatAgeSeconds = "last_heartbeat_age_s"
        case registeredAt = "registered_at"
    }

    init(_ record: WorkerRecord, activeJobs: Int, now: ContinuousClock.Instant) {
        id = record.id
        staticSpecs = record.specs
        address = record.address
        status = record.status
        reason = record.reason
        telemetry = record.telemetry
        jobContext = record.jobContext
        maxJobs = record.maxJobs
        self.activeJobs = activeJobs
        encoders = record.offeredEncoders
        let age = now - record.lastHeartbeat
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        lastHeartbeatAgeSeconds = (seconds * 1000).rounded() / 1000
        registeredAt = record.registeredAt
        draining = record.draining
        drained = record.draining && activeJobs == 0
    }
}
