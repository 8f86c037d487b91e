import Foundation
import TranscodeWire

/// The worker records and the routing slots, changed together by the same methods so that
/// routing can never read a status or a heartbeat time the records do not have.
struct WorkerTable: Sendable {
    private(set) var records: [String: WorkerRecord] = [:]
    /// What routing reads: one plain slot per worker.
    private(set) var routing = RoutingTable()
    /// Goes up on every change the dashboard shows but a heartbeat's own numbers (telemetry,
    /// its time): registrations, status changes, drains. The live feed reads it instead of
    /// comparing snapshots, so its work does not grow with the heartbeats.
    private(set) var revision: UInt64 = 0

    subscript(id: String) -> WorkerRecord? { records[id] }

    /// Whether the id is registered, without copying its record.
    func contains(_ id: String) -> Bool { records.index(forKey: id) != nil }

    /// Adds or replaces a worker.
    mutating func upsert(_ record: WorkerRecord) {
        var record = record
        // A drain outlives a re-registration: only DELETE .../drain ends it.
        record.draining = record.draining || (records[record.id]?.draining ?? false)
        records[record.id] = record
        routing.upsert(record)
        revision &+= 1
    }

    /// A heartbeat: status, telemetry and time, in place (a heartbeat must not copy the record).
    mutating func beat(_ id: String, status: WorkerStatus, telemetry: Telemetry, jobContext: JobContext?, at now: ContinuousClock.Instant) {
        // In place through the dictionary's accessor: reading the record out first would copy it.
        let changed = records[id]?.take(status: status, telemetry: telemetry, jobContext: jobContext, at: now) ?? false
        routing.setStatus(id, status, heartbeat: now)
        if changed { revision &+= 1 }
    }

    /// A status with the reason for it (death note, timeout).
    mutating func setStatus(_ id: String, _ status: WorkerStatus, reason: String?) {
        records[id]?.status = status
        records[id]?.reason = reason
        routing.setStatus(id, status)
        revision &+= 1
    }

    /// Starts or ends a drain: a draining worker gets no new job.
    mutating func setDraining(_ id: String, _ draining: Bool) {
        records[id]?.draining = draining
        routing.setDraining(id, draining)
        revision &+= 1
    }

    /// Live workers whose last heartbeat is older than `deadline`.
    func silent(since deadline: ContinuousClock.Instant) -> [String] { routing.silent(since: deadline) }

    /// Live workers with a heartbeat at or after `instant`.
    func heard(since instant: ContinuousClock.Instant) -> [String] { routing.heard(since: instant) }

    /// Every record, by id.
    var sorted: [WorkerRecord] { records.values.sorted { $0.id < $1.id } }
}

private extension WorkerRecord {
    /// A heartbeat's fields; true when something the dashboard shows besides the numbers changed.
    mutating func take(status: WorkerStatus, telemetry: Telemetry, jobContext: JobContext?, at now: ContinuousClock.Instant) -> Bool {
        let changed = self.status != status || reason != nil || self.jobContext?.activeJobID != jobContext?.activeJobID
        self.status = status
        reason = nil
        self.telemetry = telemetry
        self.jobContext = jobContext
        lastHeartbeat = now
        return changed
    }
}
