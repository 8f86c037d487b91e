import Foundation

/// Waits for a child started with Foundation's `Process`, without trusting it alone.
///
/// Under a full parallel test run, Foundation sometimes never notices a child's exit: the
/// child stays a zombie, `isRunning` stays true and `waitUntilExit()` never returns, which
/// hung the whole run. A child that has been a zombie for two seconds is reaped here.
public enum ProcessExit {
    /// How a child ended: its exit code, or the signal that killed it.
    public struct Ending: Sendable {
        /// Exit code, or the signal number when `signaled`.
        public var code: Int32
        /// Killed by a signal.
        public var signaled: Bool
        /// 128 + signal for a killed child, else the exit code (a shell's convention).
        public var shellStatus: Int32 { signaled ? 128 + code : code }
    }

    /// Waits until `process` has exited (or `timeout` passed); nil on timeout.
    @discardableResult
    public static func wait(_ process: Process, timeout: Duration = .seconds(3600)) -> Ending? {
        let deadline = ContinuousClock.now + timeout
        var zombieSince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                return Ending(code: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
            }
            if isZombie(process.processIdentifier) {
                let since = zombieSince ?? .now
                zombieSince = since
                if ContinuousClock.now - since > .seconds(2) {
                    var status: Int32 = 0
                    if waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier {
                        let signal = status & 0x7f
                        return signal == 0 ? Ending(code: (status >> 8) & 0xff, signaled: false) : Ending(code: signal, signaled: true)
                    }
                }
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return nil
    }

    /// Whether /proc says the process is a zombie (exited, not reaped).
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
