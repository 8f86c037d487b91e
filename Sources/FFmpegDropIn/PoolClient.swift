import CurlHTTP
import Foundation
import TranscodeWire

/// The calls the drop-in makes to the orchestrator, with the pool's token.
struct PoolClient: Sendable {
    let base: String
    let token: String?
    private let http = HTTPClient()

    init(base: String, token: String?) {
        self.base = base
        self.token = token
    }

    private var headers: [(String, String)] { BearerHeader.fields(token) }

    /// A refusal or no answer, with the pool's own sentence.
    struct Failure: Error, CustomStringConvertible {
        var status: Int?
        var description: String
    }

    func get(_ path: String, timeout: Duration = .seconds(30)) async throws -> HTTPResponse {
        do {
            return try await http.send(HTTPRequest(url: base + path, headers: headers, timeout: timeout))
        } catch {
            throw Failure(status: nil, description: "the pool at \(base) did not answer: \(error)")
        }
    }

    /// The tracks of a source, as the orchestrator (or a worker for it) reads them.
    func tracks(of path: String) async throws -> MediaTracks {
        let query = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? path
        let response = try await get("/v1/media/tracks?path=\(query)")
        guard response.status == 200 else { throw Self.failure(response) }
        do {
            return try JSONDecoder().decode(MediaTracks.self, from: response.body)
        } catch {
            throw Failure(status: response.status, description: "the pool's track listing could not be read: \(error)")
        }
    }

    /// Creates or updates the job.
    func put(_ jobID: String, source: String, configuration: JobConfiguration) async throws {
        let payload = ControllerPayload(jobID: jobID, sourcePath: source, configuration: configuration)
        let response: HTTPResponse
        do {
            response = try await http.sendJSON("PUT", "\(base)/v1/jobs/\(jobID)", payload, headers: headers, timeout: .seconds(60))
        } catch {
            throw Failure(status: nil, description: "the pool at \(base) did not answer: \(error)")
        }
        guard (200..<300).contains(response.status) else { throw Self.failure(response) }
    }

    /// The job as the orchestrator sees it.
    func job(_ jobID: String) async -> [String: Any]? {
        guard let response = try? await get("/v1/jobs/\(jobID)", timeout: .seconds(10)), response.status == 200 else { return nil }
        return (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
    }

    /// Segment `n` of the job (named by its container): its bytes, or the status that kept it
    /// (503: not yet).
    func segment(_ jobID: String, _ n: Int, in container: SegmentContainer = .ts) async -> (data: Data?, status: Int, sentence: String) {
        await file(jobID, SegmentName.of(n, in: container))
    }

    /// A file of the job's HLS folder at the orchestrator (a segment, `init.mp4`).
    func file(_ jobID: String, _ name: String) async -> (data: Data?, status: Int, sentence: String) {
        guard let response = try? await get("/v1/jobs/\(jobID)/hls/\(name)", timeout: .seconds(40)) else {
            return (nil, 0, "the pool did not answer")
        }
        guard response.status == 200 else { return (nil, response.status, Self.failure(response).description) }
        return (response.body, 200, "")
    }

    /// Stops the job on the pool.
    func delete(_ jobID: String) async {
        _ = try? await http.send(HTTPRequest(method: "DELETE", url: "\(base)/v1/jobs/\(jobID)", headers: headers, timeout: .seconds(15)))
    }

    /// Live workers' encoders and hardware families, for `-encoders` and `-hwaccels`.
    func offers() async -> (encoders: Set<String>, families: Set<String>)? {
        guard let response = try? await get("/v1/workers", timeout: .seconds(5)), response.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let workers = object["workers"] as? [[String: Any]]
        else { return nil }
        var encoders = Set<String>(), families = Set<String>()
        for worker in workers where (worker["status"] as? String) != "OFFLINE" {
            let specs = worker["static_specs"] as? [String: Any] ?? [:]
            encoders.formUnion(worker["encoders"] as? [String] ?? specs["encoders"] as? [String] ?? ["libx264"])
            families.formUnion(specs["hardware_acceleration"] as? [String] ?? [])
        }
        return (encoders, families)
    }

    static func failure(_ response: HTTPResponse) -> Failure {
        let sentence = (try? JSONDecoder().decode(ErrorBody.self, from: response.body).error) ?? response.text
        return Failure(status: response.status, description: sentence)
    }
}
