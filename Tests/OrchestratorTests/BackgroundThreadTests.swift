import Foundation
import Testing
@testable import OrchestratorCore

/// The dashboard's snapshots run in order on one thread below the event loops' priority.
@Suite struct BackgroundThreadTests {
    @Test func runsWorkInOrderAtNiceTen() async {
        let thread = BackgroundThread()
        let seen = await withCheckedContinuation { (done: CheckedContinuation<[(Int, Int32)], Never>) in
            let log = LogBox()
            for n in 0..<50 {
                thread.async {
                    errno = 0
                    log.append((n, getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)))
                    if n == 49 { done.resume(returning: log.entries) }
                }
            }
        }
        #expect(seen.map(\.0) == Array(0..<50), "in the order given")
        #expect(seen.allSatisfy { $0.1 == 10 }, "at nice 10: \(seen.map(\.1))")
    }

    /// Touched only from the one thread.
    final class LogBox: @unchecked Sendable {
        var entries: [(Int, Int32)] = []
        func append(_ entry: (Int, Int32)) { entries.append(entry) }
    }
}
