import Foundation

/// A real `transcode-worker` or `transcode-orchestrator` process started by a test.
public final class ServiceProcess: Sendable {
    /// The running process.
    public let process: Process
    /// The port it printed once listening.
    public let port: Int
    /// Everything it wrote to stderr (its log), for failure messages.
    private let log: Shared<String>

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Where the built executables are: next to the test bundle.
    public static var binDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["TRANSCODE_BIN_DIR"] { return URL(fileURLWithPath: override) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("transcode-worker").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }

    /// Starts `program` with `arguments` and waits (up to `timeout`) for its "listening on port N" line.
    public init(_ program: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) throws {
        let process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent(program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRANSCODE_") }
        // A test run that crashes must not leave services behind.
        env["TRANSCODE_EXIT_WITH_PARENT"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let log = Shared("")
        let portBox = Shared<Int?>(nil)
        // Each pipe is drained by a thread of its own that blocks in read until end of file.
        // (Readability handlers are dispatch sources: at end of file they fire again and
        // again, and an fd closed under a live source has crashed libdispatch here.)
        let outHandle = stdout.fileHandleForReading, errHandle = stderr.fileHandleForReading
        Thread {
            var seen = ""
            while true {
                let data = outHandle.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
                if let range = seen.range(of: "listening on port ") {
                    let digits = seen[range.upperBound...].prefix { $0.isNumber }
                    if seen[range.upperBound...].dropFirst(digits.count).first != nil { portBox.withLock { $0 = Int(digits) } }
                }
            }
        }.start()
        Thread {
            while true {
                let data = errHandle.availableData
                if data.isEmpty { break }
                log.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
        try process.run()
        let deadline = ContinuousClock.now + timeout
        var port: Int?
        while port == nil && ContinuousClock.now < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            port = portBox.withLock { $0 }
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            ProcessExit.wait(process, timeout: .seconds(20))
            throw StartError(message: "\(program) did not start listening: \(log.withLock { $0 })")
        }
        self.process = process
        self.port = port
        self.log = log
    }

    /// Why a service did not come up.
    public struct StartError: Error, CustomStringConvertible {
        public var message: String
        /// Creates the error.
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// What it logged so far.
    public var logText: String { log.withLock { $0 } }

    /// Sends a signal and waits (bounded) for the exit; returns the exit status, nil on timeout.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return ProcessExit.wait(process, timeout: timeout)?.code
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            ProcessExit.wait(process, timeout: .seconds(20))
        }
    }
}

/// A value shared between threads behind a lock.
public final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// Creates the box.
    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access.
    public func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
