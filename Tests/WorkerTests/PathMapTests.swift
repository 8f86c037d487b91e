import Foundation
import Testing
import TestSupport
import TranscodeWire

/// `--path-map FROM=TO`: a source path as the orchestrator names it, read where this worker
/// mounts it, and still confined to the media roots.
@Suite struct PathMapTests {
    @Test func aMappingCoversWholeComponentsOnlyAndTheLongestFromWins() throws {
        let movies = try PathMapping(parsing: "/nas/movies=/mnt/films")
        #expect(movies.apply(to: "/nas/movies/film.mkv") == "/mnt/films/film.mkv")
        #expect(movies.apply(to: "/nas//movies/./a/b.mkv") == "/mnt/films/a/b.mkv")
        #expect(movies.apply(to: "/nas/movies2/film.mkv") == nil, "a prefix of a name is not a folder")
        #expect(movies.apply(to: "/nas/movie") == nil)
        #expect(movies.apply(to: "/other/nas/movies/film.mkv") == nil)
        // `..` is kept: confinement after the mapping is what refuses an escape.
        #expect(movies.apply(to: "/nas/movies/../secret.mkv") == "/mnt/films/../secret.mkv")

        let all = [try PathMapping(parsing: "/nas=/mnt/nas/"), movies]
        #expect(all[0].to == "/mnt/nas", "a trailing slash is dropped")
        #expect(PathMapping.best(for: "/nas/movies/film.mkv", in: all)?.mapped == "/mnt/films/film.mkv")
        #expect(PathMapping.best(for: "/nas/shows/a.mkv", in: all)?.mapped == "/mnt/nas/shows/a.mkv")
        #expect(PathMapping.best(for: "/nasty/a.mkv", in: all) == nil)
        #expect(try PathMapping(parsing: "/a=b=/c") == PathMapping(from: "/a=b", to: "/c"), "the split is at the first '=/'")
        #expect(try PathMapping(parsing: "/=/srv").apply(to: "/x/y.mkv") == "/srv/x/y.mkv")
    }

    @Test func malformedMappingsAreRefusedWithASentence() throws {
        for text in ["nas=/mnt", "/nas=mnt", "/nas", "/nas/../etc=/mnt"] {
            #expect(throws: PathMapping.Refusal.self, "\(text)") { try PathMapping(parsing: text) }
        }
        let twice = [try PathMapping(parsing: "/nas/=/a"), try PathMapping(parsing: "/nas=/b")]
        #expect(throws: PathMapping.Refusal.self) { try PathMapping.checkUnique(twice) }
    }

