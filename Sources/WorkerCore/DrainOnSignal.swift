import CurlHTTP
import Dispatch
import Foundation
import Logging

/// SIGUSR1 asks the orchestrator to drain this worker before a planned shutdown: no new
/// job comes, and the running ones move away at a segment boundary. Send SIGTERM once
/// `GET /v1/workers/{id}` shows `"drained": true`.
enum DrainOnSignal {
    /// Waits for SIGUSR1 until cancelled; each one sends `POST /v1/workers/{id}/drain`.
    static func watch(link: OrchestratorLink, logger: Logger) async {
        signal(SIGUSR1, SIG_IGN)  // handled by the dispatch source below, not by the default (exit)
        let (signals, continuation) = AsyncStream<Void>.makeStream()
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        await withTaskCancellationHandler {
            for await _ in signals {
                logger.notice("SIGUSR1: asking the orchestrator to drain this worker")
                await link.requestDrain()
            }
            source.cancel()
        } onCancel: {
            continuation.finish()
        }
    }
}

extension OrchestratorLink {
    /// `POST /v1/workers/{id}/drain` on the orchestrator.
    func requestDrain() async {
        do {
            let response = try await client.send(HTTPRequest(
                method: "POST", url: "\(baseURL)/v1/workers/\(settings.id)/drain", headers: headers, body: nil, timeout: .seconds(5)
            ))
            logger.notice("drain requested: orchestrator answered \(response.status)")
        } catch {
            logger.warning("drain request failed: \(error)")
        }
    }
}
