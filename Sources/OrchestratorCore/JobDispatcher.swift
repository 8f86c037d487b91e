import CurlHTTP
import Foundation
import Logging
import ServiceSupport
import TranscodeWire

/// Carries client job requests to workers with the seed's controller payload, one
/// operation per job at a time.
struct JobDispatcher: Sendable {
    let orchestrator: Orchestrator
    let settings: OrchestratorSettings
    let logger: Logger
    let client = HTTPClient()
    let queue = KeyedSerialQueue()

    init(orchestrator: Orchestrator, settings: OrchestratorSettings, logger: Logger) {
        self.orchestrator = orchestrator
        self.settings = settings
        self.logger = logger
    }

    var headers: [(String, String)] {
        settings.token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    /// Creates or updates a job: a job that exists stays on its worker; a new one goes to
    /// the best live worker that offers its encoder. A repeat of the client's last request
    /// changes nothing. Returns the record and whether it is new.
    func upsert(_ request: ControllerPayload, jobID: String) async throws -> (JobRecord, Bool) {
        try await queue.run(jobID) {
            let existing = await orchestrator.job(jobID)
            if let existing, existing.requested == request.configuration, existing.sourcePath == request.sourcePath,
               existing.outputPath == request.outputPath, existing.state != .failed, existing.state != .stopped {
                return (existing, false)
            }
            var record = existing ?? JobRecord(
                jobID: jobID, workerID: nil, sourcePath: request.sourcePath, outputPath: request.outputPath,
                requested: request.configuration, configuration: request.configuration, state: .starting
            )
            record.sourcePath = request.sourcePath
            record.outputPath = request.outputPath
            record.requested = request.configuration
            record.configuration = request.configuration
            record.gaveUp = false
            record = try await dispatch(record)
            return (record, existing == nil)
        }
    }

    /// Sends the record's current configuration to its worker (if live) or to the best
    /// capable worker, trying the next one when a worker does not answer. Stores and returns
    /// the updated record; throws 503 when no live worker can run it.
    func dispatch(_ record: JobRecord, excluding: Set<String> = []) async throws -> JobRecord {
        var record = record
        var tried = excluding
        while true {
            let worker = try await orchestrator.target(for: record.jobID, encoder: record.configuration.encoder, excluding: tried)
            do {
                let status = try await send(record.payload, to: worker)
                if let old = record.workerID, old != worker.id { await deleteOnWorker(record.jobID, workerID: old) }
                record.workerID = worker.id
                record.runLost = false
                record.state = status?.state ?? .starting
                record.lastSegmentID = status?.lastSegmentID
                record.startSegment = status?.startSegment ?? record.startSegment
                record.progress = status?.progress ?? record.progress
                record.speed = status?.speed
                record.duration = status?.duration ?? record.duration
                record.segmentSeconds = status?.segmentSeconds ?? worker.segmentSeconds ?? record.segmentSeconds
                record.error = status?.error
                await orchestrator.store(record)
                return record
            } catch let error as WorkerUnreachable {
                logger.warning("worker \(worker.id) unreachable for job \(record.jobID): \(error.reason); trying another")
                tried.insert(worker.id)
            }
        }
    }

    /// Stops the job on its worker and forgets it.
    func delete(_ jobID: String) async throws {
        try await queue.run(jobID) {
            guard let record = await orchestrator.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
            if let workerID = record.workerID { await deleteOnWorker(jobID, workerID: workerID) }
            await orchestrator.removeJob(jobID)
        }
    }

    /// The job with fresh numbers from its worker when it answers within a second,
    /// else as the last heartbeat left it.
    func refreshed(_ jobID: String) async -> JobRecord? {
        guard let record = await orchestrator.job(jobID) else { return nil }
        guard record.state.isActive, let workerID = record.workerID, let worker = await orchestrator.worker(workerID), worker.isLive,
              let response = try? await client.send(HTTPRequest(url: "\(worker.address)/v1/jobs/\(jobID)", headers: headers, timeout: .seconds(1))),
              response.status == 200, let status = try? JSONDecoder().decode(JobStatus.self, from: response.body)
        else { return record }
        return await orchestrator.update(jobID, from: WorkerJob(status), workerID: workerID)
    }

    /// Posts the controller payload (the seed's spelling, which every worker implements).
    /// Returns the worker's job status when it sent one; throws the worker's own error for a
    /// refusal, or `WorkerUnreachable`.
    func send(_ payload: ControllerPayload, to worker: WorkerRecord) async throws -> JobStatus? {
        let response: HTTPResponse
        do {
            response = try await client.sendJSON(
                "POST", "\(worker.address)/v1/workers/\(worker.id)/heartbeats", payload,
                headers: headers, timeout: settings.workerCallTimeout
            )
        } catch {
            throw WorkerUnreachable(reason: "\(error)")
        }
        if (200..<300).contains(response.status) {
            return try? JSONDecoder().decode(JobStatus.self, from: response.body)
        }
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: response.body).error) ?? response.text
        if response.status >= 500 && response.status != 503 { throw WorkerUnreachable(reason: "status \(response.status): \(message)") }
        throw APIError(.init(code: response.status), "Worker '\(worker.id)' refused the job: \(message)")
    }

    /// DELETE on the worker; a worker that is gone or does not know the job is fine.
    func deleteOnWorker(_ jobID: String, workerID: String) async {
        guard let worker = await orchestrator.worker(workerID), worker.isLive else { return }
        _ = try? await client.send(HTTPRequest(method: "DELETE", url: "\(worker.address)/v1/jobs/\(jobID)", headers: headers, timeout: .seconds(15)))
    }

    /// Stops, in the background, jobs that a worker still runs although they moved elsewhere.
    func stopStrays(_ jobIDs: [String], on workerID: String) {
        guard !jobIDs.isEmpty else { return }
        Task {
            for id in jobIDs {
                logger.notice("job \(id) moved away from worker \(workerID) while it was taken for dead: stopping it there")
                await deleteOnWorker(id, workerID: workerID)
            }
        }
    }
}

/// No answer from a worker (connection refused, timeout, server error).
struct WorkerUnreachable: Error {
    var reason: String
}
