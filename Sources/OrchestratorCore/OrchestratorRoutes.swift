import CurlHTTP
import Foundation
import Hummingbird
import ServiceSupport
import TranscodeWire

/// The orchestrator's HTTP API: the seed's worker endpoints and the client job API.
struct OrchestratorRoutes {
    let pool: Pool
    let dispatcher: JobDispatcher
    let links: PlaybackLinks

    /// Every route of the orchestrator and its methods (405 for others); `add(to:)` adds them.
    static let methods: KeyValuePairs<String, [HTTPRequest.Method]> = [
        "/healthz": [.get], "/v1/workers": [.get, .post], "/v1/workers/:id": [.get, .patch], "/v1/workers/:id/heartbeats": [.post],
        "/v1/jobs": [.get, .post], "/v1/jobs/:job_id": [.get, .put, .delete], "/v1/jobs/:job_id/hls/:file": [.get],
        // OperatorRoutes: metrics, drain, the dashboard and its data.
        "/metrics": [.get], "/v1/workers/:id/drain": [.post, .delete], "/": [.get], "/dashboard/app.css": [.get],
        "/dashboard/app.js": [.get], "/v1/dashboard/snapshot": [.get], "/v1/dashboard/events": [.get], "/v1/library": [.get],
        // MediaRoutes.
        "/v1/media/tracks": [.get],
    ]

    func add(to router: Router<OrchestratorContext>) {
        router.get("/healthz") { _, _ in "ok" }
        addWorkerRoutes(router)
        addJobRoutes(router)
    }

    private func addWorkerRoutes(_ router: Router<OrchestratorContext>) {
        router.post("/v1/workers") { request, context in
            let registration = try await JSON.decode(Registration.self, from: request)
            if let problem = ReportRules.problem(in: registration) { throw APIError.badRequest("Registration refused: \(problem).") }
            let isNew = await pool.register(registration, remoteHost: context.remoteAddress?.ipAddress)
            let view = await pool.workerView(registration.id)
            return try JSON.response(view, status: isNew ? .created : .ok)
        }
        router.post("/v1/workers/:id/heartbeats") { request, context in
            let id = try context.parameters.require("id")
            let beat = try await JSON.decode(Heartbeat.self, from: request)
            if let problem = ReportRules.workerIDProblem(id) ?? ReportRules.problem(in: beat) {
                throw APIError.badRequest("Heartbeat refused: \(problem).")
            }
            try await pool.heartbeat(id, beat)
            OrchestratorMetrics.heartbeats.increment()
            return Response(status: .noContent)
        }
        router.patch("/v1/workers/:id") { request, context in
            let id = try context.parameters.require("id")
            let note = try await JSON.decode(DeathNote.self, from: request)
            try await pool.deathNote(id, note)
            return try JSON.response(await pool.workerView(id))
        }
        router.get("/v1/workers") { _, _ in
            try JSON.response(["workers": await pool.workerViews()])
        }
        router.get("/v1/workers/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let view = await pool.workerView(id) else { throw APIError.notFound("Unknown worker '\(id)'.") }
            return try JSON.response(view)
        }
    }

