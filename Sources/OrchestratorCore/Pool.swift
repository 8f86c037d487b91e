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
    /// The worker records; read and changed through `workers`, which takes in the inbox first.
    private var table = WorkerTable()
    /// Plain heartbeats the event loops answered and left for the pool (see `HeartbeatInbox`).
    nonisolated let inbox = HeartbeatInbox()
    var jobs: [String: JobRecord] = [:] {
        didSet { jobsRevision &+= 1 }  // no `oldValue`: `jobs[id]?.x = y` still changes in place
    }
    /// Goes up on every change of `jobs`; with `workers.revision`, what the live feed watches.
    var jobsRevision: UInt64 = 0
    /// Jobs deleted lately, when, and their last generation: a report of one of them that was
    /// already on its way must stop it on the worker, not bring it back as a ghost; and a job
    /// created again under the same id goes on counting generations, so that stopping such a
    /// stray (up to its generation) can never stop the new run.
    var deleted: [String: (at: ContinuousClock.Instant, generation: Int)] = [:]
    /// The last ten minutes of each worker's telemetry, for the dashboard's sparklines:
    /// sampled by `sampleTelemetry` on a timer, never by a heartbeat.
    var history = TelemetryHistory()
    /// Registrations are logged one by one up to a rate, then counted (a pool of 10,000
    /// registering at once spent a tenth of its time writing their lines).
    var registrationLog = LogRate(perSecond: 20, what: "workers registered")
    /// When the last history frame was made.
    var lastTelemetrySample = ContinuousClock.now

    /// Creates an empty pool.
    public init(settings: OrchestratorSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.client = WorkerClient(token: settings.token, callTimeout: settings.workerCallTimeout)
    }

    // MARK: Workers

    /// The worker records, with every heartbeat already answered taken in.
    var workers: WorkerTable {
        get {
            takeInbox()
            return table
        }
        _modify {
            takeInbox()
            yield &table
        }
    }

    /// Records the heartbeats left in the inbox, each at the time it came.
    private func takeInbox() {
        guard let left = inbox.take() else { return }
        for (id, report) in left { record(report.beat, of: id, at: report.at) }
    }

    /// A heartbeat's effects: status, telemetry and time; the jobs it reports; the ones it no longer lists.
    private func record(_ beat: Heartbeat, of id: String, at now: ContinuousClock.Instant) {
        let status = beat.status == .offline ? WorkerStatus.idle : beat.status
        table.beat(id, status: status, telemetry: beat.telemetry, jobContext: beat.jobContext, at: now)
        if let reports = beat.jobs, !reports.isEmpty { take(reports, from: id) }
        // Only a worker that lists its jobs (ours do; a seed-only one sends none) can miss one.
        if let reports = beat.jobs { noteMissing(from: reports, of: id, now: now) }
    }

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
        inbox.admit(registration.id)
        take(registration.jobs ?? [], from: registration.id)
        // A worker that registers again without a job it ran was restarted: that run is gone.
        let reported = Set((registration.jobs ?? []).map(\.jobID))
        for (id, job) in jobs where job.workerID == registration.id && job.state.isActive && !reported.contains(id) {
            jobs[id]?.runLost = true
            logger.warning("job \(id): worker \(registration.id) came back without it")
        }
        if registrationLog.admit(now: .now, logger: logger) {
            logger.info("worker \(registration.id) registered at \(address) offering \(workers[registration.id]?.offeredEncoders ?? [])")
        }
        return isNew
    }

    /// `POST /v1/workers/{id}/heartbeats`. Throws 404 for an unknown id (the worker registers again).
    func heartbeat(_ id: String, _ beat: Heartbeat) throws {
        guard workers.contains(id) else {
            throw APIError.notFound("Unknown worker '\(id)': register with POST /v1/workers first.")
        }
        record(beat, of: id, at: .now)
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

    /// The worker for a job: where it already runs if that worker is live, else the best fit
    /// whose backend can do the job's picture work (`needs`, see `routingNeeds`).
    func target(for jobID: String, encoder: String?, excluding: Set<String> = [], configuration: JobConfiguration? = nil) throws -> WorkerRecord {
        if let current = jobs[jobID]?.workerID, let worker = workers[current], worker.isLive, !excluding.contains(current) {
            return worker
        }
        let (needs, toneMapMaybe) = Self.routingNeeds(configuration)
        let counts = activeJobCounts()
        let chosen = workers.routing.choose(encoder: encoder, activeJobs: counts, excluding: excluding, needs: needs)
            ?? (toneMapMaybe ? workers.routing.choose(encoder: encoder, activeJobs: counts, excluding: excluding, needs: needs.subtracting(.toneMap)) : nil)
        guard let id = chosen, let worker = workers[id] else {
            OrchestratorMetrics.refused.increment()
            if !needs.isEmpty, workers.routing.choose(encoder: encoder, activeJobs: counts, excluding: excluding) != nil {
                throw APIError.unavailable("No live worker whose backend for encoder '\(encoder ?? "auto")' can burn in subtitles has room now; the pool's other workers cannot; retry later or drop burn_in.")
            }
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
    /// What a job needs of the backend that runs it. Burn-in is known from the configuration;
    /// tone mapping only from the source, which the orchestrator does not probe: a job with
    /// `tone_map` `auto` prefers workers that tone-map (the second value), and the worker,
    /// which probes, refuses with a 422 when its backend cannot map an HDR source.
    static func routingNeeds(_ configuration: JobConfiguration?) -> (RoutingTable.Needs, toneMapMaybe: Bool) {
        guard let configuration, !(configuration.forceRemux ?? false) else { return ([], false) }
        var needs: RoutingTable.Needs = []
        if configuration.subtitles?.burnsIn == true { needs.insert(.burnIn) }
        let toneMap = (configuration.toneMap ?? .auto) == .auto
        if toneMap { needs.insert(.toneMap) }
        return (needs, toneMap)
    }

    /// A live worker to ask about a source file (its tracks): the one routing would pick for
    /// any encoder when it is one of ours (it lists its encoders, and answers track listings; a
    /// seed-only worker, which `auto` now prefers for its hardware, may not), else the first of
    /// ours that is live, else any live one, ids in order.
    func anyLiveWorker() -> WorkerRecord? {
        if let id = workers.routing.choose(encoder: nil, activeJobs: activeJobCounts()), let worker = workers[id],
           worker.specs.encoders != nil {
            return worker
        }
        let live = workers.sorted.filter(\.isLive)
        return live.first { $0.specs.encoders != nil } ?? live.first
    }
}

/// Lets through `perSecond` log lines a second; the rest are counted and told in one line
/// when the next second's first line comes.
struct LogRate: Sendable {
    let perSecond: Int
    let what: String
    private var windowStart = ContinuousClock.now
    private var inWindow = 0
    private var held = 0

    init(perSecond: Int, what: String) {
        self.perSecond = perSecond
        self.what = what
    }

    /// Whether to log this one.
    mutating func admit(now: ContinuousClock.Instant, logger: Logger) -> Bool {
        if now - windowStart >= .seconds(1) {
            if held > 0 { logger.info("\(held) more \(what) in the second before (not logged one by one)") }
            windowStart = now
            inWindow = 0
            held = 0
        }
        inWindow += 1
        if inWindow <= perSecond { return true }
        held += 1
        return false
    }
}
