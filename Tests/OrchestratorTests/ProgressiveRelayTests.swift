import CurlHTTP
import Foundation
import ServiceSupport
import Testing
import TestSupport

/// The orchestrator relays a segment the worker streams while FFmpeg writes it, and the
/// failover rules hold around it.
@Suite struct ProgressiveRelayTests {
    static let bearer = [("Authorization", "Bearer \(WorkerHarness.token)")]

    /// A pool on a 720p clip: its first segment takes over a second to encode here.
    static func pool(_ ids: [String], timeout: Double, holdBack: Double = 0) async throws -> FailoverPool {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: timeout, extra: ["--segment-hold-back", "\(holdBack)"])
        let media = try Sandbox("progressive")
        let source = try await media.makeClip(seconds: 24, size: "1280x720")
        var pool = FailoverPool(orchestrator: orchestrator, media: media, source: source)
        for id in ids { try await pool.addWorker(id) }
        return pool
    }

    static func stream(_ pool: FailoverPool, _ path: String) async throws -> HTTPStreamResponse {
        try await HTTPClient().stream(HTTPRequest(url: pool.orchestrator.service.baseURL + path, headers: bearer, timeout: .seconds(60)))
    }

    @Test func aSegmentAskedForWhileItIsWrittenIsRelayedChunkedAndEqualsTheFinishedOne() async throws {
        let pool = try await Self.pool(["pr-1"], timeout: 45)
        let owner = try await pool.startJob("relayed")
        let folder = try #require(pool.workers[owner]).sandbox.transcode.appendingPathComponent("relayed").path
        #expect(!FileManager.default.fileExists(atPath: folder + "/segment0.ts"), "asked for after it was finished")
        let response = try await Self.stream(pool, "/v1/jobs/relayed/hls/segment0.ts")
        #expect(response.status == 200)
        // A finished segment comes with its length: without one, it went through the relay.
        #expect(response.header("content-length") == nil && response.header("transfer-encoding")?.lowercased() == "chunked")
        let streamed = try await response.body.collect()
        let onDisk = try #require(FileManager.default.contents(atPath: folder + "/segment0.ts"))
        #expect(streamed == TSDiscontinuity.markSegmentStart(onDisk), "relayed \(streamed.count) bytes; the file marked has \(TSDiscontinuity.markSegmentStart(onDisk).count)")
        let whole = try await HTTPClient().send(HTTPRequest(url: pool.orchestrator.service.baseURL + "/v1/jobs/relayed/hls/segment0.ts", headers: Self.bearer))
        #expect(whole.status == 200 && whole.body == streamed && whole.header("content-length") == "\(streamed.count)")
    }

    @Test func theWorkerKilledWhileThePlayerWaitsOnAStreamedSegmentNeverGivesACutSegment() async throws {
        var pool = try await Self.pool(["pk-1", "pk-2"], timeout: 2)
        let first = try await pool.startJob("cut")
        let folder = try #require(pool.workers[first]).sandbox.transcode.appendingPathComponent("cut").path
        // The orchestrator holds the player's request on the worker's stream; then the worker dies.
        let fixed = pool
        async let answer = Self.stream(fixed, "/v1/jobs/cut/hls/segment0.ts")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!FileManager.default.fileExists(atPath: folder + "/segment0.ts"), "segment 0 finished before the kill")
        _ = await try #require(pool.workers[first]).service.stopped(signal: SIGKILL)
        let response = try await answer
        pool.workers[first] = nil
        var bytes = Data()
        var broke: HTTPClientError?
        do {
            for try await chunk in response.body { bytes.append(chunk) }
        } catch {
            broke = error as? HTTPClientError
        }
        if let broke {
            // Bytes had gone out: aborted, never ended.
            #expect(broke.code == 18, "\(broke)")
        } else {
            // Killed before the first byte: the failover rules answered from the new run.
            #expect(response.status == 200 && HLSResponse.isWholeSegment(bytes), "\(response.status): \(bytes.count) bytes")
        }
        let retry = try await HTTPClient().send(HTTPRequest(url: pool.orchestrator.service.baseURL + "/v1/jobs/cut/hls/segment0.ts", headers: Self.bearer, timeout: .seconds(60)))
        #expect(retry.status == 200 && HLSResponse.isWholeSegment(retry.body))
        let job = try await pool.job("cut")
        #expect(job.string("worker_id") == "pk-2", "\(job)")
    }
}