    private func addJobRoutes(_ router: Router<OrchestratorContext>) {
        router.post("/v1/jobs") { request, _ in
            let payload = try await JSON.decode(ControllerPayload.self, from: request)
            return try await upsert(payload, jobID: payload.jobID ?? UUID().uuidString.lowercased(), request: request)
        }
        router.put("/v1/jobs/:job_id") { request, context in
            let id = try context.parameters.require("job_id")
            let payload = try await JSON.decode(ControllerPayload.self, from: request)
            if let bodyID = payload.jobID, bodyID != id {
                throw APIError.badRequest("job_id in the body ('\(bodyID)') differs from the one in the path ('\(id)').")
            }
            return try await upsert(payload, jobID: id, request: request)
        }
        router.get("/v1/jobs") { request, _ in
            try JSON.response(["jobs": await pool.allJobs().map { view($0, request) }])
        }
        router.get("/v1/jobs/:job_id") { request, context in
            let id = try context.parameters.require("job_id")
            guard let record = await dispatcher.refreshed(id) else { throw APIError.notFound("No job '\(id)'.") }
            return try JSON.response(view(record, request))
        }
        router.delete("/v1/jobs/:job_id") { _, context in
            try await dispatcher.delete(context.parameters.require("job_id"))
            return Response(status: .noContent)
        }
        router.get("/v1/jobs/:job_id/hls/:file") { request, context in
            let id = try context.parameters.require("job_id")
            let file = try context.parameters.require("file")
            // Segment URIs carry the signature this playlist was opened with (none with a header).
            let sig = request.uri.queryParameters[Substring(PlaybackSigner.queryName)].map(String.init)
            if file == "index.m3u8" {
                let text = try await dispatcher.playlist(id, query: PlaybackLinks.query(sig))
                return HLSResponse.make(Data(text.utf8), file: file, request: request)
            }
            if let subtitles = try await subtitleFile(id, file: file, query: PlaybackLinks.query(sig)) {
                return HLSResponse.make(subtitles, file: file, request: request)
            }
            if file == SegmentContainer.initName {
                return HLSResponse.make(try await dispatcher.initSegment(id), file: file, request: request)
            }
            guard let number = SegmentName.number(file) else { throw APIError.notFound("Job '\(id)' has no file '\(file)'.") }
            if let job = await dispatcher.pool.job(id), job.container != SegmentContainer.of(file: file) {
                throw APIError.notFound("Job '\(id)' has no file '\(file)': its segments are .\(job.container.segmentExtension) files.")
            }
            return try await ServerTiming.measure {
                // Players may get this segment from another run than the one before it (fMP4 needs no
                // mark: its timestamps are absolute, and it has no continuity counters).
                let started = ContinuousClock.now
                // A player resuming a segment whose relay broke gets it whole: the rest comes from another run.
                let request = await dispatcher.cutSegments.wasCut(id, segment: number) ? request.withoutRange : request
                let delivery = try await dispatcher.segment(id, number: number, streamable: HLSResponse.acceptsStream(request))
                // Until the first byte, for a streamed one.
                OrchestratorMetrics.segmentFetch.record(duration: ContinuousClock.now - started)
                switch delivery {
                case .whole(let bytes):
                    let marked = SegmentContainer.of(file: file) == .ts ? TSDiscontinuity.markSegmentStart(bytes) : bytes
                    return HLSResponse.make(marked, file: file, request: request)
                case .streaming(let relay):
                    return HLSResponse.streaming(file: file, body: ResponseBody { writer in try await relay.send(to: &writer) })
                }
            }
        }
    }

    /// `master.m3u8`, `subtitles.m3u8` and `subtitles<N>.vtt` (no TS discontinuity mark: WebVTT
    /// has none, and its cues are in movie time whichever run cut them); nil for other files.
    private func subtitleFile(_ id: String, file: String, query: String) async throws -> Data? {
        switch file {
        case SubtitleName.master: return Data(try await dispatcher.master(id, query: query).utf8)
        case SubtitleName.playlist: return Data(try await dispatcher.subtitlePlaylist(id, query: query).utf8)
        default:
            guard let n = SubtitleName.number(file) else { return nil }
            return try await dispatcher.subtitleSegment(id, number: n)
        }
    }

    private func view(_ record: JobRecord, _ request: Request) -> JobView {
        links.view(record, request: request)
    }

    private func upsert(_ payload: ControllerPayload, jobID: String, request: Request) async throws -> Response {
        guard JobID.isSafe(jobID) else {
            throw APIError.badRequest("\(JobID.rule); got '\(jobID.prefix(140))'.")
        }
        return try await ServerTiming.measure {
            let (record, isNew) = try await dispatcher.upsert(payload, jobID: jobID)
            return try JSON.response(view(record, request), status: isNew ? .created : .ok)
        }
    }
}
