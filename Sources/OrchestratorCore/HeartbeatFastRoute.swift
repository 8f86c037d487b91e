import Foundation
import NIOCore
import NIOHTTP1
import ServiceSupport
import TranscodeWire

/// `POST /v1/workers/{id}/heartbeats` answered in the channel pipeline (see `FastRoute`):
/// the same token check, the same reading of the body and the same report rules as the
/// router's route in `OrchestratorRoutes` (the common body read by `HeartbeatReader`, any
/// other by the same `JSONDecoder`), then the same `Pool.heartbeat`. Whatever it does
/// not accept outright (no or a wrong token, CORS, a body that plain JSON cannot read, a
/// refused report, an unknown worker, HTTP/1.0) goes on to that route, which answers it.
struct HeartbeatFastRoute: FastRoute {
    let pool: Pool
    /// The pool token; nil with `--insecure-no-auth`.
    let token: String?

    func matches(_ head: HTTPRequestHead) -> Bool {
        head.method == .POST && head.version == .http1_1 && Self.workerID(head.uri) != nil
    }

    func answer(_ head: HTTPRequestHead, body: ByteBuffer) async -> HTTPResponseStatus? {
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
        do {
            try await pool.heartbeat(id, beat)
        } catch {
            return nil
        }
        OrchestratorMetrics.heartbeats.increment()
        return .noContent
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
        return String(decoding: id, as: UTF8.self)
    }
}
