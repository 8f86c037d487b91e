import MediaProbe
import Foundation
import Synchronization
import TranscodeBackend
import TranscodeWire

/// One FFmpeg process writing one job's HLS output: spawns it, follows its progress,
/// and knows how it ended.
public final class FFmpegRun: Sendable {
    /// What the run looks like now.
    public struct Snapshot: Sendable {
        /// `starting` until FFmpeg's first progress report, then `running`, then how it ended.
        public var state: JobState = .starting
        /// Percent of the whole movie.
        public var progress: Double = 0
        public var speed: String?
        /// Whether the speed stayed below 1.0x long enough that a viewer stalls.
        public var keepUp = KeepUpWatch()
        public var lastSegmentID: Int?
        /// FFmpeg's first error line (often the cause) and its last one.
        public var firstError: String?
        public var lastError: String?
        /// The reason to show: the first error line, and the last when it differs.
        public var reason: String? {
            guard let lastError else { return nil }
            guard let firstError, firstError != lastError else { return lastError }
            return "\(firstError) (last: \(lastError))"
        }
        /// Exit status once reaped.
        public var exitStatus: Int32?
        /// When the last progress report arrived (for hang detection).
        public var lastProgressAt: ContinuousClock.Instant = .now
        /// Output seconds reached (within this run).
        public var outTime: Double = 0
        var stopRequested = false
        /// Set when we killed it for a reason of ours (a hang): that reason is the error.
        var killReason: String?
    }

    /// The full command line, program path first.
    public let commandLine: [String]
    private let process: ChildProcess
    private let snapshot: Locked<Snapshot>

    /// Starts FFmpeg. `startSeconds` and `duration` turn its output time into percent of the movie.
    public init(
        ffmpeg: String, arguments: [String], outputDirectory: String, startSeconds: Double, duration: Double,
        onReport: @escaping @Sendable (ProgressReport) -> Void = { _ in },
        onEnd: @escaping @Sendable (Snapshot) -> Void = { _ in }
    ) throws {
        let snapshot = Locked(Snapshot())
        let parser = Locked(ProgressParser())
        self.snapshot = snapshot
        self.commandLine = [ffmpeg] + arguments
        process = try ChildProcess.spawn(
            executable: ffmpeg,
            arguments: arguments,
            onStdoutLine: { line in
                guard let report = parser.withLock({ $0.feed(line) }) else { return }
                onReport(report)
                let segment = HLSPlaylist.lastSegmentNumber(inDirectory: outputDirectory)
                snapshot.withLock { s in
                    guard !s.stopRequested else { return }
                    if let outTime = report.outTime, outTime > s.outTime || s.state == .starting {
                        s.outTime = outTime
                        s.lastProgressAt = .now
                    }
                    s.progress = Self.percent(start: startSeconds, outTime: s.outTime, duration: duration)
                    s.speed = report.speed ?? s.speed
                    if let factor = report.speed.flatMap(KeepUpWatch.factor) { s.keepUp.observe(speed: factor, at: .now) }
                    s.lastSegmentID = segment ?? s.lastSegmentID
                    if s.state == .starting { s.state = .running }
                }
            },
            onStderrLine: { line in
                snapshot.withLock { s in
                    if s.firstError == nil { s.firstError = line }
                    s.lastError = line
                }
            },
            onExit: { status in
                let segment = HLSPlaylist.lastSegmentNumber(inDirectory: outputDirectory)
                let final = snapshot.withLock { s -> Snapshot in
                    s.exitStatus = status
                    s.lastSegmentID = segment ?? s.lastSegmentID
                    if s.stopRequested {
                        s.state = .stopped
                    } else if status == 0, let problem = OutputAudit.failure(
                        outputDirectory: outputDirectory, startSeconds: startSeconds, outTime: s.outTime, duration: duration
                    ) {
                        s.state = .failed
                        s.firstError = problem
                        s.lastError = s.lastError ?? problem
                    } else if status == 0 {
                        s.state = .completed
                        s.progress = 100
                    } else {
                        s.state = .failed
                        let ending = status > 128 ? "FFmpeg was killed by signal \(status - 128)" : "FFmpeg exited with status \(status)"
                        if s.lastError == nil || status > 128 { s.lastError = ending }
                        if let reason = s.killReason { s.firstError = reason; s.lastError = reason }
                    }
                    return s
                }
                onEnd(final)
            }
        )
    }

    /// FFmpeg's process id.
    public var pid: Int32 { process.pid }

    /// The current state.
    public var current: Snapshot { snapshot.withLock { $0 } }

    /// Stops FFmpeg (SIGTERM, then SIGKILL after `grace`) and returns once it has exited.
    public func stop(grace: Duration = .seconds(5)) async {
        snapshot.withLock { $0.stopRequested = true }
        _ = await process.terminate(grace: grace)
    }

    /// Ends FFmpeg at once with SIGKILL, as stopped by us: for a run being replaced (a seek),
    /// whose partial output is cleared right after anyway. SIGTERM would let it finish the
    /// segment in progress first (0.1 to 0.2 s that the player waits for nothing).
    public func abort() async {
        snapshot.withLock { $0.stopRequested = true }
        process.send(SIGKILL)
        _ = await process.waitForExit()
    }

    /// Kills FFmpeg without marking it stopped by us: the run ends as failed (hang handling).
    public func kill(reason: String) async {
        snapshot.withLock { $0.killReason = reason }
        process.send(SIGKILL)
        _ = await process.waitForExit()
    }

    /// Waits for FFmpeg to exit on its own.
    public func waitForExit() async -> Snapshot {
        _ = await process.waitForExit()
        return current
    }

    /// 100 x (start + outTime) / duration, clamped to 0...100.
    static func percent(start: Double, outTime: Double, duration: Double) -> Double {
        guard duration > 0 else { return 0 }
        let value = 100 * (start + outTime) / duration
        return (min(100, max(0, value)) * 10).rounded() / 10
    }
}
