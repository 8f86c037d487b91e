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
    private let client = HTTPClient()
    private let queue = KeyedSerialQueue()

    init(orchestrator: Orchestrator, settings: OrchestratorSettings, logger: Logger) {
        self.orchestrator = orchestrator
        self.settings = settings
        self.logger = logger
    }

    private var headers: [(String, String)] {
        settings.token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    /// Creates or updates a job: a job that exists stays on its worker; a new one goes to
    /// the best live worker that offers its encoder. Returns the record and whether it is new.
    func upsert(_ request: ControllerPayload, jobID: String) async throws -> (JobRecord, Bool) {
        try await queue.run(jobID) {
            let existing = await orchestrator.job(jobID)
            var tried: Set<String> = []
            while true {
                let worker = try await orchestrator.target(for: jobID, encoder: request.configuration.encoder, excluding: tried)
                var payload = request
                payload.jobID = jobID
                do {
                    let status = try await send(payload, to: worker)
                    var record = existing ?? JobRecord(
                        jobID: jobID, workerID: worker.id, sourcePath: request.sourcePath, outputPath: request.outputPath,
                        configuration: request.configuration, state: .starting
                    )
                    if existing?.workerID != worker.id, existing != nil {
                        // The job moved (its worker is gone): clean what the old one may hold.
                        if let old = existing?.workerID { await deleteOnWorker(jobID, workerID: old) }
                    }
                    record.workerID = worker.id
                    record.sourcePath = request.sourcePath
                    record.outputPath = request.outputPath
                    record.configuration = request.configuration
                    record.state = status?.state ?? .starting
                    record.lastSegmentID = status?.lastSegmentID
                    record.progress = status?.progress ?? record.progress
                    record.speed = status?.speed
                    record.error = status?.error
                    await orchestrator.store(record)
                    return (record, existing == nil)
                } catch let error as WorkerUnreachable {
                    logger.warning("worker \(worker.id) unreachable for job \(jobID): \(error.reason); trying another")
                    tried.insert(worker.id)
                }
            }
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

    /// Stops the job on its worker and forgets it.
    func delete(_ jobID: String) async throws {
        try await queue.run(jobID) {
            guard let record = await orchestrator.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
            if let workerID = record.workerID { await deleteOnWorker(jobID, workerID: workerID) }
            await orchestrator.removeJob(jobID)
        }
    }

    /// Posts the controller payload (the seed's spelling, which every worker implements).
    /// Returns the worker's job status when it sent one; throws the worker's own error for a
    /// refusal, or `WorkerUnreachable`.
    private func send(_ payload: ControllerPayload, to worker: WorkerRecord) async throws -> JobStatus? {
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

    /// Fetches a playlist or segment from the worker that runs the job.
    func fetchHLS(_ jobID: String, file: String) async throws -> HTTPResponse {
        guard let record = await orchestrator.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        guard let workerID = record.workerID, let worker = await orchestrator.worker(workerID), worker.isLive else {
            throw APIError(.serviceUnavailable, "Job '\(jobID)' has no live worker right now; retry shortly.", headers: [.retryAfter: "2"])
        }
        do {
            return try await client.send(HTTPRequest(method: "GET", url: "\(worker.address)/v1/jobs/\(jobID)/hls/\(file)", headers: headers, timeout: .seconds(15)))
        } catch {
            throw APIError(.serviceUnavailable, "Worker '\(workerID)' did not answer for job '\(jobID)'; retry shortly.", headers: [.retryAfter: "2"])
        }
    }
}

/// No answer from a worker (connection refused, timeout, server error).
struct WorkerUnreachable: Error {
    var reason: String
}
