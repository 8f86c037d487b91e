import Foundation
import Hummingbird
import TestSupport

/// A stand-in worker whose every segment stream breaks after `packets` TS packets: the
/// connection closes without the terminating chunk, as when a worker dies mid-segment. It
/// takes any job and answers `/healthz` 503, so the orchestrator finds it dead when it checks.
/// With `cuts: false` it is a healthy one: each segment whole (with its length), `/healthz` 200.
final class CutStreamWorker: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    struct Cut: Error {}

    /// `packets` TS packets of PID 0x100, counters in order.
    static func packets(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { n -> [UInt8] in
            var packet = [UInt8](repeating: 0xAB, count: 188)
            packet[0] = 0x47
            packet[1] = 0x41
            packet[2] = 0x00
            packet[3] = 0x10 | UInt8(n & 0x0F)
            return packet
        }
    }

    static func start(packets: Int = 40, cuts: Bool = true) async throws -> CutStreamWorker {
        let portBox = Shared<Int?>(nil)
        let router = Router()
        router.get("/healthz") { _, _ in Response(status: cuts ? .serviceUnavailable : .ok) }
        router.get("/v1/jobs/:job_id/hls/:file") { _, _ in
            guard cuts else {
                return Response(status: .ok, headers: [.contentType: "video/mp2t"], body: .init(byteBuffer: ByteBuffer(bytes: Self.packets(packets))))
            }
            return Response(status: .ok, headers: [.contentType: "video/mp2t"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: Self.packets(packets)))
                try await Task.sleep(for: .milliseconds(200))
                throw Cut()
            })
        }
        router.post("/v1/workers/:id/heartbeats") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.withLock { $0 = channel.localAddress?.port } }
        )
        let task = Task { try await app.runService() }
        let ready = await eventually(timeout: .seconds(30)) { portBox.withLock { $0 } != nil }
        guard ready, let port = portBox.withLock({ $0 }) else {
            task.cancel()
            throw ServiceProcess.StartError(message: "cut-stream worker did not start")
        }
        return CutStreamWorker(port: port, task: task)
    }

    deinit { task.cancel() }
}
