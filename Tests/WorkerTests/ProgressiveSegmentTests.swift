import CurlHTTP
import Foundation
import Testing
import TestSupport

/// A segment asked for while FFmpeg writes it: a chunked answer at once, the same bytes as
/// the finished file, and an aborted answer (no terminating chunk) when the run dies first.
@Suite("Progressive segment delivery (real worker, real FFmpeg)")
struct ProgressiveSegmentTests {
    static let bearer = [("Authorization", "Bearer \(WorkerHarness.token)")]

    /// A worker writing job `id` on a 720p clip: its first segment takes over a second here.
    static func writingJob(_ id: String) async throws -> (worker: WorkerHarness, folder: String, pid: Int32) {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24, size: "1280x720")
        let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(clip))
        #expect(created.status == 201, "\(created.status) \(created.text)")
        let pid = try #require(created.object.pid())
        return (worker, worker.sandbox.transcode.appendingPathComponent(id).path, pid)
    }

    static func stream(_ worker: WorkerHarness, _ path: String) async throws -> HTTPStreamResponse {
        try await HTTPClient().stream(HTTPRequest(url: worker.service.baseURL + path, headers: bearer, timeout: .seconds(60)))
    }

    /// Reads the body to its end; the transfer error when it did not end cleanly.
    static func ending(_ response: HTTPStreamResponse) async -> (bytes: Data, error: (any Error)?) {
        var bytes = Data()
        do {
            for try await chunk in response.body { bytes.append(chunk) }
            return (bytes, nil)
        } catch {
            return (bytes, error)
        }
    }

    @Test("Segment 0 asked for right after the job starts comes chunked and equals the finished file byte for byte")
    func streamedSegmentEqualsTheFinishedFile() async throws {
        let (worker, folder, _) = try await Self.writingJob("live")
        let response = try await Self.stream(worker, "/v1/jobs/live/hls/segment0.ts")
        let finishedAtHead = FileManager.default.fileExists(atPath: folder + "/segment0.ts")
        #expect(!finishedAtHead, "segment 0 was finished before the answer began: the live path was not taken")
        #expect(response.status == 200)
        #expect(response.header("content-length") == nil, "a segment being written has no known length")
        #expect(response.header("transfer-encoding")?.lowercased() == "chunked")
        #expect(response.header("content-type") == "video/mp2t")
        let (bytes, error) = await Self.ending(response)
        #expect(error == nil, "the stream did not end cleanly: \(error.map { "\($0)" } ?? "")")
        let onDisk = try #require(FileManager.default.contents(atPath: folder + "/segment0.ts"))
        #expect(!bytes.isEmpty && bytes.count % 188 == 0)
        #expect(bytes == onDisk, "streamed \(bytes.count) bytes, the file has \(onDisk.count)")

        // Finished now: served whole, as before.
        let whole = try await HTTPClient().send(HTTPRequest(url: worker.service.baseURL + "/v1/jobs/live/hls/segment0.ts", headers: Self.bearer))
        #expect(whole.status == 200 && whole.body == onDisk)
        #expect(whole.header("content-length") == "\(onDisk.count)" && whole.header("etag") != nil)
    }

    @Test("A range other than bytes=0- on a segment being written waits for it and gets its 206")
    func aRangeWaitsForTheWholeSegment() async throws {
        let (worker, folder, _) = try await Self.writingJob("ranged")
        let part = try await HTTPClient().send(HTTPRequest(
            url: worker.service.baseURL + "/v1/jobs/ranged/hls/segment0.ts", headers: Self.bearer + [("Range", "bytes=188-375")], timeout: .seconds(60)
        ))
        let onDisk = try #require(FileManager.default.contents(atPath: folder + "/segment0.ts"))
        #expect(part.status == 206, "\(part.status) \(part.text.prefix(200))")
        #expect(part.body == onDisk[188..<376])
        #expect(part.header("content-range") == "bytes 188-375/\(onDisk.count)")
    }

    @Test("FFmpeg SIGKILLed while writing the segment: the answer is aborted, not ended")
    func aKilledRunAbortsTheAnswer() async throws {
        let (worker, folder, pid) = try await Self.writingJob("killed")
        let response = try await Self.stream(worker, "/v1/jobs/killed/hls/segment0.ts")
        #expect(response.status == 200 && response.header("content-length") == nil)
        try #require(!FileManager.default.fileExists(atPath: folder + "/segment0.ts") && isLiveProcess(pid), "segment 0 finished first; nothing to test")
        kill(pid, SIGKILL)
        let (bytes, error) = await Self.ending(response)
        #expect((error as? HTTPClientError)?.code == 18, "expected curl 18 (transfer closed with outstanding read data), got \(error.map { "\($0)" } ?? "a clean end") after \(bytes.count) bytes")
        #expect(!FileManager.default.fileExists(atPath: folder + "/segment0.ts"))
        _ = worker
    }

    @Test("The job deleted while the segment is written: the answer is aborted, not ended")
    func aDeletedJobAbortsTheAnswer() async throws {
        let (worker, folder, pid) = try await Self.writingJob("deleted")
        let response = try await Self.stream(worker, "/v1/jobs/deleted/hls/segment0.ts")
        #expect(response.status == 200 && response.header("content-length") == nil)
        try #require(!FileManager.default.fileExists(atPath: folder + "/segment0.ts") && isLiveProcess(pid), "segment 0 finished first; nothing to test")
        let deleted = try await worker.api.call("DELETE", "/v1/jobs/deleted")
        #expect(deleted.status == 204)
        let (bytes, error) = await Self.ending(response)
        #expect((error as? HTTPClientError)?.code == 18, "expected curl 18, got \(error.map { "\($0)" } ?? "a clean end") after \(bytes.count) bytes")
        #expect(ffmpegProcesses(mentioning: folder).isEmpty)
    }
}
