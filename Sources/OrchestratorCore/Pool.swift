import Foundation
import Logging
import ServiceSupport
import TranscodeWire

/// The orchestrator's one owner of state: the worker records, their routing slots and the
/// job records. Every change of any of them is a method here. No database: a restarted
/// orchestrator rebuilds all of it from registrations and heartbeats.
public actor Pool {
    let settings: OrchestratorSettings
    let logger: Logger
    /// Calls to workers made by the pool itself: stopping a job that moved away.
    let client: WorkerClient
    var workers = WorkerTable()
    var jobs: [String: JobRecord] = [:]
    /// Jobs deleted lately, when, and their last generation: a report of one of them that was
    /// already on its way must stop it on the worker, not bring it back as a ghost; and a job
    /// created again under the same id goes on counting generations, so that stopping such a
    /// stray (up to its generation) can never stop the new run.
    var deleted: [String: (at: ContinuousClock.Instant, generation: Int)] = [:]
    /// The last ten minutes of each worker's telemetry, for the dashboard's sparklines.
    var history = TelemetryHistory()

    /// Creates an empty pool.
    public init(settings: OrchestratorSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.client = WorkerClient(token: settings.token, callTimeout: settings.workerCallTimeout)
    }

    // MARK: Workers

    /// `POST /v1/workers`: adds or replaces the worker and takes in the jobs it reports.
    /// Returns true when the id was new.
    func register(_ registration: Registration, remoteHost: String?) -> Bool {
        let address = registration.address ?? "http://\(remoteHost ?? "127.0.0.1"):\(settings.defaultWorkerPort)"
        let isNew = workers[registration.id] == nil
        let activeCount = registration.jobs?.filter { $0.state?.isActive ?? true }.count ?? 0
        workers.upsert(WorkerRecord(
            id: registration.id, specs: registration.staticSpecs, address: address,
            maxJobs: registration.maxJobs, segmentSeconds: registration.segmentSeconds,
            status: activeCount > 0 ? .busy : .idle, reason: nil, telemetry: nil, jobContext: nil,
            registeredAt: Date(), lastHeartbeat: .now
        ))
        take(registration.jobs ?? [], from: registration.id)
        // A worker that registers again without a job it ran was restarted: that run is gone.
        let reported = Set((registration.jobs ?? []).map(\.jobID))
        for (id, job) in jobs where job.workerID == registration.id && job.state.isActive && !reported.contains(id) {
            jobs[id]?.runLost = true
            logger.warning("job \(id): worker \(registration.id) came back without it")
        }
        logger.info("worker \(registration.id) registered at \(address) offering \(workers[registration.id]?.offeredEncoders ?? [])")
        return isNew
    }

    /// `POST /v1/workers/{id}/heartbeats`. Throws 404 for an unknown id (the worker registers again).
    func heartbeat(_ id: String, _ beat: Heartbeat) throws {
        guard workers[id] != nil else {
            throw APIError.notFound("Unknown worker '\(id)': register with POST /v1/workers first.")
        }
        let status = beat.status == .offline ? WorkerStatus.idle : beat.status
        workers.beat(id, status: status, telemetry: beat.telemetry, jobContext: beat.jobContext, at: .now)
        history.record(id, beat.telemetry, at: Date())
        take(beat.jobs ?? [], from: id)
        // Only a worker that lists its jobs (ours do; a seed-only one sends none) can miss one.
        if let reports = beat.jobs { noteMissing(from: reports, of: id) }
    }

    /// `PATCH /v1/workers/{id}`: the death note marks the worker OFFLINE at once.
    func deathNote(_ id: String, _ note: DeathNote) throws {
        guard workers[id] != nil else { throw APIError.notFound("Unknown worker '\(id)'.") }
        workers.setStatus(id, note.status, reason: note.reason)
        logger.notice("worker \(id) is \(note.status.rawValue): \(note.reason ?? "no reason given")")
    }

    /// A worker that could not be reached while serving, confirmed by a failed probe: OFFLINE
    /// now, so its jobs move at once. Returns false when it was not live anyway.
    func markUnreachable(_ id: String, because reason: String) -> Bool {
        guard let worker = workers[id], worker.isLive else { return false }
        workers.setStatus(id, .offline, reason: "unreachable while serving: \(reason)")
        logger.warning("worker \(id) is OFFLINE: unreachable while serving a segment (\(reason)); moving its jobs now")
        return true
    }

    /// Marks workers OFFLINE whose last heartbeat is older than the timeout; returns their ids.
    @discardableResult
    func sweep(now: ContinuousClock.Instant = .now) -> [String] {
        let expired = workers.silent(since: now - .milliseconds(Int(settings.heartbeatTimeout * 1000)))
        for id in expired {
            workers.setStatus(id, .offline, reason: "no heartbeat for \(Int(settings.heartbeatTimeout)) s")
            logger.warning("worker \(id) is OFFLINE: no heartbeat for \(settings.heartbeatTimeout) s")
        }
        return expired
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
        return workers.sorted.map { WorkerView($0, activeJobs: counts[$0.id] ?? 0, now: now) }
    }

    func workerView(_ id: String) -> WorkerView? {
        workers[id].map { WorkerView($0, activeJobs: activeJobCounts()[id] ?? 0, now: .now) }
    }

    func worker(_ id: String) -> WorkerRecord? { workers[id] }

    /// The worker for a job: where it already runs if that worker is live, else the best fit.
    func target(for jobID: String, encoder: String?, excluding: Set<String> = []) throws -> WorkerRecord {
        if let current = jobs[jobID]?.workerID, let worker = workers[current], worker.isLive, !excluding.contains(current) {
            return worker
        }
        guard let id = workers.routing.choose(encoder: encoder, activeJobs: activeJobCounts(), excluding: excluding),
              let worker = workers[id]
        else {
            OrchestratorMetrics.refused.increment()
            // Never offered by any registered worker: waiting cannot help (422). A known encoder
            // whose workers are full or offline: retry (503 with Retry-After).
            let sentence = workers.routing.refusal(encoder: encoder)
            throw workers.routing.knows(encoder: encoder) ? APIError.unavailable(sentence) : APIError.unprocessable(sentence)
        }
        OrchestratorMetrics.routed.increment()
        return worker
    }
}

extension Pool {
    /// A live worker to ask about a source file (its tracks): the one routing would pick for
    /// any encoder, else any live one, ids in order.
    func anyLiveWorker() -> WorkerRecord? {
        if let id = workers.routing.choose(encoder: nil, activeJobs: activeJobCounts()), let worker = workers[id] { return worker }
        return workers.sorted.first(where: \.isLive)
    }
}
