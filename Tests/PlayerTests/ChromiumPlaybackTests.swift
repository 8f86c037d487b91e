import Foundation
import Testing
import TestSupport

extension RealPlayers {
    /// Headless Chromium's native HLS (no hls.js): it stops for good on one decode timestamp
    /// that steps back ("Parsed buffers not in DTS sequence", `video.error` code 3).
    @Suite struct Chromium {
        @Test func aSeekToAFarPointKeepsPlaying() async throws {
            try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
            let pool = try await PlayerPool.start("chrome-seek")
            let (_, url) = try await pool.startJob("seek")

            // 14 s of wall time to advance 6 s of movie: a loaded 2-core machine plays slower than real time.
            let session = try ChromiumSession.start(url: url, seekFraction: 0.7, seekAt: 1, after: 14, timeout: 50)
            let summary = try #require(await session.summary(timeout: .seconds(60)), "no summary from the driver:\n\(session.transcript)")

            #expect(summary.error == nil, "video.error after the seek: \(String(describing: summary.error))")
            #expect(summary.firstPlayingMs != nil, "never played:\n\(session.transcript)")
            let target = try #require(summary.seekTo, "the seek happened")
            #expect(summary.seekToPlayingMs != nil, "playing again after the seek to \(target) s")
            #expect((summary.advancedAfterMark ?? 0) >= 6, "currentTime kept advancing after the seek: \(summary.advancedAfterMark ?? 0) s")
            #expect((summary.currentTime ?? 0) >= target + 6, "played on from \(target) s to \(summary.currentTime ?? 0) s")
            #expect(summary.longestStallMs <= FailoverTiming.longestStall * 1000, "stalls after the seek: \(summary.stalls)")
        }

        @Test func aWorkerSIGKILLedMidPlayDoesNotStopPlayback() async throws {
            try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
            var pool = try await PlayerPool.start("chrome-kill", film: true)
            let (first, url) = try await pool.startJob("kill")

            // Play 2 s, then kill the worker while the player still needs most of the movie.
            let session = try ChromiumSession.start(url: url, markAt: 2, after: 60, timeout: 80)
            let marked = await session.mark(timeout: .seconds(30))
            try #require(marked, "Chromium played 2 s:\n\(session.transcript)")
            await pool.kill(first)

            let moved = try await pool.waitForMove("kill", from: first, timeout: .seconds(FailoverTiming.heartbeatTimeout + 15))
            let job = try #require(moved, "the job moved off the dead worker")
            let join = try #require(PlayerPool.join(of: job), "last_failover names where the new worker began: \(job)")
            // Play across the join (where the two runs' segments meet) and on for 6 s.
            session.playUntil(join + 6)
            let summary = try #require(await session.summary(timeout: .seconds(70)), "no summary from the driver:\n\(session.transcript)")

            #expect(summary.error == nil, "video.error at the failover (joined at \(join) s): \(String(describing: summary.error))")
            #expect((summary.currentTime ?? 0) >= join + 6, "currentTime went past the join at \(join) s: reached \(summary.currentTime ?? 0) s")
            #expect(summary.longestFrozenMs <= FailoverTiming.longestStall * 1000,
                    "longest stand-still \(summary.longestFrozenMs) ms; stalls \(summary.stalls)")
        }
    }
}
