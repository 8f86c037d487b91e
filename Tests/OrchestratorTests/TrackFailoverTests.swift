import Foundation
import Testing
import TestSupport

/// A job's chosen audio track survives the death of its worker: the run on the next worker
/// plays the same track. Rides on a 2 s heartbeat timeout, so it runs in the one-at-a-time pass.
@Suite struct TrackFailoverTests {
    @Test func aChosenAudioTrackMovesWithTheJobToAnotherWorker() async throws {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: 2)
        let media = try Sandbox("track-failover")
        let film = try media.film(try await offPool { try Film.shared(seconds: 40, size: "320x180") })
        var pool = FailoverPool(orchestrator: orchestrator, media: media, source: film)
        for id in ["tf-1", "tf-2"] { try await pool.addWorker(id) }

        let body = jsonText(["source_path": film, "configuration": [
            "encoder": "libx264", "bitrate_bps": 400_000, "tone_map": "off", "audio": ["language": "fre"], "audio_channels": 2,
        ] as [String: Any]])
        let created = try await pool.api.call("PUT", "/v1/jobs/moving", body: body)
        #expect(created.status == 201, "\(created.text)")
        let first = try #require(created.object.string("worker_id"))
        try await pool.waitForSegment("moving", atLeast: 1)
        _ = await try #require(pool.workers[first]).service.stopped(signal: SIGKILL)
        pool.workers[first] = nil

        // Running or finished when it died, the job's next segments now come from the other
        // worker (a failover, or a restart on demand), with the French track.
        let segment = try await pool.api.call("GET", "/v1/jobs/moving/hls/segment8.ts", timeout: .seconds(60))
        #expect(segment.status == 200, "\(segment.text)")
        let job = try await pool.job("moving")
        let second = try #require(job.string("worker_id"))
        #expect(second != first)
        #expect(((job["configuration"] as? [String: Any])?["audio"] as? [String: String]) == ["language": "fre"], "\(job)")
        let onWorker = try await try #require(pool.workers[second]).api.job("moving")
        #expect(onWorker.strings("ffmpeg_args")?.containsPair("-map", "0:a:0?") == true, "\(onWorker.strings("ffmpeg_args") ?? [])")
        let file = media.root.appendingPathComponent("segment8.ts")
        try segment.body.write(to: file)
        let levels = try await audioLevels(file.path, skip: 0.2)
        #expect(levels.count == 2 && levels.allSatisfy { $0.isTone(Film.frenchHz) }, "French on the new worker: \(levels)")
    }
}