    @Test func theWorkerRefusesAMalformedMappingAtStart() async throws {
        let sandbox = try Sandbox("pathmap-bad")
        let result = try await runProgramAsync(ServiceProcess.binDirectory.appendingPathComponent("transcode-worker").path, [
            "--host", "127.0.0.1", "--port", "0", "--insecure-no-auth", "--media-root", sandbox.media.path,
            "--transcode-root", sandbox.transcode.path, "--path-map", "nas=/mnt",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--path-map 'nas=/mnt' must be FROM=TO"), "\(result.stderr)")
    }

    @Test func jobsAndTrackListingsGoThroughTheMappingAndStayConfined() async throws {
        let sandbox = try Sandbox("pathmap")
        let mount = sandbox.media.appendingPathComponent("mnt")
        let outside = sandbox.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let clip = try await sandbox.makeClip(seconds: 8, size: "320x240", name: "mnt/film.mkv")
        let stray = outside.appendingPathComponent("film.mkv").path
        try FileManager.default.copyItem(atPath: clip, toPath: stray)
        let worker = try await WorkerHarness.start([
            "--path-map", "/nas/movies=\(mount.path)", "--path-map", "/nas/movies/private=\(outside.path)", "--path-map", "/nas/other=\(outside.path)",
        ], sandbox: sandbox)

        // The job runs on the mapped file; its status names the path as it was sent.
        let created = try await worker.api.call("PUT", "/v1/jobs/mapped", body: WorkerHarness.job("/nas/movies/film.mkv"))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object.string("source_path") == "/nas/movies/film.mkv")
        #expect(created.object.strings("ffmpeg_args")?.value(after: "-i") == clip, "FFmpeg reads the worker's own mount")
        let done = try await worker.api.waitForJob("mapped") { $0.string("state") == "completed" }
        #expect(done.held, "\(done.job)")
        #expect(done.job.string("source_path") == "/nas/movies/film.mkv")

        // A mapping whose target lies outside the media roots: 403 naming both paths, and
        // the longest FROM wins over the shorter one that would have been allowed.
        for path in ["/nas/other/film.mkv", "/nas/movies/private/film.mkv"] {
            let refused = try await worker.api.call("PUT", "/v1/jobs/escape", body: WorkerHarness.job(path))
            #expect(refused.status == 403, "\(path): \(refused.text)")
            let sentence = refused.errorSentence ?? ""
            #expect(sentence.contains("'\(path)'") && sentence.contains("mapped to '\(stray)'"), "\(sentence)")
        }
        // `..` after the mapping leaves the root: 403 too.
        let dotted = "/nas/movies/../../elsewhere/film.mkv"
        let escape = try await worker.api.call("PUT", "/v1/jobs/escape", body: WorkerHarness.job(dotted))
        #expect(escape.status == 403, "\(escape.text)")
        // Not a boundary: /nas/movies2 is no part of /nas/movies, so it is read as it is (and is not there).
        let sibling = try await worker.api.call("PUT", "/v1/jobs/sibling", body: WorkerHarness.job("/nas/movies2/film.mkv"))
        #expect(sibling.status == 422 && sibling.errorSentence?.contains("'/nas/movies2/film.mkv' does not exist") == true, "\(sibling.text)")
        #expect(!(sibling.errorSentence ?? "").contains("mapped"), "\(sibling.text)")
        let missing = try await worker.api.call("PUT", "/v1/jobs/missing", body: WorkerHarness.job("/nas/movies/absent.mkv"))
        #expect(missing.status == 422, "\(missing.text)")
        #expect(missing.errorSentence?.contains("mapped to '\(mount.path)/absent.mkv'") == true, "\(missing.text)")

        // The track listing takes the same path, through the same mapping.
        let listing = try await worker.api.call("GET", "/v1/media/tracks?path=/nas/movies/film.mkv")
        #expect(listing.status == 200, "\(listing.text)")
        #expect(listing.object.string("path") == "/nas/movies/film.mkv")
        #expect((listing.object["tracks"] as? [[String: Any]])?.count == 2)
        let forbidden = try await worker.api.call("GET", "/v1/media/tracks?path=/nas/other/film.mkv")
        #expect(forbidden.status == 403, "\(forbidden.text)")

        // The worker says what it maps.
        let info = try await worker.api.object("/v1/worker")
        let maps = info["path_maps"] as? [[String: String]]
        #expect(maps?.first == ["from": "/nas/movies", "to": mount.path], "\(info["path_maps"] ?? "none")")
        #expect(maps?.count == 3)
    }

    @Test func theConfigFileSetsMappingsAndHwdetectPrintsThem() async throws {
        let sandbox = try Sandbox("pathmap-config")
        let clip = try await sandbox.makeClip(seconds: 4, size: "160x120")
        let config = sandbox.root.appendingPathComponent("worker.toml")
        try "path_map = [\"/nas/movies=\(sandbox.media.path)\"]\n".write(to: config, atomically: true, encoding: .utf8)
        let worker = try await WorkerHarness.start(["--config", config.path], sandbox: sandbox)
        let listing = try await worker.api.call("GET", "/v1/media/tracks?path=/nas/movies/\(URL(fileURLWithPath: clip).lastPathComponent)")
        #expect(listing.status == 200, "\(listing.text)")
        let info = try await worker.api.object("/v1/worker")
        #expect((info["path_maps"] as? [[String: String]]) == [["from": "/nas/movies", "to": sandbox.media.path]])

        let hwdetect = ServiceProcess.binDirectory.appendingPathComponent("hwdetect").path
        let inventory = sandbox.root.appendingPathComponent("inventory.json").path
        try RecordedInventories.noGPU.write(toFile: inventory, atomically: true, encoding: .utf8)
        let printed = try await runProgramAsync(hwdetect, ["--inventory", inventory, "--path-map", "/nas/movies=/mnt/movies", "--path-map", "/nas=/mnt/nas"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let report = (try? JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect((report["path_maps"] as? [[String: String]]) == [["from": "/nas/movies", "to": "/mnt/movies"], ["from": "/nas", "to": "/mnt/nas"]])
        let plain = try await runProgramAsync(hwdetect, ["--inventory", inventory])
        #expect(!plain.stdout.contains("path_maps"), "no --path-map, no key")
        let bad = try await runProgramAsync(hwdetect, ["--inventory", inventory, "--path-map", "relative=/x"])
        #expect(bad.status != 0 && bad.stdout.contains("must be FROM=TO"), "\(bad.stdout)")
    }
}
