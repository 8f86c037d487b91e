import Foundation
import TranscodeWire

extension Pool {
    func job(_ id: String) -> JobRecord? { jobs[id] }

    func allJobs() -> [JobRecord] { jobs.values.sorted { $0.jobID < $1.jobID } }

    /// The job, if a client's request repeats the last one and the job has not ended badly:
    /// then nothing must restart.
    func unchanged(_ jobID: String, by request: ControllerPayload) -> JobRecord? {
        guard let existing = jobs[jobID], existing.requested == request.configuration, existing.sourcePath == request.sourcePath,
              existing.outputPath == request.outputPath, existing.state != .failed, existing.state != .stopped
        else { return nil }
        return existing
    }

    /// The one way a worker's report changes a job: only a report from the worker that runs
    /// the job counts. Returns the record.
    @discardableResult
    func apply(_ report: WorkerJob, from workerID: String) -> JobRecord? {
        guard let record = jobs[report.jobID], record.workerID == workerID else { return jobs[report.jobID] }
        // A report of an older run (sent before a seek or a move reached the worker) is stale.
        if let reported = report.generation, reported < record.generation { return record }
        jobs[report.jobID]?.apply(report)
        return jobs[report.jobID]
    }

    /// Takes the job reports of a worker (registration, heartbeat). A job it runs that the
    /// pool does not know is adopted (this is how a restarted orchestrator learns its jobs
    /// again); an active job that moved to another worker meanwhile (it was taken for dead),
    /// or that a client deleted, is stopped there.
    func take(_ reports: [WorkerJob], from workerID: String) {
        var strays: [WorkerJob] = []
        for report in reports {
            if let record = jobs[report.jobID] {
                if record.workerID == workerID {
                    apply(report, from: workerID)
                } else if report.state?.isActive ?? false {
                    strays.append(report)
                }
            } else if deleted[report.jobID] != nil {
                if report.state?.isActive ?? false { strays.append(report) }
            } else if report.state?.isActive ?? true {
                var record = JobRecord(
                    jobID: report.jobID, workerID: workerID, sourcePath: report.sourcePath, outputPath: report.outputPath,
                    requested: report.configuration, configuration: report.configuration, state: report.state ?? .running
                )
                record.apply(report)
                jobs[report.jobID] = record
                logger.info("job \(report.jobID) adopted from worker \(workerID)")
            }
        }
        stop(strays, on: workerID)
    }

    /// A worker's heartbeat lists every job it has: an active job of record on that worker
    /// that it no longer lists, and was not handed to it just now, is gone from there (a stop
    /// that raced a restart, say); recovery runs it again.
    func noteMissing(from reports: [WorkerJob], of workerID: String, now: ContinuousClock.Instant = .now) {
        let listed = Set(reports.map(\.jobID))
        for (id, job) in jobs where job.workerID == workerID && job.state.isActive && !job.runLost && !listed.contains(id)
            && now - job.dispatchedAt > .seconds(10) {
            jobs[id]?.runLost = true
            logger.warning("job \(id): worker \(workerID) no longer lists it; running it again")
        }
    }

    /// Stops, in the background, jobs that a worker still runs although they moved elsewhere.
    private func stop(_ strays: [WorkerJob], on workerID: String) {
        guard !strays.isEmpty, let worker = workers[workerID], worker.isLive else { return }
        let client = client, logger = logger
        Task {
            // Checked again just before each call: the job may have come back to that worker.
            // The stop names the stray's generation, so a newer run there is left alone.
            for stray in strays where await self.job(stray.jobID)?.workerID != workerID {
                logger.notice("job \(stray.jobID) moved away from worker \(workerID) or was deleted: stopping it there")
                await client.delete(stray.jobID, on: worker, upToGeneration: stray.generation)
            }
        }
    }

    /// The generation the next run of the job gets.
    func nextGeneration(_ jobID: String) -> Int { (jobs[jobID]?.generation ?? deleted[jobID]?.generation ?? 0) + 1 }

