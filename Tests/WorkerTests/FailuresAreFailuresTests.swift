import Foundation
import Testing
import TestSupport

/// A full disk, a source that ends early and a floor of free space: a job that did not
/// really succeed ends `failed` with a sentence, and no segment is served unless whole.
@Suite("Failures are failures (real worker, real FFmpeg)", .serialized)
struct FailuresAreFailuresTests {
    /// A 6 MB tmpfs as the transcode root (root only, as CI runs); nil where mounting is refused.
    static func smallDisk(_ sandbox: Sandbox) -> String? {
        let mount = sandbox.root.appendingPathComponent("small").path
        try? FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard (try? runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mount]))?.status == 0 else { return nil }
        return mount
    }

    @Test func aFullDiskEndsTheJobFailedAndServesNoEmptySegment() async throws {
        let sandbox = try Sandbox("fulldisk")
        guard let small = Self.smallDisk(sandbox) else {
            Issue.record("cannot mount a tmpfs here (not root?): the full-disk case is not tested")
            return
        }
        defer { _ = try? runProgram("/bin/umount", ["-l", small]) }
        let worker = try await WorkerHarness.start(["--transcode-root", small, "--min-free-space", "0"], sandbox: sandbox)
        let clip = try await worker.sandbox.makeClip(seconds: 60, size: "640x360")
        let created = try await worker.api.call("PUT", "/v1/jobs/filler", body: WorkerHarness.job(clip, bitrate: 4_000_000))
        #expect(created.status == 201, "\(created.text)")
        let ended = try await worker.api.waitForJob("filler", timeout: .seconds(90)) { ["completed", "failed"].contains($0.string("state") ?? "") }
        #expect(ended.job.string("state") == "failed", "a full disk ended \(ended.job.string("state") ?? "?")")
        let reason = ended.job.string("error") ?? ""
        #expect(reason.contains("space") || reason.contains("written") || reason.contains("No space"), "\(reason)")
        // Whatever the playlist lists, no empty or partial segment is served.
        let playlist = try await worker.api.call("GET", "/v1/jobs/filler/hls/index.m3u8").text
        for n in playlistSegments(playlist) {
            let segment = try await worker.api.call("GET", "/v1/jobs/filler/hls/segment\(n).ts")
            #expect(segment.status == 404 || (segment.body.count > 0 && segment.body.count % 188 == 0), "segment \(n): \(segment.status), \(segment.body.count) bytes")
        }
        // A floor above what the disk has refuses a new job before it starts.
        let floor = try await WorkerHarness.start(["--transcode-root", small, "--min-free-space", "100"], sandbox: sandbox)
        let refused = try await floor.api.call("PUT", "/v1/jobs/late", body: WorkerHarness.job(clip))
        #expect(refused.status == 503 && (refused.errorSentence ?? "").contains("--min-free-space"), "\(refused.status) \(refused.text)")
    }

    @Test func aSourceThatEndsEarlyEndsTheJobFailed() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 40, size: "320x240")
        // The first 300 kB of a valid mkv: its header still promises 40 s.
        let cut = worker.sandbox.media.appendingPathComponent("cut.mkv").path
        let data = try Data(contentsOf: URL(fileURLWithPath: clip))
        try data.prefix(300_000).write(to: URL(fileURLWithPath: cut))
        let created = try await worker.api.call("PUT", "/v1/jobs/cut", body: WorkerHarness.job(cut))
        if created.status == 422 { return }  // refused at submit: also not a success
        #expect(created.status == 201, "\(created.text)")
        let ended = try await worker.api.waitForJob("cut", timeout: .seconds(60)) { ["completed", "failed"].contains($0.string("state") ?? "") }
        #expect(ended.job.string("state") == "failed", "a truncated source ended \(ended.job.string("state") ?? "?")")
        #expect((ended.job.string("error") ?? "").contains("ended early"), "\(ended.job.string("error") ?? "")")
    }

    @Test func aSourceTruncatedWhileItEncodesEndsTheJobFailed() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 120, size: "320x240")
        let own = worker.sandbox.media.appendingPathComponent("shrinking.mkv").path
        try FileManager.default.copyItem(atPath: clip, toPath: own)
        let created = try await worker.api.call("PUT", "/v1/jobs/shrink", body: WorkerHarness.job(own))
        #expect(created.status == 201, "\(created.text)")
        #expect(await eventually(timeout: .seconds(30)) { (try? await worker.api.job("shrink").int("last_segment_id")) != nil })
        let size = (try FileManager.default.attributesOfItem(atPath: own)[.size] as? Int) ?? 0
        #expect(truncate(own, off_t(size / 4)) == 0)
        let ended = try await worker.api.waitForJob("shrink", timeout: .seconds(90)) { ["completed", "failed"].contains($0.string("state") ?? "") }
        #expect(ended.job.string("state") == "failed", "a source truncated mid-encode ended \(ended.job.string("state") ?? "?")")
    }
}
