import Foundation
import TranscodeWire

/// The worker records and the routing slots, changed together by the same methods so that
/// routing can never read a status or a heartbeat time the records do not have.
struct WorkerTable: Sendable {
    private(set) var records: [String: WorkerRecord] = [:]
    /// What routing reads: one plain slot per worker.
    private(set) var routing = RoutingTable()

    subscript(id: String) -> WorkerRecord? { records[id] }

    /// Adds or replaces a worker.
    mutating func upsert(_ record: WorkerRecord) {
        var record = record
        // A drain outlives a re-registration: only DELETE .../drain ends it.
        record.draining = record.draining || (records[record.id]?.draining ?? false)
        records[record.id] = record
        routing.upsert(record)
    }

    /// A heartbeat: status, telemetry and time, in place (a heartbeat must not copy the record).
    mutating func beat(_ id: String, status: WorkerStatus, telemetry: Telemetry, jobContext: JobContext?, at now: ContinuousClock.Instant) {
        records[id]?.status = status
        records[id]?.reason = nil
        records[id]?.telemetry = telemetry
        records[id]?.jobContext = jobContext
        records[id]?.lastHeartbeat = now
        routing.setStatus(id, status, heartbeat: now)
    }

    /// A status with the reason for it (death note, timeout).
    mutating func setStatus(_ id: String, _ status: WorkerStatus, reason: String?) {
        records[id]?.status = status
        records[id]?.reason = reason
        routing.setStatus(id, status)
    }

    /// Starts or ends a drain: a draining worker gets no new job.
    mutating func setDraining(_ id: String, _ draining: Bool) {
        records[id]?.draining = draining
        routing.setDraining(id, draining)
    }

    /// Live workers whose last heartbeat is older than `deadline`.
    func silent(since deadline: ContinuousClock.Instant) -> [String] { routing.silent(since: deadline) }

    /// Every record, by id.
    var sorted: [WorkerRecord] { records.values.sorted { $0.id < $1.id } }
}
