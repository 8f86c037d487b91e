import Synchronization
import TranscodeWire

/// Where the event loops leave the plain heartbeats of registered workers, for the pool to
/// take in before it next reads its workers.
///
/// A heartbeat that changes no job (it lists none, or lists none running) needs nothing
/// from the pool but to be recorded. Waiting for the pool's actor to record it cost three
/// thread switches, and with 16 connections each waiting for its answer, those switches set
/// the rate (`bench/results.md`, issue 20). So the event loop checks the id against the
/// registered ones here, leaves the report, and answers 204 at once. The pool takes
/// everything left here at the start of any read or change of its workers (`Pool.workers`),
/// so nothing it answers, routes or sweeps can miss a heartbeat that was already answered.
/// Only the last report of each worker is kept: the one the pool would end up with anyway.
final class HeartbeatInbox: Sendable {
    /// A report and when it came (the worker's heartbeat time, not when it was taken in).
    struct Left: Sendable {
        let beat: Heartbeat
        let at: ContinuousClock.Instant
    }

    private struct State {
        var registered: Set<String> = []
        var left: [String: Left] = [:]
    }

    private let state = Mutex(State())
    /// Whether anything is left: read without the lock by every access to the pool's workers.
    private let hasLeft = Atomic<Bool>(false)

    /// A worker registered: its heartbeats may be left here from now on.
    func admit(_ id: String) {
        state.withLock { _ = $0.registered.insert(id) }
    }

    /// Leaves the report when the worker is registered and the report touches no job;
    /// false when the pool must take it itself (an unknown id, a report of jobs).
    func leave(_ id: String, _ beat: Heartbeat, at now: ContinuousClock.Instant) -> Bool {
        guard beat.jobs?.isEmpty ?? true else { return false }
        return state.withLock { state in
            guard state.registered.contains(id) else { return false }
            state.left[id] = Left(beat: beat, at: now)
            hasLeft.store(true, ordering: .releasing)
            return true
        }
    }

    /// Everything left so far, taken out; nil when nothing is (the common case: one atomic load).
    func take() -> [String: Left]? {
        guard hasLeft.load(ordering: .acquiring) else { return nil }
        return state.withLock { state in
            hasLeft.store(false, ordering: .relaxed)
            defer { state.left = [:] }
            return state.left.isEmpty ? nil : state.left
        }
    }
}
