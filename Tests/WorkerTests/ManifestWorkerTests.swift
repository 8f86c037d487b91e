import BackendRegistry
import Foundation
import ManifestBackend
import Testing
import TestSupport
import TranscodeBackend
import WorkerCore

/// Manifests in a real worker: loaded at start-up, refused ones logged while the rest run,
/// and weighed by rank against compiled backends.
@Suite struct ManifestWorkerTests {
    static func tunedX264(rank: Int) throws -> ManifestEncoderBackend {
        let text = """
            id = "x264-tuned"
            encoders = ["libx264"]
            rank = \(rank)
            [arguments]
            video_filter = "format=yuv420p"
            codec = ["-preset", "superfast", "-b:v", "{bitrate}", "-maxrate", "{maxrate}", "-bufsize", "{bufsize}"]
            keyframes = "forced"
            """
        return ManifestEncoderBackend(manifest: try ManifestParser.parse(text, file: "x264-tuned.toml"), host: HostFacts())
    }

    @Test func aCompiledBackendAndAManifestOfferingOneEncoderAreChosenByRank() throws {
        let inventory = try JSONDecoder().decode(HardwareInventory.self, from: Data(RecordedInventories.noGPU.utf8))
        let above = BackendSelector(inventory: inventory, backends: allBackends + [try Self.tunedX264(rank: 3)])
        #expect(try above.choose(encoder: "libx264", source: nil).backend.id == "x264-tuned")
        #expect(try above.choose(encoder: "auto", source: nil).backend.id == "x264-tuned")
        let below = BackendSelector(inventory: inventory, backends: allBackends + [try Self.tunedX264(rank: -1)])
        #expect(try below.choose(encoder: "libx264", source: nil).backend.id == "x264")
        #expect(below.encoders.filter { $0 == "libx264" }.count == 1, "an encoder is registered once")
    }

    @Test func aWorkerStartsWithTheGoodManifestsAndLogsEachRefusal() async throws {
        let sandbox = try Sandbox("manifests")
        let folder = try Manifests.folder([
            "x265.toml": try Manifests.shipped("x265.toml"),
            "typo.toml": try Manifests.shipped("x265.toml").replacingOccurrences(of: "rank = 5", with: "rnak = 5")
                .replacingOccurrences(of: #"id = "x265""#, with: #"id = "x265-typo""#),
        ], in: sandbox)
        let worker = try await WorkerHarness.start(["--backends-dir", folder], sandbox: sandbox)
        let info = try await worker.api.object("/v1/worker")
        let backends = info["backends"] as? [[String: Any]] ?? []
        let x265 = try #require(backends.first { $0.string("id") == "x265" })
        #expect(x265["available"] as? Bool == true, "\(x265)")
        #expect((info["encoders"] as? [String])?.contains("libx265") == true)
        #expect(!backends.contains { $0.string("id") == "x265-typo" })
        #expect(worker.service.logText.contains("backend manifest refused: \(folder)/typo.toml: key 'rnak': unknown key (did you mean 'rank'?)"))

        // auto makes what every player plays: H.264 through x264, although x265 ranks higher (5 > 0).
        let source = try await sandbox.makeClip(seconds: 8, size: "320x240")
        let created = try await worker.api.call("PUT", "/v1/jobs/auto", body: WorkerHarness.job(source, encoder: "auto"))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object.string("backend") == "x264" && created.object.string("encoder") == "libx264", "\(created.text)")
        let done = try await worker.api.waitForJob("auto") { $0.string("state") == "completed" }
        #expect(done.held, "\(done.job)")
        let segment = sandbox.transcode.appendingPathComponent("auto/segment0.ts").path
        let codec = try await ffprobe(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "default=nw=1:nk=1", segment])
        #expect(codec.stdout.split(whereSeparator: \.isNewline).first == "h264", "\(codec.stdout)")

        // HEVC only when named. An encoder no backend drives is 422 (never 503: waiting cannot help).
        let named = try await worker.api.call("PUT", "/v1/jobs/named", body: WorkerHarness.job(source, encoder: "libx265"))
        #expect(named.status == 201 && named.object.string("backend") == "x265", "\(named.text)")
        let unknown = try await worker.api.call("PUT", "/v1/jobs/foo", body: WorkerHarness.job(source, encoder: "libfoo"))
        #expect(unknown.status == 422, "\(unknown.status) \(unknown.text)")
        let sentence = unknown.errorSentence ?? ""
        #expect(sentence.contains("'libfoo' is unknown") && sentence.contains("libx265") && sentence.contains("libx264"), "\(sentence)")
    }

    @Test func aManifestThatAsksForVerificationIsDroppedWhenItsTestEncodeFails() async throws {
        let sandbox = try Sandbox("manifests")
        // Well formed, but libx264 has no preset of that name: only a real encode tells.
        let folder = try Manifests.folder(["broken-preset.toml": """
            id = "x264-broken"
            encoders = ["libx264"]
            rank = 50
            [requires]
            verify = true
            [arguments]
            codec = ["-preset", "warpspeed"]
            keyframes = "forced"
            """], in: sandbox)
        let worker = try await WorkerHarness.start(["--backends-dir", folder], sandbox: sandbox)
        let info = try await worker.api.object("/v1/worker")
        let broken = try #require((info["backends"] as? [[String: Any]])?.first { $0.string("id") == "x264-broken" })
        #expect(broken["available"] as? Bool == false)
        #expect(broken.string("reason")?.hasPrefix("verification encode failed") == true, "\(broken)")
        #expect((info["encoders"] as? [String])?.contains("libx264") == true, "the compiled x264 still offers it")
    }
}