    /// A run of the job started on `workerID` with `payload`, and the worker reported it.
    /// `fromClient` marks the client's own request, which also becomes what the client asked
    /// for. Returns the record and the worker it ran on before, when that was another.
    func runStarted(
        _ payload: ControllerPayload, jobID: String, on workerID: String, report: WorkerJob?, fromClient: Bool
    ) -> (record: JobRecord, previous: String?) {
        var record = jobs[jobID] ?? JobRecord(
            jobID: jobID, workerID: nil, sourcePath: payload.sourcePath, outputPath: payload.outputPath,
            requested: payload.configuration, configuration: payload.configuration, state: .starting
        )
        if fromClient {
            record.sourcePath = payload.sourcePath
            record.outputPath = payload.outputPath
            record.requested = payload.configuration
            record.gaveUp = false
        }
        deleted[jobID] = nil
        record.generation = max(record.generation + 1, payload.generation ?? 0)
        let previous = record.workerID.flatMap { $0 == workerID ? nil : $0 }
        record.configuration = payload.configuration
        record.workerID = workerID
        record.runLost = false
        record.dispatchedAt = .now
        record.state = report?.state ?? .starting
        record.lastSegmentID = report?.lastSegmentID
        record.startSegment = report?.startSegment ?? record.startSegment
        record.progress = report?.progress ?? record.progress
        record.speed = report?.speed
        record.cannotKeepUp = report?.cannotKeepUp
        record.duration = report?.duration ?? record.duration
        record.segmentSeconds = report?.segmentSeconds ?? workers[workerID]?.segmentSeconds ?? record.segmentSeconds
        record.error = report?.error
        if record.lastFailover != nil, record.lastFailover?.toWorker == nil { record.lastFailover?.toWorker = workerID }
        jobs[jobID] = record
        return (record, previous)
    }

    /// No live worker can take the job now: it waits, saying why.
    func markPending(_ jobID: String, because reason: String) {
        guard let encoder = jobs[jobID].map({ $0.configuration.encoder ?? "auto" }) else { return }
        jobs[jobID]?.state = .pending
        jobs[jobID]?.workerID = nil
        jobs[jobID]?.error = "Waiting for a live worker that can run encoder '\(encoder)': \(reason)"
    }

    /// The job cannot run again as it is (its source is gone or unreadable): failed, with
    /// the reason, and no more retries.
    func failForGood(_ jobID: String, because reason: String) {
        guard jobs[jobID] != nil else { return }
        jobs[jobID]?.state = .failed
        jobs[jobID]?.workerID = nil
        jobs[jobID]?.gaveUp = true
        jobs[jobID]?.error = reason
        logger.error("job \(jobID) failed for good: \(reason)")
    }

    /// Forgets a deleted job; reports of it that were already on their way stop it instead
    /// of adopting it again. Tombstones older than ten minutes go.
    func removeJob(_ id: String) {
        let generation = jobs[id]?.generation ?? 0
        jobs[id] = nil
        let now = ContinuousClock.now
        deleted = deleted.filter { now - $0.value.at < .seconds(600) }
        deleted[id] = (now, max(generation, deleted[id]?.generation ?? 0))
    }

    /// Remembers the segment a player just fetched.
    func noteFetch(_ id: String, segment: Int) { jobs[id]?.lastFetchedSegment = segment }

    /// The payload of a run of the job that must deliver segment `n` (a player asked for it).
    /// When the player has just played segment n-1, the run starts there, so that segment n
    /// is not the run's first (see `JobRecord.runStart(continuing:)`).
    func payload(_ jobID: String, delivering n: Int) -> ControllerPayload? {
        guard var record = jobs[jobID] else { return nil }
        let start = record.lastFetchedSegment == n - 1 ? JobRecord.runStart(continuing: n) : n
        record.seekRun(toSegment: start, segmentSeconds: record.segmentSeconds ?? 4)
        return record.payload
    }

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
}
