import NIOCore
import NIOHTTP1
import Synchronization
import TranscodeWire

/// Heartbeats on their way into the pool, gathered so that many take one hop.
///
/// A heartbeat read on a channel's event loop used to become a task of its own, then a call
/// on the pool's actor, then a promise completed back on the event loop: three thread
/// switches for every heartbeat, which at 10,000 workers cost more than the heartbeat itself
/// (a third of the orchestrator's CPU was in the concurrency pool's thread, most of it in
/// wake-ups). Here the heartbeats that arrive while one batch is in the pool wait for the
/// next, which takes all of them in one actor call; each answer then goes back with one
/// hop per event loop. Every heartbeat still gets its own `Pool.heartbeat` and its own
/// answer, after the pool has taken it: a request that follows its 204 sees it applied.
final class HeartbeatBatch: Sendable {
    struct Entry: Sendable {
        let id: String
        let beat: Heartbeat
        let promise: EventLoopPromise<HTTPResponseStatus?>
    }

    private struct State {
        var waiting: [Entry] = []
        /// Whether a drain is running; it takes whatever came in before it looks again.
        var draining = false
    }

    private let pool: Pool
    private let state = Mutex(State())

    init(pool: Pool) {
        self.pool = pool
    }

    /// Hands the heartbeat to the pool; `promise` gets 204, or nil when the pool refused it
    /// (an unknown worker), for the router to answer.
    func submit(_ id: String, _ beat: Heartbeat, promise: EventLoopPromise<HTTPResponseStatus?>) {
        let start = state.withLock { state in
            state.waiting.append(Entry(id: id, beat: beat, promise: promise))
            defer { state.draining = true }
            return !state.draining
        }
        if start { Task { await drain() } }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state in
                if state.waiting.isEmpty { state.draining = false }
                defer { state.waiting = [] }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            let taken = await pool.heartbeats(batch.map { ($0.id, $0.beat) })
            let accepted = taken.count(where: { $0 })
            if accepted > 0 { OrchestratorMetrics.heartbeats.increment(by: accepted) }
            Self.answer(batch, taken)
        }
    }

    /// Completes each promise on its own event loop, one hop per loop.
    private static func answer(_ batch: [Entry], _ taken: [Bool]) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, items: [(EventLoopPromise<HTTPResponseStatus?>, Bool)])] = [:]
        for (entry, ok) in zip(batch, taken) {
            let loop = entry.promise.futureResult.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].items.append((entry.promise, ok))
        }
        for (loop, items) in byLoop.values {
            loop.execute {
                for (promise, ok) in items { promise.succeed(ok ? .noContent : nil) }
            }
        }
    }
}

extension Pool {
    /// Heartbeats in one call, in order; for each, whether it was taken (false for an
    /// unknown worker, which the router then answers with its 404).
    func heartbeats(_ beats: [(String, Heartbeat)]) -> [Bool] {
        beats.map { id, beat in (try? heartbeat(id, beat)) != nil }
    }
}
