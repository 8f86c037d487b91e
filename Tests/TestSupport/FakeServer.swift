import Foundation
import Hummingbird

/// One request a fake server received.
public struct Recorded: Sendable {
    public var method: String
    public var path: String
    public var authorization: String?
    public var body: Data
    public var at: ContinuousClock.Instant

    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
}

/// A real HTTP server in the test process that records every request and answers with
/// `respond`: the stand-in for a third-party worker, or an orchestrator that only listens.
public final class FakeServer: Sendable {
    public let port: Int
    private let received: Shared<[Recorded]>
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>, received: Shared<[Recorded]>) {
        self.port = port
        self.task = task
        self.received = received
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static func start(respond: @escaping @Sendable (Recorded) -> (Int, String) = { _ in (200, "{}") }) async throws -> FakeServer {
        let received = Shared<[Recorded]>([])
        let portBox = Shared<Int?>(nil)
        let router = Router()
        router.middlewares.add(RecordingMiddleware(received: received, respond: respond))
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.withLock { $0 = channel.localAddress?.port } }
        )
        let task = Task { try await app.runService() }
        let ready = await eventually(timeout: .seconds(30)) { portBox.withLock { $0 } != nil }
        guard ready, let port = portBox.withLock({ $0 }) else {
            task.cancel()
            throw ServiceProcess.StartError(message: "fake server did not start")
        }
        return FakeServer(port: port, task: task, received: received)
    }

    /// Everything received so far.
    public var requests: [Recorded] { received.withLock { $0 } }

    public func stop() { task.cancel() }

    deinit { task.cancel() }
}

struct RecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let received: Shared<[Recorded]>
    let respond: @Sendable (Recorded) -> (Int, String)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let recorded = Recorded(
            method: request.method.rawValue, path: request.uri.path,
            authorization: request.headers[.authorization], body: Data(body.readableBytesView), at: .now
        )
        received.withLock { $0.append(recorded) }
        let (status, text) = respond(recorded)
        return Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