/// After bytes went to the player, a worker stream that breaks makes the orchestrator abort
/// its own answer (no terminating chunk) and find the worker dead.
@Suite struct BrokenRelayTests {
    @Test func aWorkerStreamThatBreaksAfterTheFirstBytesAbortsThePlayersAnswer() async throws {
        let worker = try await CutStreamWorker.start(packets: 40)
        // Relayed at once, so the break comes after bytes went out.
        let orchestrator = try await OrchestratorHarness.start(extra: ["--segment-hold-back", "0"])
        let api = orchestrator.api
        let registration = EncoderRefusalTests.registration("cutter", address: worker.baseURL, encoders: ["libx264"])
        #expect(try await api.call("POST", "/v1/workers", body: registration).status == 201)
        let created = try await api.call("PUT", "/v1/jobs/broken", body: WorkerHarness.job("/media/movie.mkv"))
        #expect(created.status == 201, "\(created.status) \(created.text)")

        let response = try await HTTPClient().stream(HTTPRequest(
            url: orchestrator.service.baseURL + "/v1/jobs/broken/hls/segment0.ts", headers: ProgressiveRelayTests.bearer, timeout: .seconds(30)
        ))
        #expect(response.status == 200 && response.header("content-length") == nil)
        var bytes = Data()
        var broke: HTTPClientError?
        do {
            for try await chunk in response.body { bytes.append(chunk) }
        } catch {
            broke = error as? HTTPClientError
        }
        #expect(broke?.code == 18, "expected curl 18, got \(broke.map { "\($0)" } ?? "a clean end") after \(bytes.count) bytes")
        // What came before the break: whole packets, with the discontinuity mark in front.
        #expect(bytes.count == 41 * 188, "\(bytes.count) bytes")
        let dead = try await eventually(timeout: .seconds(10)) { try await api.object("/v1/workers/cutter").string("status") == "OFFLINE" }
        let view = try await api.object("/v1/workers/cutter")
        #expect(dead, "the worker whose stream broke was not found dead: \(view)")

        // The player resumes from the byte it has, as Chromium does; the job now runs on another
        // worker, whose bytes are not the dead one's: the answer is the whole segment, from byte 0.
        let healthy = try await CutStreamWorker.start(packets: 60, cuts: false)
        let second = EncoderRefusalTests.registration("healthy", address: healthy.baseURL, encoders: ["libx264"])
        #expect(try await api.call("POST", "/v1/workers", body: second).status == 201)
        let moved = try await eventually(timeout: .seconds(10)) { try await api.object("/v1/jobs/broken").string("worker_id") == "healthy" }
        let job = try await api.object("/v1/jobs/broken")
        #expect(moved, "\(job)")
        let resumed = try await HTTPClient().send(HTTPRequest(
            url: orchestrator.service.baseURL + "/v1/jobs/broken/hls/segment0.ts",
            headers: ProgressiveRelayTests.bearer + [("Range", "bytes=\(bytes.count)-")], timeout: .seconds(30)
        ))
        #expect(resumed.status == 200, "a resumed cut segment must come whole: \(resumed.status)")
        #expect(resumed.body == TSDiscontinuity.markSegmentStart(Data(CutStreamWorker.packets(60))))
        // Another segment keeps its ranges.
        let ranged = try await HTTPClient().send(HTTPRequest(
            url: orchestrator.service.baseURL + "/v1/jobs/broken/hls/segment1.ts",
            headers: ProgressiveRelayTests.bearer + [("Range", "bytes=188-")], timeout: .seconds(30)
        ))
        #expect(ranged.status == 206, "\(ranged.status)")
        withExtendedLifetime((worker, healthy)) {}
    }
}

/// With the default hold-back, a worker stream that breaks soon after its first bytes never
/// reaches the player: the rules before the first byte apply, and the segment comes whole from
/// the job's new worker.
@Suite struct HeldBackRelayTests {
    @Test func aBreakWithinTheHoldBackIsInvisibleToThePlayer() async throws {
        let cutter = try await CutStreamWorker.start(packets: 40)
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api
        #expect(try await api.call("POST", "/v1/workers", body: EncoderRefusalTests.registration("cutter", address: cutter.baseURL, encoders: ["libx264"])).status == 201)
        let created = try await api.call("PUT", "/v1/jobs/held", body: WorkerHarness.job("/media/movie.mkv"))
        #expect(created.status == 201 && created.object.string("worker_id") == "cutter", "\(created.text)")
        let healthy = try await CutStreamWorker.start(packets: 60, cuts: false)
        #expect(try await api.call("POST", "/v1/workers", body: EncoderRefusalTests.registration("healthy", address: healthy.baseURL, encoders: ["libx264"])).status == 201)

        let answer = try await HTTPClient().send(HTTPRequest(
            url: orchestrator.service.baseURL + "/v1/jobs/held/hls/segment0.ts", headers: ProgressiveRelayTests.bearer, timeout: .seconds(30)
        ))
        #expect(answer.status == 200, "\(answer.status) \(answer.text.prefix(200))")
        #expect(answer.body == TSDiscontinuity.markSegmentStart(Data(CutStreamWorker.packets(60))), "\(answer.body.count) bytes")
        #expect(answer.header("content-length") == "\(answer.body.count)", "whole, as a finished segment")
        let job = try await api.object("/v1/jobs/held")
        #expect(job.string("worker_id") == "healthy", "\(job)")
        withExtendedLifetime((cutter, healthy)) {}
    }
}
