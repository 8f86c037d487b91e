import CSpawn
import Foundation
import Synchronization

/// A child process started without a shell, whose stdout and stderr are drained line by line
/// on their own threads, and which dies with this process (parent-death signal).
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    private let exit = Mutex<ExitState>(ExitState())

    private struct ExitState {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    /// Why a spawn failed.
    public struct SpawnError: Error, CustomStringConvertible {
        /// What was being started.
        public var executable: String
        /// errno text.
        public var reason: String
        public var description: String { "cannot start \(executable): \(reason)" }
    }

    private init(pid: Int32) { self.pid = pid }

    /// Starts `executable` (an absolute path) with `arguments` (not including the program name).
    /// The line handlers run on reader threads; `onExit` runs once both pipes are drained and
    /// the child is reaped, with the exit status (128 + signal when killed).
    public static func spawn(
        executable: String, arguments: [String],
        onStdoutLine: @escaping @Sendable (String) -> Void = { _ in },
        onStderrLine: @escaping @Sendable (String) -> Void = { _ in },
        onExit: @escaping @Sendable (Int32) -> Void = { _ in }
    ) throws -> ChildProcess {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = cspawn_spawn(executable, argv)
        if result.error != 0 {
            if result.pid > 0 { var status: Int32 = 0; waitpid(result.pid, &status, 0) }
            throw SpawnError(executable: executable, reason: String(cString: strerror(result.error)))
        }
        let child = ChildProcess(pid: result.pid)
        let drained = DispatchGroup()
        for (fd, handler) in [(result.stdout_fd, onStdoutLine), (result.stderr_fd, onStderrLine)] {
            drained.enter()
            let thread = Thread {
                LineReader.drain(fd: fd, handler)
                drained.leave()
            }
            thread.name = "child-\(result.pid)-pipe"
            thread.start()
        }
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(result.pid, &status, 0) < 0 && errno == EINTR {}
            // The pipes close when the child exits, unless it left a grandchild holding them.
            _ = drained.wait(timeout: .now() + 2)
            let code = Self.exitCode(status)
            onExit(code)
            child.resolve(code)
        }
        waiter.name = "child-\(result.pid)-wait"
        waiter.start()
        return child
    }

    /// Exit status, or 128 + signal number for a child killed by a signal.
    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private func resolve(_ code: Int32) {
        let waiters = exit.withLock { state in
            state.status = code
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: code) }
    }

    /// The exit status once the child has been reaped.
    public var exitStatus: Int32? { exit.withLock { $0.status } }

    /// Sends a signal, unless the child was already reaped (its pid may be reused).
    public func send(_ signal: Int32) {
        exit.withLock { state in
            if state.status == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the child to exit and returns its status.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done: Int32? = exit.withLock { state in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM, wait up to `grace`, then SIGKILL and wait for the exit.
    public func terminate(grace: Duration = .seconds(5)) async -> Int32 {
        send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while exitStatus == nil && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
        if exitStatus == nil { send(SIGKILL) }
        return await waitForExit()
    }
}

/// Splits a file descriptor's bytes into lines until end of file, then closes it.
enum LineReader {
    static func drain(fd: Int32, _ handler: (String) -> Void) {
        defer { close(fd) }
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(where: { $0 == 10 || $0 == 13 }) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if !line.isEmpty { handler(line) }
            }
        }
        if !pending.isEmpty { handler(String(decoding: pending, as: UTF8.self)) }
    }
}
