import Foundation
import Testing
import TestSupport

extension RealPlayers {
    /// mpv (FFmpeg's HLS demuxer underneath) logs every timestamp glitch and HTTP error.
    @Suite struct Mpv {
        @Test func mpvPlaysThroughAFailoverWithoutTimestampOrHTTPErrors() async throws {
            try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
            let mpv = try #require(PlayerTools.mpv)
            var pool = try await PlayerPool.start("mpv-kill", film: true)
            let (first, url) = try await pool.startJob("mpv")

            let run = try ChildProcess(mpv, MpvLog.arguments(url: url, seconds: MpvLog.playSeconds), mergeErrors: true)
            defer { kill(run.process.processIdentifier, SIGKILL) }
            // Kill the worker once mpv has fetched three segments: the rest must come from the other.
            let fetched = try await eventually(timeout: .seconds(30)) { (try await pool.job("mpv").int("last_fetched_segment") ?? -1) >= 2 }
            try #require(fetched, "mpv fetched segments through the orchestrator:\n\(run.lines.suffix(40).joined(separator: "\n"))")
            await pool.kill(first)
            let moved = try await pool.waitForMove("mpv", from: first, timeout: .seconds(FailoverTiming.heartbeatTimeout + 15))
            let job = try #require(moved, "the job moved off the dead worker")
            let join = try #require(PlayerPool.join(of: job))

            let ended = await run.exited(within: .seconds(MpvLog.playSeconds + 30))
            if !ended { await run.stop() }
            let log = MpvLog(lines: run.lines)
            #expect(ended, "mpv ended within its bound")
            #expect(log.problems.isEmpty, "mpv logged (join at \(join) s):\n\(log.problems.prefix(20).joined(separator: "\n"))")
            #expect((log.lastPosition ?? 0) >= join + 4, "mpv played past the join at \(join) s: reached \(log.lastPosition ?? 0) s")
        }
    }
}
