import Foundation
import TestSupport

/// A helper program a test runs (the Chromium driver, mpv): its output lines as they come,
/// and a stdin held open, so the child can tell when the test has gone (the driver exits
/// when its stdin closes) and can be sent commands.
final class ChildProcess: Sendable {
    /// The running process.
    let process: Process
    private let input: Pipe
    private let output: Shared<[String]>
    private let errors: Shared<String>

    /// Starts `executable`; with `mergeErrors`, stderr lines join stdout's.
    init(_ executable: String, _ arguments: [String], mergeErrors: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = mergeErrors ? out : err
        let output = Shared<[String]>([]), errors = Shared("")
        // One thread per pipe, blocking in read until end of file (as ServiceProcess does).
        let outHandle = out.fileHandleForReading, errHandle = err.fileHandleForReading
        Thread {
            var partial = Data()
            while true {
                let data = outHandle.availableData
                if data.isEmpty { break }
                partial.append(data)
                while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
                    partial.removeSubrange(partial.startIndex...newline)
                    output.withLock { $0.append(line) }
                }
            }
            if !partial.isEmpty { output.withLock { $0.append(String(decoding: partial, as: UTF8.self)) } }
        }.start()
        if !mergeErrors {
            Thread {
                while true {
                    let data = errHandle.availableData
                    if data.isEmpty { break }
                    errors.withLock { $0 += String(decoding: data, as: UTF8.self) }
                }
            }.start()
        }
        try process.run()
        self.process = process
        self.input = input
        self.output = output
        self.errors = errors
    }

    /// Every line written so far.
    var lines: [String] { output.withLock { $0 } }

    /// What it wrote to stderr (empty when merged into the lines).
    var errorText: String { errors.withLock { $0 } }

    /// Writes one line to its stdin.
    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Waits until a line satisfying `match` appears (nil: the child ended or time ran out).
    func line(timeout: Duration, where match: @Sendable (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var seen = 0
        while ContinuousClock.now < deadline {
            let now = lines
            if let hit = now[seen...].first(where: match) { return hit }
            seen = now.count
            if !process.isRunning { return lines[seen...].first(where: match) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Waits for the exit; false when it still runs after `timeout`.
    func exited(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    /// Closes its stdin (the driver's cue to leave), then kills what is left.
    func stop() async {
        try? input.fileHandleForWriting.close()
        if await exited(within: .seconds(5)) { return }
        kill(process.processIdentifier, SIGKILL)
        _ = await exited(within: .seconds(5))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            ProcessExit.wait(process, timeout: .seconds(10))
        }
    }
}
