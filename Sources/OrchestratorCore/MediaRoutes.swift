import CurlHTTP
import Foundation
import Hummingbird
import MediaProbe
import ServiceSupport
import TranscodeWire

/// `GET /v1/media/tracks?path=`: the streams of a source file. With `--media-root` the
/// orchestrator reads the file itself, confined to those roots like a worker; without, it asks
/// a live worker, which applies its own roots (and path mappings).
struct MediaRoutes {
    let pool: Pool
    let settings: OrchestratorSettings
    let client: WorkerClient

    func add(to router: Router<OrchestratorContext>) {
        let policy = settings.mediaRoots.isEmpty ? nil : PathPolicy(mediaRoots: settings.mediaRoots, transcodeRoot: "/")
        let probe = SourceProbe(ffprobe: Executable.find("ffprobe") ?? "/usr/bin/ffprobe")
        router.get("/v1/media/tracks") { request, _ in
            let path = try MediaQuery.path(request)
            if let policy {
                let source = try policy.source(path)
                do {
                    return try JSON.response(try await probe.probe(source).listing(path: path))
                } catch {
                    throw APIError.unprocessable("FFmpeg cannot read the source '\(source)': \(error)")
                }
            }
            guard let worker = await pool.anyLiveWorker() else {
                throw APIError(.serviceUnavailable, "No live worker can read '\(path)' now, and this orchestrator has no --media-root of its own; retry shortly.", headers: [.retryAfter: "2"])
            }
            let reply = try await client.tracks(of: path, on: worker)
            return Response(
                status: .init(code: reply.status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
            )
        }
    }
}
