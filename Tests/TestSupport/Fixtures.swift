import Foundation

/// Folders and clips for one test, removed when it ends.
public final class Sandbox: @unchecked Sendable {
    /// The sandbox root.
    public let root: URL
    /// Where sources live (`--media-root`).
    public let media: URL
    /// Where output goes (`--transcode-root`).
    public let transcode: URL

    /// Creates a fresh sandbox under the temporary folder.
    public init(_ name: String = "t") throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("transcode-\(name)-\(UUID().uuidString.prefix(8))")
        media = root.appendingPathComponent("media")
        transcode = root.appendingPathComponent("transcode")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: transcode, withIntermediateDirectories: true)
    }

    /// Copies (hard-links when possible) the shared clip of `seconds` into the media root.
    public func clip(
        seconds: Int = 24, size: String = "640x360", name: String = "clip.mkv", rate: String = "24", audioRate: Int = 48_000
    ) throws -> String {
        let shared = try Clips.shared(seconds: seconds, size: size, rate: rate, audioRate: audioRate)
        let target = media.appendingPathComponent(name).path
        if link(shared, target) != 0 { try FileManager.default.copyItem(atPath: shared, toPath: target) }
        return target
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

/// Test clips made once per test run with lavfi testsrc2 + sine.
public enum Clips {
    private static let lock = NSLock()

    /// A clip of the given length, frame rate (`"24000/1001"`) and audio sample rate,
    /// generated on first use.
    public static func shared(seconds: Int, size: String, rate: String = "24", audioRate: Int = 48_000) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory())
        removeClipFoldersOfEndedRuns(in: tmp)
        let dir = tmp.appendingPathComponent("transcode-test-clips-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let variant = rate == "24" && audioRate == 48_000 ? "" : "-\(rate.replacingOccurrences(of: "/", with: "_"))fps-\(audioRate)Hz"
        let path = dir.appendingPathComponent("clip-\(seconds)s-\(size)\(variant).mkv").path
        if FileManager.default.fileExists(atPath: path) { return path }
        let status = try run("/usr/bin/env", [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(audioRate)",
            "-t", "\(seconds)", "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "48",
            "-c:a", "aac", "-b:a", "128k", path + ".tmp.mkv",
        ]).status
        guard status == 0 else { throw ClipError(message: "ffmpeg could not make the test clip (status \(status))") }
        try FileManager.default.moveItem(atPath: path + ".tmp.mkv", toPath: path)
        return path
    }

    /// Clip folders of earlier test runs whose process has ended (a test run has no final
    /// hook to remove its own, so the next run does).
    private static func removeClipFoldersOfEndedRuns(in tmp: URL) {
        let prefix = "transcode-test-clips-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
        }
    }

    /// Why a clip could not be made.
    public struct ClipError: Error { public var message: String }
}

/// Runs a program to completion and returns its status and stdout.
@discardableResult
public func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let result = try runProgram(executable, arguments)
    return (result.status, result.stdout)
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Pids of running ffmpeg processes whose arguments mention `path`.
public func ffmpegProcesses(mentioning path: String) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
              let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty
        else { return nil }
        let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let program = args.first, program.hasSuffix("ffmpeg"), args.contains(where: { $0.contains(path) }) else { return nil }
        // A zombie is already dead; only count processes that still run.
        let stat = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
        if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return nil }
        return pid
    }
}
