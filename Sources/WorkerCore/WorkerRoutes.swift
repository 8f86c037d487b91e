import Foundation
import Hummingbird
import ServiceSupport
import TranscodeBackend
import TranscodeWire

/// The worker's job API (seed section 2 and the contract).
struct WorkerRoutes {
    let manager: JobManager
    let workerID: String

    /// Every route of the worker and its methods (405 for others); `add(to:)` adds them.
    static let methods: KeyValuePairs<String, [HTTPRequest.Method]> = [
        "/healthz": [.get], "/v1/jobs": [.get, .post], "/v1/jobs/:job_id": [.get, .put, .delete],
        "/v1/jobs/:job_id/hls/:file": [.get], "/v1/workers/:worker_id/heartbeats": [.post], "/v1/worker": [.get],
        "/metrics": [.get], "/v1/media/tracks": [.get],
    ]

    /// Adds every route to the router.
    func add(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in "ok" }
        router.put("/v1/jobs/:job_id") { request, context in
            let id = try context.parameters.require("job_id")
            return try await upsert(JSON.decode(ControllerPayload.self, from: request), pathJobID: id)
        }
        router.post("/v1/jobs") { request, _ in
            try await upsert(JSON.decode(ControllerPayload.self, from: request), pathJobID: nil)
        }
        router.post("/v1/workers/:worker_id/heartbeats", use: upsertFromSeedController)
        router.get("/v1/jobs") { _, _ in
            try JSON.response(JobList(jobs: await manager.allStatuses()))
        }
        router.get("/v1/jobs/:job_id") { _, context in
            let id = try context.parameters.require("job_id")
            guard let status = await manager.status(id) else { throw APIError.notFound("No job '\(id)' on this worker.") }
            return try JSON.response(status)
        }
        router.delete("/v1/jobs/:job_id") { request, context in
            let generation = request.uri.queryParameters["generation"].flatMap { Int(String($0)) }
            try await manager.delete(context.parameters.require("job_id"), upToGeneration: generation)
            return Response(status: .noContent)
        }
        router.get("/v1/jobs/:job_id/hls/:file") { request, context in
            try await hlsFile(job: context.parameters.require("job_id"), file: context.parameters.require("file"), request: request)
        }
        router.get("/v1/media/tracks") { request, _ in
            try JSON.response(await manager.tracks(of: MediaQuery.path(request)))
        }
    }

    /// The seed's own spelling of "create or update a job": its "controller heartbeat" posted
    /// to this worker's id carries the job in the body.
    @Sendable private func upsertFromSeedController(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let worker = try context.parameters.require("worker_id")
        guard worker == workerID else {
            throw APIError.notFound("This is worker '\(workerID)', not '\(worker)'.")
        }
        return try await upsert(JSON.decode(ControllerPayload.self, from: request), pathJobID: nil)
    }

    private func upsert(_ payload: ControllerPayload, pathJobID: String?) async throws -> Response {
        let result = try await manager.upsert(payload, pathJobID: pathJobID)
        return try JSON.response(result.status, status: result.created ? .created : .ok)
    }

    /// The playlist, a segment, an fMP4 init segment or a WebVTT subtitle segment of a job. A finished segment is
    /// served whole (FFmpeg writes it under a temporary name and renames it, and `SegmentContainer.isWhole` must
    /// hold); the TS segment the run is writing is streamed as it grows (`LiveSegment`).
    private func hlsFile(job: String, file: String, request: Request) async throws -> Response {
        if let n = SubtitleName.number(file) {
            // Cut from the cues in movie time: the same bytes whichever run or worker serves them.
            return HLSResponse.make(Data(try await manager.subtitleSegment(job, number: n).utf8), file: file, request: request)
        }
        guard let folder = await manager.outputPath(job) else { throw APIError.notFound("No job '\(job)' on this worker.") }
        if let live = await manager.liveSegment(job, file: file) {
            // Being written, or next: a chunked 200 at once that streams it as it grows, or (a range, a
            // validator) the whole segment once finished.
            guard HLSResponse.acceptsStream(request) else {
                guard let whole = try? await live.whole() else { throw APIError.notFound("Job '\(job)' did not finish '\(file)'.") }
                return HLSResponse.make(whole, file: file, request: request)
            }
            return live.response()
        }
        guard HLSPlaylist.isServable(file), let data = FileManager.default.contents(atPath: folder + "/" + file),
              file == FFmpegCommand.playlistName || SegmentContainer.isWhole(data, file: file)
        else {
            throw APIError.notFound("Job '\(job)' has no file '\(file)' (yet).")
        }
        return HLSResponse.make(data, file: file, request: request)
    }
}

/// `GET /v1/jobs` reply.
struct JobList: Codable, Sendable {
    var jobs: [JobStatus]
}
