import CurlHTTP
import Foundation
import ServiceSupport
import TranscodeWire

/// The orchestrator's calls to workers: the controller payload, job status, deletes and
/// HLS files, all with the pool's bearer token.
struct WorkerClient: Sendable {
    let token: String?
    /// Timeout of a job create/update call.
    let callTimeout: Duration
    private let http = HTTPClient()

    init(token: String?, callTimeout: Duration) {
        self.token = token
        self.callTimeout = callTimeout
    }

    private var headers: [(String, String)] { BearerHeader.fields(token) }

    /// Posts the controller payload (the seed's spelling, which every worker implements).
    /// Returns the worker's report of the job when it sent one; throws the worker's own
    /// error for a refusal, or `WorkerUnreachable`.
    func send(_ payload: ControllerPayload, to worker: WorkerRecord) async throws -> WorkerJob? {
        let response: HTTPResponse
        do {
            response = try await http.sendJSON(
                "POST", "\(worker.address)/v1/workers/\(worker.id)/heartbeats", payload, headers: headers, timeout: callTimeout
            )
        } catch {
            throw WorkerUnreachable(reason: "\(error)")
        }
        if (200..<300).contains(response.status) {
            return try? JSONDecoder().decode(WorkerJob.self, from: response.body)
        }
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: response.body).error) ?? response.text
        if response.status >= 500 && response.status != 503 { throw WorkerUnreachable(reason: "status \(response.status): \(message)") }
        let sentence = "Worker '\(worker.id)' refused the job: \(message)"
        throw response.status == 503 ? APIError.unavailable(sentence) : APIError(.init(code: response.status), sentence)
    }

    /// The worker's report of a job, when it answers 200 within `timeout`.
    func status(of jobID: String, on worker: WorkerRecord, timeout: Duration) async -> WorkerJob? {
        guard let response = try? await http.send(HTTPRequest(url: "\(worker.address)/v1/jobs/\(jobID)", headers: headers, timeout: timeout)),
              response.status == 200
        else { return nil }
        return try? JSONDecoder().decode(WorkerJob.self, from: response.body)
    }

    /// DELETE on the worker; a worker that is gone or does not know the job is fine.
    /// With `upToGeneration`, a run of a newer generation on that worker is left alone.
    func delete(_ jobID: String, on worker: WorkerRecord, upToGeneration: Int? = nil) async {
        let query = upToGeneration.map { "?generation=\($0)" } ?? ""
        _ = try? await http.send(HTTPRequest(method: "DELETE", url: "\(worker.address)/v1/jobs/\(jobID)\(query)", headers: headers, timeout: .seconds(15)))
    }

    /// Whether the worker answers `/healthz` within a second.
    func isAlive(_ worker: WorkerRecord) async -> Bool {
        (try? await http.send(HTTPRequest(url: "\(worker.address)/healthz", timeout: .seconds(1))))?.status == 200
    }

    /// The worker's listing of a source's tracks (its answer as it is, errors included);
    /// throws 503 when it does not answer.
    func tracks(of path: String, on worker: WorkerRecord) async throws -> HTTPResponse {
        let query = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? path
        do {
            return try await http.send(HTTPRequest(url: "\(worker.address)/v1/media/tracks?path=\(query)", headers: headers, timeout: .seconds(30)))
        } catch {
            throw APIError(.serviceUnavailable, "Worker '\(worker.id)' did not answer about '\(path)'; retry shortly.", headers: [.retryAfter: "2"])
        }
    }

    /// A segment of the job from the worker, its body read as it arrives: a segment the worker
    /// is still writing comes chunked, and ends with an error if the worker's run dies first.
    /// The worker may hold the request until FFmpeg starts writing the segment (up to 10 s).
    func segmentStream(_ file: String, of jobID: String, on worker: WorkerRecord) async throws -> HTTPStreamResponse {
        try await http.stream(HTTPRequest(url: "\(worker.address)/v1/jobs/\(jobID)/hls/\(file)", headers: headers, timeout: .seconds(120)), stall: .seconds(15))
    }

    /// A playlist or segment of the job from the worker.
    func file(_ file: String, of jobID: String, on worker: WorkerRecord) async throws -> HTTPResponse {
        try await http.send(HTTPRequest(url: "\(worker.address)/v1/jobs/\(jobID)/hls/\(file)", headers: headers, timeout: .seconds(15)))
    }
}

/// No answer from a worker (connection refused, timeout, server error).
struct WorkerUnreachable: Error {
    var reason: String
}
