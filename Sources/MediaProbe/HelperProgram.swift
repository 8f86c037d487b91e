import Foundation
import Synchronization

/// Runs a short-lived helper program (hwdetect, ffprobe, a verification encode) to its end.
public enum HelperProgram {
    /// Why a helper program failed, in its own words.
    public struct Failure: Error, CustomStringConvertible {
        /// The program's last error line, or its exit status.
        public var description: String
    }

    /// Runs the program and returns its stdout; throws `Failure` with its last stderr line
    /// on a non-zero exit.
    public static func output(_ executable: String, _ arguments: [String]) async throws -> String {
        let lines = LineCollector()
        let errors = LineCollector()
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments,
            onStdoutLine: { lines.append($0) }, onStderrLine: { errors.append($0) }
        )
        let status = await child.waitForExit()
        guard status == 0 else {
            throw Failure(description: "\(executable) exited with status \(status): \(errors.lines.last ?? "")")
        }
        return lines.lines.joined(separator: "\n")
    }
}

/// Lines collected from a reader thread.
public final class LineCollector: Sendable {
    private let storage = Synchronization.Mutex<[String]>([])
    public init() {}
    /// Adds a line.
    public func append(_ line: String) { storage.withLock { $0.append(line) } }
    /// The lines so far.
    public var lines: [String] { storage.withLock { $0 } }
}
