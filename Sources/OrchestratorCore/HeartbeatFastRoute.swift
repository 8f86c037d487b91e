import Foundation
import NIOCore
import NIOHTTP1
import ServiceSupport
import TranscodeWire

/// `POST /v1/workers/{id}/heartbeats` answered in the channel pipeline (see `FastRoute`):
/// the same token check, the same reading of the body and the same report rules as the
/// router's route in `OrchestratorRoutes` (the common body read by `HeartbeatReader`, any
/// other by the same `JSONDecoder`). A registered worker's report of no running job is then
/// left in the pool's `HeartbeatInbox` and answered at once, on the event loop; a report of
/// jobs goes to `Pool.heartbeat` in a `HeartbeatBatch`. Whatever it does not accept outright
/// (no or a wrong token, CORS, a body that plain JSON cannot read, a refused report, an
/// unknown worker, HTTP/1.0) goes on to the router's route, which answers it.
struct HeartbeatFastRoute: FastRoute {
    /// The pool token; nil with `--insecure-no-auth`.
    let token: String?
    /// Where a registered worker's plain report is left, answered at once.
    let inbox: HeartbeatInbox
    /// Where any other accepted report goes: into the pool, many per hop.
    let batch: HeartbeatBatch

    init(pool: Pool, token: String?) {
        self.token = token
        inbox = pool.inbox
        batch = HeartbeatBatch(pool: pool)
    }

    func matches(_ head: HTTPRequestHead) -> Bool {
        head.method == .POST && head.version == .http1_1 && Self.workerID(head.uri) != nil
    }

    /// The checks run here on the event loop. A registered worker's report of no job is left
    /// in the inbox and answered now; any other waits for the pool, in a batch.
    func answer(_ head: HTTPRequestHead, body: ByteBuffer, on eventLoop: any EventLoop) -> FastAnswer {
        guard let (id, beat) = accepted(head, body: body) else { return .handBack }
        if inbox.leave(id, beat, at: .now) {
            OrchestratorMetrics.heartbeats.increment()
            return .now(.noContent)
        }
        let promise = eventLoop.makePromise(of: HTTPResponseStatus?.self)
        batch.submit(id, beat, promise: promise)
        return .later(promise.futureResult)
    }

    /// The worker id and its report when the token, the id and the report pass, else nil.
    func accepted(_ head: HTTPRequestHead, body: ByteBuffer) -> (String, Heartbeat)? {
        guard head.isKeepAlive, !head.headers.contains(name: "origin"), let id = Self.workerID(head.uri) else { return nil }
        if let token {
            let values = head.headers["authorization"]
            guard values.count == 1, BearerCheck.accepts(values[0], token: token) else { return nil }
        }
        guard ReportRules.workerIDProblem(id) == nil,
              let beat = body.readableBytesView.withUnsafeBytes(HeartbeatReader.read)
                ?? (try? JSONDecoder().decode(Heartbeat.self, from: Data(body.readableBytesView))),
              ReportRules.problem(in: beat) == nil
        else { return nil }
        return (id, beat)
    }

    /// The id of `/v1/workers/{id}/heartbeats` in its plain spelling (no query, no escapes,
    /// no empty or dot segment), else nil: every other spelling goes through the router.
    static func workerID(_ uri: String) -> String? {
        let prefix = "/v1/workers/", suffix = "/heartbeats"
        guard uri.hasPrefix(prefix), uri.hasSuffix(suffix), uri.utf8.count > prefix.utf8.count + suffix.utf8.count else { return nil }
        let id = uri.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard id.allSatisfy({ $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "%") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }),
              !id.elementsEqual(".".utf8), !id.elementsEqual("..".utf8)
        else { return nil }
        return String(Substring(id))
    }
}
