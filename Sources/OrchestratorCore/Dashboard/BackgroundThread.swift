import Foundation
import Synchronization

/// One thread of its own, at a lower scheduling priority (nice 10), that runs the work given
/// to it in order: for the dashboard's snapshots, which at 10,000 workers take tens of
/// milliseconds each. On a dispatch queue they ran at the event loops' priority, and on two
/// cores every heartbeat that came while one was made waited for it (the p99 of
/// `bench/run --only ingest` was 4.5 ms with the feed closed, 5.1 ms with it open). At nice
/// 10 the kernel lets the event loops go first; the snapshot takes what is left.
final class BackgroundThread: Sendable {
    private struct State {
        var work: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    init(nice: Int32 = 10) {
        Thread { [self] in run(nice: nice) }.start()
    }

    private func run(nice: Int32) -> Never {
        // Linux: a nice value is per thread, and who = 0 names the calling one.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        while true {
            ready.wait()
            let next = state.withLock { $0.work.isEmpty ? nil : $0.work.removeFirst() }
            next?()
        }
    }

    /// Runs `work` on the thread, after what was given before.
    func async(_ work: @escaping @Sendable () -> Void) {
        state.withLock { $0.work.append(work) }
        ready.signal()
    }
}
