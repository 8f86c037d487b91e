import Foundation
import Logging
import ServiceSupport
import TranscodeWire

/// The orchestrator's state: the worker pool and the job table. No database: a restarted
/// orchestrator rebuilds both from registrations and heartbeats.
public actor Orchestrator {
    let settings: OrchestratorSettings
    let logger: Logger
    var workers: [String: WorkerRecord] = [:]
    /// What routing reads, kept in step with `workers`.
    var table = RoutingTable()
    var jobs: [String: JobRecord] = [:]

    /// Creates an empty orchestrator.
    public init(settings: OrchestratorSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    // MARK: Workers

    /// `POST /v1/workers`: adds or replaces the worker and adopts the jobs it reports.
    /// Returns true when the id was new.
    func register(_ registration: Registration, remoteHost: String?) -> (isNew: Bool, strays: [String]) {
        let now = ContinuousClock.now
        let address = registration.address ?? "http://\(remoteHost ?? "127.0.0.1"):\(settings.defaultWorkerPort)"
        let isNew = workers[registration.id] == nil
        let activeCount = registration.jobs?.filter { $0.state?.isActive ?? true }.count ?? 0
        let record = WorkerRecord(
            id: registration.id, specs: registration.staticSpecs, address: address,
            maxJobs: registration.maxJobs, segmentSeconds: registration.segmentSeconds,
            status: activeCount > 0 ? .busy : .idle, reason: nil, telemetry: nil, jobContext: nil,
            registeredAt: Date(), lastHeartbeat: now, lastHeartbeatDate: Date()
        )
        workers[registration.id] = record
        table.upsert(record)
        let strays = adopt(registration.jobs ?? [], from: registration.id)
        // A worker that registers again without a job it ran was restarted: that run is gone.
        let reported = Set((registration.jobs ?? []).map(\.jobID))
        for (id, job) in jobs where job.workerID == registration.id && job.state.isActive && !reported.contains(id) {
            jobs[id]?.runLost = true
            logger.warning("job \(id): worker \(registration.id) came back without it")
        }
        logger.info("worker \(registration.id) registered at \(address) offering \(workers[registration.id]?.offeredEncoders ?? [])")
        return (isNew, strays)
    }

    /// `POST /v1/workers/{id}/heartbeats`. Throws 404 for an unknown id (the worker registers again).
    /// Returns the jobs the worker still runs that now belong to another worker.
    func heartbeat(_ id: String, _ beat: Heartbeat) throws -> [String] {
        guard workers[id] != nil else {
            throw APIError.notFound("Unknown worker '\(id)': register with POST /v1/workers first.")
        }
        let status = beat.status == .offline ? WorkerStatus.idle : beat.status
        let now = ContinuousClock.now
        // In place: a heartbeat must not copy the whole record.
        workers[id]?.status = status
        workers[id]?.reason = nil
        workers[id]?.telemetry = beat.telemetry
        workers[id]?.jobContext = beat.jobContext
        workers[id]?.lastHeartbeat = now
        workers[id]?.lastHeartbeatDate = Date()
        table.setStatus(id, status, heartbeat: now)
        return beat.jobs.map { adopt($0, from: id) } ?? []
    }

    /// `PATCH /v1/workers/{id}`: the death note marks the worker OFFLINE at once.
    func deathNote(_ id: String, _ note: DeathNote) throws {
        guard workers[id] != nil else { throw APIError.notFound("Unknown worker '\(id)'.") }
        workers[id]?.status = note.status
        workers[id]?.reason = note.reason
        table.setStatus(id, note.status)
        logger.notice("worker \(id) is \(note.status.rawValue): \(note.reason ?? "no reason given")")
    }

    /// Marks workers OFFLINE whose last heartbeat is older than the timeout; returns their ids.
    @discardableResult
    func sweep(now: ContinuousClock.Instant = .now) -> [String] {
        let limit = Duration.milliseconds(Int(settings.heartbeatTimeout * 1000))
        let expired = table.silent(since: now - limit)
        for id in expired {
            workers[id]?.status = .offline
            workers[id]?.reason = "no heartbeat for \(Int(settings.heartbeatTimeout)) s"
            table.setStatus(id, .offline)
            logger.warning("worker \(id) is OFFLINE: no heartbeat for \(settings.heartbeatTimeout) s")
        }
        return expired
    }

    /// Takes the job reports of a worker into the job table (this is how a restarted
    /// orchestrator learns its jobs again). Returns the ids of active jobs the worker runs
    /// that moved to another worker meanwhile (it was taken for dead): those must stop there.
    private func adopt(_ reports: [WorkerJob], from workerID: String) -> [String] {
        var strays: [String] = []
        for report in reports {
            if var record = jobs[report.jobID] {
                guard record.workerID == workerID else {
                    if report.state?.isActive ?? false { strays.append(report.jobID) }
                    continue
                }
                record.update(from: report)
                jobs[report.jobID] = record
            } else if report.state?.isActive ?? true {
                var record = JobRecord(
                    jobID: report.jobID, workerID: workerID, sourcePath: report.sourcePath, outputPath: report.outputPath,
                    requested: report.configuration, configuration: report.configuration, state: report.state ?? .running
                )
                record.update(from: report)
                jobs[report.jobID] = record
                logger.info("job \(report.jobID) adopted from worker \(workerID)")
            }
        }
        return strays
    }

    /// Jobs per worker that are starting or running.
    func activeJobCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in jobs.values where job.state.isActive { if let id = job.workerID { counts[id, default: 0] += 1 } }
        return counts
    }

    func workerViews() -> [WorkerView] {
        let counts = activeJobCounts()
        let now = ContinuousClock.now
        return workers.values.sorted { $0.id < $1.id }.map { WorkerView($0, activeJobs: counts[$0.id] ?? 0, now: now) }
    }

    func workerView(_ id: String) -> WorkerView? {
        workers[id].map { WorkerView($0, activeJobs: activeJobCounts()[id] ?? 0, now: .now) }
    }

    // MARK: Jobs

    /// The worker for a job: where it already runs if that worker is live, else the best fit.
    func target(for jobID: String, encoder: String?, excluding: Set<String> = []) throws -> WorkerRecord {
        if let current = jobs[jobID]?.workerID, let worker = workers[current], worker.isLive, !excluding.contains(current) {
            return worker
        }
        let counts = activeJobCounts()
        guard let id = table.choose(encoder: encoder, activeJobs: counts, excluding: excluding), let worker = workers[id] else {
            throw APIError.unavailable(table.refusal(encoder: encoder))
        }
        return worker
    }

    func job(_ id: String) -> JobRecord? { jobs[id] }

    /// Applies a worker's report to a job that still runs there; returns the record.
    func update(_ id: String, from report: WorkerJob, workerID: String) -> JobRecord? {
        guard jobs[id]?.workerID == workerID else { return jobs[id] }
        jobs[id]?.update(from: report)
        return jobs[id]
    }

    func allJobs() -> [JobRecord] { jobs.values.sorted { $0.jobID < $1.jobID } }

    func store(_ record: JobRecord) { jobs[record.jobID] = record }

    func removeJob(_ id: String) { jobs[id] = nil }

    /// Remembers the segment a player just fetched.
    func noteFetch(_ id: String, segment: Int) { jobs[id]?.lastFetchedSegment = segment }

    /// Jobs that need the orchestrator to act: active or pending jobs whose worker is gone,
    /// and failed jobs whose retries are not spent.
    func jobsNeedingRecovery() -> [String] {
        jobs.values.filter { job in
            switch job.state {
            case .starting, .running, .pending:
                guard !job.runLost, let id = job.workerID, let worker = workers[id] else { return true }
                return !worker.isLive
            case .failed:
                return !job.gaveUp
            case .completed, .stopped:
                return false
            }
        }.map(\.jobID)
    }

    func worker(_ id: String) -> WorkerRecord? { workers[id] }
}
