import Foundation
import Testing
import TestSupport

/// `--max-jobs`: past the limit, 503 with a sentence.
@Suite("Capacity (real worker, real FFmpeg)")
struct CapacityTests {
    @Test("--max-jobs 1: a second job gets 503 with a sentence; it fits once the first is deleted")
    func maxJobsOne() async throws {
        let worker = try await WorkerHarness.start(["--max-jobs", "1"])
        let clip = try await worker.sandbox.makeClip(seconds: 24)

        let first = try await worker.api.call("PUT", "/v1/jobs/one", body: WorkerHarness.job(clip))
        #expect(first.status == 201, "\(first.status) \(first.text)")
        let second = try await worker.api.call("PUT", "/v1/jobs/two", body: WorkerHarness.job(clip))
        let firstState = try await worker.api.job("one").string("state") ?? ""
        try #require(["starting", "running"].contains(firstState), "the first job ended before the second request; nothing to test (\(firstState))")
        #expect(second.status == 503, "\(second.status) \(second.text)")
        #expect(second.errorSentence?.contains("1") == true, "503 sentence: \(second.text)")
        #expect(second.header("retry-after") == "2", "a full worker says when to retry")
        // An encoder no backend drives is 422 even on a full worker: waiting cannot help.
        let unknown = try await worker.api.call("PUT", "/v1/jobs/three", body: WorkerHarness.job(clip, encoder: "libfoo"))
        #expect(unknown.status == 422 && unknown.header("retry-after") == nil, "\(unknown.status) \(unknown.text)")
        #expect(try await worker.api.call("GET", "/v1/jobs/two").status == 404, "the refused job exists")
        #expect(!pathExists(worker.sandbox.transcode.appendingPathComponent("two").path), "the refused job left a folder")
        #expect(ffmpegProcesses(mentioning: worker.sandbox.transcode.appendingPathComponent("two").path).isEmpty)

        // The running job may still be updated (a seek is not a second job).
        let seek = try await worker.api.call("PUT", "/v1/jobs/one", body: WorkerHarness.job(clip, seek: "00:00:08"))
        #expect(seek.status == 200, "a seek on the one job under --max-jobs 1: \(seek.status) \(seek.text)")

        #expect(try await worker.api.call("DELETE", "/v1/jobs/one").status == 204)
        let retry = try await worker.api.call("PUT", "/v1/jobs/two", body: WorkerHarness.job(clip))
        #expect(retry.status == 201, "after the delete: \(retry.status) \(retry.text)")
    }
}
