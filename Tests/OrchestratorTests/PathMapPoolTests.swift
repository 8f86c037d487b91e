import Foundation
import Testing
import TestSupport

/// A pool whose orchestrator names sources by their NAS path, and whose worker mounts the NAS
/// elsewhere (`--path-map`).
@Suite struct PathMapPoolTests {
    @Test func aJobNamedByTheNASPathRunsOnTheWorkersMountAndReportsTheNASPath() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let sandbox = try Sandbox("pathmap-pool")
        let mount = sandbox.media.appendingPathComponent("mnt")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let clip = try await sandbox.makeClip(seconds: 8, size: "320x240", name: "mnt/film.mkv")
        let worker = try await WorkerHarness.start(
            ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5", "--media-root", mount.path,
             "--path-map", "/nas/movies=\(mount.path)"],
            sandbox: sandbox, id: "mapper"
        )
        let registered = try await eventually { try await orchestrator.worker("mapper") != nil }
        #expect(registered)

        // Registration carries the mappings.
        let view = try #require(try await orchestrator.worker("mapper"))
        let specs = try #require(view["static_specs"] as? [String: Any])
        #expect((specs["path_maps"] as? [[String: String]]) == [["from": "/nas/movies", "to": mount.path]], "\(specs)")

        let created = try await orchestrator.api.call("PUT", "/v1/jobs/nas", body: WorkerHarness.job("/nas/movies/film.mkv"))
        #expect(created.status == 201, "\(created.text)")
        let done = try await orchestrator.api.waitForJob("nas") { $0.string("state") == "completed" }
        #expect(done.held, "\(done.job)")
        #expect(done.job.string("source_path") == "/nas/movies/film.mkv", "the orchestrator sees its own path")
        let onWorker = try await worker.api.job("nas")
        #expect(onWorker.strings("ffmpeg_args")?.value(after: "-i") == clip)
        #expect(onWorker.string("source_path") == "/nas/movies/film.mkv")
        let segment = try await orchestrator.api.call("GET", "/v1/jobs/nas/hls/segment1.ts")
        #expect(segment.status == 200 && segment.body.count > 1000)

        // The same body again changes nothing (the path compared is the one sent).
        let spawns = try await worker.api.ffmpegSpawns()
        #expect(spawns == 1)
        let again = try await orchestrator.api.call("PUT", "/v1/jobs/nas", body: WorkerHarness.job("/nas/movies/film.mkv"))
        #expect(again.status == 200, "\(again.text)")
        #expect(try await worker.api.ffmpegSpawns() == spawns)

        // The orchestrator has no --media-root: it asks the worker, which maps the path.
        let listing = try await orchestrator.api.call("GET", "/v1/media/tracks?path=/nas/movies/film.mkv")
        #expect(listing.status == 200, "\(listing.text)")
        #expect(listing.object.string("path") == "/nas/movies/film.mkv")
        let stray = sandbox.root.appendingPathComponent("stray.mkv").path
        try FileManager.default.copyItem(atPath: clip, toPath: stray)
        let outside = try await orchestrator.api.call("GET", "/v1/media/tracks?path=\(stray)")
        #expect(outside.status == 403, "the worker's 403 is relayed: \(outside.text)")
    }
}
