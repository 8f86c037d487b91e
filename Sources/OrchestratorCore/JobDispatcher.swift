import Foundation
import Logging
import ServiceSupport
import TranscodeWire

/// Carries client job requests to workers with the seed's controller payload, one
/// operation per job at a time. It decides and calls; every change of a job record is a
/// method of `Pool`.
struct JobDispatcher: Sendable {
    let pool: Pool
    let settings: OrchestratorSettings
    let logger: Logger
    let client: WorkerClient
    let queue = KeyedSerialQueue()
    /// Segments whose relay broke mid-stream (`SegmentRelay`), answered whole for a while.
    let cutSegments = CutSegments()

    init(pool: Pool, settings: OrchestratorSettings, logger: Logger) {
        self.pool = pool
        self.settings = settings
        self.logger = logger
        self.client = WorkerClient(token: settings.token, callTimeout: settings.workerCallTimeout)
    }

    /// Creates or updates a job: a job that exists stays on its worker; a new one goes to
    /// the best live worker that offers its encoder. A repeat of the client's last request
    /// changes nothing. Returns the record and whether it is new.
    func upsert(_ request: ControllerPayload, jobID: String) async throws -> (JobRecord, Bool) {
        // Refused here too: the stable playlist names its segments by the container.
        guard request.configuration.segmentContainer != nil else {
            throw APIError.unprocessable(SegmentContainer.refusal(request.configuration.container ?? ""))
        }
        return try await queue.run(jobID) {
            if let unchanged = await pool.unchanged(jobID, by: request) { return (unchanged, false) }
            let isNew = await pool.job(jobID) == nil
            var payload = request
            payload.jobID = jobID
            return (try await dispatch(payload, fromClient: true), isNew)
        }
    }

    /// Sends a run of the job to its worker (if live) or to the best capable worker, trying
    /// the next one when a worker does not answer or answers 503 (full), and books the run in
    /// the pool. Throws 503 when no live worker can run it, or a worker's refusal (4xx).
    @discardableResult
    func dispatch(_ payload: ControllerPayload, excluding: Set<String> = [], fromClient: Bool = false) async throws -> JobRecord {
        let jobID = payload.jobID ?? ""
        var tried = excluding
        var lastFull: APIError?
        while true {
            let worker: WorkerRecord
            do {
                worker = try await pool.target(
                    for: jobID, encoder: payload.configuration.encoder, excluding: tried, configuration: payload.configuration
                )
            } catch {
                // Every capable worker was tried: the last one's own sentence says more.
                throw lastFull ?? error
            }
            ServerTiming.mark("routed")
            var payload = payload
            payload.generation = await pool.nextGeneration(jobID)
            do {
                let report = try await client.send(payload, to: worker)
                ServerTiming.mark("worker_replied")
                let (record, previous) = await pool.runStarted(payload, jobID: jobID, on: worker.id, report: report, fromClient: fromClient)
                if let previous { await deleteOnWorker(jobID, workerID: previous) }
                return record
            } catch let error as WorkerUnreachable {
                logger.warning("worker \(worker.id) unreachable for job \(jobID): \(error.reason); trying another")
                tried.insert(worker.id)
            } catch let error as APIError where error.status == .serviceUnavailable {
                logger.notice("worker \(worker.id) is full for job \(jobID): \(error.message); trying another")
                lastFull = error
                tried.insert(worker.id)
            }
        }
    }

    /// After a run could not be placed: 503 means no capable worker has room now, so the job
    /// waits `pending`; any other refusal (the source is gone or unreadable, the encoder is
    /// unknown) will not heal by waiting, so the job fails for good with the worker's sentence.
    func settle(_ jobID: String, after error: any Error) async {
        if let refusal = error as? APIError, refusal.status != .serviceUnavailable {
            await pool.failForGood(jobID, because: refusal.message)
        } else {
            await waitForWorker(jobID, after: error)
        }
    }

    /// Stops the job on its worker and forgets it.
    func delete(_ jobID: String) async throws {
        try await queue.run(jobID) {
            guard let record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
            if let workerID = record.workerID { await deleteOnWorker(jobID, workerID: workerID) }
            await pool.removeJob(jobID)
        }
    }

    /// The job with fresh numbers from its worker when it answers within a second,
    /// else as the last heartbeat left it.
    func refreshed(_ jobID: String) async -> JobRecord? {
        guard let record = await pool.job(jobID) else { return nil }
        guard record.state.isActive, let workerID = record.workerID, let worker = await pool.worker(workerID), worker.isLive,
              let report = await client.status(of: jobID, on: worker, timeout: .seconds(1))
        else { return record }
        return await pool.apply(report, from: workerID)
    }

    /// DELETE on the worker, if it is live.
    func deleteOnWorker(_ jobID: String, workerID: String) async {
        guard let worker = await pool.worker(workerID), worker.isLive else { return }
        await client.delete(jobID, on: worker)
    }

    /// "Waiting for a live worker ..." with the reason dispatching failed.
    func waitForWorker(_ jobID: String, after error: any Error) async {
        await pool.markPending(jobID, because: (error as? APIError)?.message ?? "\(error)")
    }
}
