import Foundation
import Testing
import TestSupport

extension PlayerPool {
    /// A pool whose film has text subtitles (`SubtitledClip`: English SRT, French ASS).
    static func startSubtitled(_ prefix: String, seconds: Int = 60) async throws -> (PlayerPool, SubtitledClip) {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: FailoverTiming.heartbeatTimeout)
        let media = try Sandbox("players-vtt")
        let clip = try await SubtitledClip.make(in: media, seconds: seconds, rate: "24", cues: SubtitledClip.cues(count: seconds / 2 - 1))
        var pool = PlayerPool(orchestrator: orchestrator, media: media, source: clip.path)
        for n in 1...2 { try await pool.addWorker("\(prefix)-\(n)") }
        return (pool, clip)
    }

    /// Creates a libx264 job showing the English subtitles; returns its worker and the
    /// master playlist's URL.
    func startSubtitledJob(_ id: String) async throws -> (worker: String, master: String) {
        let body = jsonText([
            "source_path": source,
            "configuration": ["bitrate_bps": 1_000_000, "encoder": "libx264", "subtitles": ["language": "eng"]] as [String: Any],
        ])
        let created = try await api.call("PUT", "/v1/jobs/\(id)", body: body)
        #expect(created.status == 201, "\(created.text)")
        let worker = try #require(created.object.string("worker_id"))
        let master = try #require(created.object.string("master_url"), "the job names its master_url")
        return (worker, PlaybackURL.resolve(master, base: orchestrator.service.baseURL, token: WorkerHarness.token))
    }
}

extension RealPlayers {
    /// Chromium playing the master playlist with its WebVTT rendition. Chromium 156's own HLS
    /// ignores `EXT-X-MEDIA:TYPE=SUBTITLES` (it never fetches the rendition's playlist, and
    /// `video.textTracks` stays empty), so the driver's page follows the rendition itself,
    /// as hls.js does (`play.py --subtitles`): the cues it shows come from our master, our
    /// subtitle playlist and our segments, placed by their X-TIMESTAMP-MAP.
    @Suite struct ChromiumSubtitles {
        /// The source's cues (movie seconds) that start in `range`.
        static func sourceCues(_ clip: SubtitledClip, in range: ClosedRange<Double>) async throws -> [(start: Double, end: Double)] {
            try await clip.sourceCueTimes().map { (Double($0.start) / 1000, Double($0.end) / 1000) }.filter { range.contains($0.start) }
        }

        @Test func cuesShowAfterASeekAtTheSourcesTimes() async throws {
            try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
            let (pool, clip) = try await PlayerPool.startSubtitled("chrome-vtt-seek")
            let (_, master) = try await pool.startSubtitledJob("vtt-seek")

            let session = try ChromiumSession.start(url: master, seekFraction: 0.7, seekAt: 1, after: 8, timeout: 50, subtitles: true)
            let summary = try #require(await session.summary(timeout: .seconds(60)), "no summary from the driver:\n\(session.transcript)")
            #expect(summary.error == nil, "video.error: \(String(describing: summary.error))")
            let target = try #require(summary.seekTo, "the seek happened:\n\(session.transcript)")
            #expect((summary.cues ?? 0) > 0, "textTracks[0].cues.length after the seek: \(String(describing: summary.cues)); \(summary.subtitleErrors ?? [])")
            let shown = (summary.cueList ?? []).filter { $0.start >= target && $0.start <= target + 6 }
            let want = try await Self.sourceCues(clip, in: target...(target + 6))
            #expect(!want.isEmpty && shown.count == want.count, "cues after the seek to \(target): \(shown.map(\.start)) vs the source's \(want.map(\.start))")
            for (cue, source) in zip(shown, want) {
                #expect(abs(cue.start - source.start) <= 0.001 && abs(cue.end - source.end) <= 0.001, "\(cue) vs \(source)")
            }
        }

        @Test func cuesKeepComingAfterTheWorkerIsSIGKILLed() async throws {
            try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
            var (pool, clip) = try await PlayerPool.startSubtitled("chrome-vtt-kill")
            let (first, master) = try await pool.startSubtitledJob("vtt-kill")

            let session = try ChromiumSession.start(url: master, markAt: 2, after: 60, timeout: 80, subtitles: true)
            try #require(await session.mark(timeout: .seconds(30)), "Chromium played 2 s:\n\(session.transcript)")
            let before = try await pool.api.call("GET", "/v1/jobs/vtt-kill/hls/subtitles7.vtt")
            #expect(before.status == 200 && before.text.contains("Cue 14"), "\(before.status) \(before.text)")
            await pool.kill(first)
            let moved = try await pool.waitForMove("vtt-kill", from: first, timeout: .seconds(FailoverTiming.heartbeatTimeout + 15))
            let job = try #require(moved, "the job moved off the dead worker")
            let join = try #require(PlayerPool.join(of: job), "last_failover names where the new worker began: \(job)")
            session.playUntil(join + 6)
            let summary = try #require(await session.summary(timeout: .seconds(70)), "no summary from the driver:\n\(session.transcript)")

            #expect(summary.error == nil, "video.error at the failover (joined at \(join) s): \(String(describing: summary.error))")
            // The other worker cuts the same segment into the same bytes.
            let after = try await pool.api.call("GET", "/v1/jobs/vtt-kill/hls/subtitles7.vtt")
            #expect(after.status == 200 && after.body == before.body, "subtitles7.vtt from \(first) and from its successor")
            #expect((summary.cues ?? 0) > 0, "textTracks[0].cues.length after the failover: \(String(describing: summary.cues))")
            // The page had fetched cues up to 8 s past 2 s when the worker died; these came later.
            let late = max(join, 12)
            let shown = (summary.cueList ?? []).filter { $0.start >= late && $0.start <= join + 6 }
            let want = try await Self.sourceCues(clip, in: late...(join + 6))
            #expect(!want.isEmpty && shown.count == want.count,
                    "cues from \(late) s after the failover: \(shown.map(\.start)) vs the source's \(want.map(\.start))")
            for (cue, source) in zip(shown, want) {
                #expect(abs(cue.start - source.start) <= 0.001 && abs(cue.end - source.end) <= 0.001, "\(cue) vs \(source)")
            }
        }
    }
}
