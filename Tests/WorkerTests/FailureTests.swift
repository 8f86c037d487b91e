import Foundation
import Testing
import TestSupport

/// FFmpeg failures end the job `failed` with FFmpeg's reason; the worker keeps serving.
@Suite("Failed jobs (real worker, real FFmpeg)")
struct FailureTests {
    @Test("A corrupt source is refused at submit with ffprobe's reason; the worker keeps serving")
    func corruptSource() async throws {
        let worker = try await WorkerHarness.start()
        let corrupt = worker.sandbox.media.appendingPathComponent("x.mkv").path
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: corrupt))

        let response = try await worker.api.call("PUT", "/v1/jobs/corrupt", body: WorkerHarness.job(corrupt))
        // The contract's 422 at submit, with ffprobe's own reason; no job and no FFmpeg.
        #expect(response.status == 422, "\(response.status) \(response.text)")
        let reason = response.object["error"] as? String ?? ""
        #expect(reason.contains("cannot read the source") && !reason.hasSuffix(": "), "\(reason)")
        #expect(try await worker.api.call("GET", "/v1/jobs/corrupt").status == 404)
        #expect(ffmpegProcesses(mentioning: corrupt).isEmpty)

        // Still serving, and a good job runs.
        #expect(try await worker.api.call("GET", "/healthz").status == 200)
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let good = try await worker.api.call("PUT", "/v1/jobs/fine", body: WorkerHarness.job(clip))
        #expect(good.status == 201, "\(good.status) \(good.text)")
        let folder = worker.sandbox.transcode.appendingPathComponent("fine").path
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") })

        // The same id with a good source starts.
        let retried = try await worker.api.call("PUT", "/v1/jobs/corrupt", body: WorkerHarness.job(clip))
        #expect([200, 201].contains(retried.status), "\(retried.status) \(retried.text)")
        #expect(retried.object.pid() != nil, "retry of a failed job did not start FFmpeg: \(retried.text)")
    }

    @Test("A missing file inside the media root is 422 with a sentence")
    func missingSource() async throws {
        let worker = try await WorkerHarness.start()
        let missing = worker.sandbox.media.appendingPathComponent("gone.mkv").path
        let response = try await worker.api.call("PUT", "/v1/jobs/missing", body: WorkerHarness.job(missing))
        #expect(response.status == 422, "\(response.status) \(response.text)")
        #expect(response.errorSentence != nil)
        #expect(try await worker.api.call("GET", "/v1/jobs/missing").status == 404)
        #expect(folderListing(worker.sandbox.transcode.path).isEmpty)
        #expect(try await worker.api.call("GET", "/healthz").status == 200)
    }
}
