import Foundation
import TestSupport

/// Where the hardening tests' tools live: schemathesis in the project's `.venv-players`
/// (installed by `scripts/setup-fuzz`), the netns harness in `scripts/partition`.
enum HardeningTools {
    /// `Tests/HardeningTests`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The repository root.
    static let root = folder.deletingLastPathComponent().deletingLastPathComponent()
    /// The schemathesis CLI.
    static var schemathesis: String {
        ProcessInfo.processInfo.environment["TRANSCODE_SCHEMATHESIS"] ?? root.appendingPathComponent(".venv-players/bin/schemathesis").path
    }

    /// A file of the repository.
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Runs a program to its end with a deadline (then SIGKILL); stdout and stderr merged.
    /// Runs the tool on a thread of its own (`offPool`): it blocks for up to `timeout`, and a
    /// blocked thread of the cooperative pool stalls every other test on a 2-core machine.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration) async throws -> (status: Int32, output: String, timedOut: Bool) {
        try await offPool { try runBlocking(executable, arguments, environment: environment, timeout: timeout) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String], timeout: Duration) throws -> (status: Int32, output: String, timedOut: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = Shared(Data())
        let handle = pipe.fileHandleForReading
        let reader = Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                output.withLock { $0.append(data) }
            }
        }
        reader.start()
        try process.run()
        var ending = ProcessExit.wait(process, timeout: timeout)
        let timedOut = ending == nil
        if timedOut {
            kill(process.processIdentifier, SIGTERM)
            ending = ProcessExit.wait(process, timeout: .seconds(2))
            if ending == nil { kill(process.processIdentifier, SIGKILL) }
            ending = ProcessExit.wait(process, timeout: .seconds(10))
        }
        Thread.sleep(forTimeInterval: 0.1)
        return (ending?.code ?? -1, String(decoding: output.withLock { $0 }, as: UTF8.self), timedOut)
    }
}
