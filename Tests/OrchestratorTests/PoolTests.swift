import Foundation
import Testing
import TestSupport

/// Orchestrator plus two real workers plus a stand-in that speaks only the seed.
@Suite struct PoolTests {
    @Test func jobsLandWhereTheHardwareIsAndStayThere() async throws {
        let standIn = try await FakeServer.start()
        let orchestrator = try await OrchestratorHarness.start(extra: ["--default-worker-port", "\(standIn.port)"])
        let api = orchestrator.api
        let shared = try Sandbox("pool")
        let source = try await shared.makeClip(seconds: 24)
        var workers: [WorkerHarness] = []
        for n in 1...2 {
            workers.append(try await WorkerHarness.start(
                ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1", "--media-root", shared.media.path], id: "real-\(n)"
            ))
        }
        // The stand-in registers with the seed's fields only: no address, no encoders.
        let seedOnly = #"{"id":"standin","static_specs":{"cpu_model":"x","total_threads":4,"hardware_acceleration":["nvenc"]}}"#
        #expect(try await api.call("POST", "/v1/workers", body: seedOnly).status == 201)
        let allThree = try await eventually {
            (try await api.object("/v1/workers")["workers"] as? [[String: Any]])?.count == 3
        }
        #expect(allThree)

        // h264_nvenc: only the stand-in claims nvenc, and it receives the controller payload.
        let nvenc = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job(source, encoder: "h264_nvenc", jobID: "gpu-job"))
        #expect(nvenc.status == 201, "\(nvenc.text)")
        #expect(nvenc.object["worker_id"] as? String == "standin")
        let delivered = try #require(standIn.requests.last { $0.path == "/v1/workers/standin/heartbeats" })
        #expect(delivered.method == "POST")
        #expect(delivered.authorization == "Bearer \(WorkerHarness.token)")
        #expect(delivered.object["job_id"] as? String == "gpu-job")
        #expect(delivered.object["source_path"] as? String == source)
        #expect((delivered.object["configuration"] as? [String: Any])?["encoder"] as? String == "h264_nvenc")

        // The stand-in also offers libx264 (the contract's rule for seed-only workers). It now
        // reports ERROR, so the next job goes to a real worker even when those report STRESSED,
        // as they do on a saturated test machine.
        let erroring = #"{"status":"ERROR","telemetry":{"cpu_usage":1.0,"gpu_usage":null,"ram_free_bytes":1024,"temp_c":null}}"#
        #expect(try await api.call("POST", "/v1/workers/standin/heartbeats", body: erroring).status == 204)

        // libx264: a real worker, which really writes segments, served through the orchestrator.
        let x264 = try await api.call("PUT", "/v1/jobs/soft-job", body: WorkerHarness.job(source))
        #expect(x264.status == 201, "\(x264.text)")
        let workerID = try #require(x264.object["worker_id"] as? String)
        #expect(workerID.hasPrefix("real-"))
        let playlistURL = try #require(x264.object["playlist_url"] as? String)
        #expect(playlistURL.hasPrefix(orchestrator.service.baseURL + "/v1/jobs/soft-job/hls/index.m3u8?sig="), "\(playlistURL)")
        let segmentServed = try await eventually {
            try await api.call("GET", "/v1/jobs/soft-job/hls/index.m3u8").text.contains("segment0.ts")
        }
        #expect(segmentServed)
        let segment = try await api.call("GET", "/v1/jobs/soft-job/hls/segment0.ts")
        #expect(segment.status == 200 && segment.body.count > 1000)

        // Players that cannot set headers use the signed playlist_url; its segment URIs carry the
        // signature, never the pool's token, which opens nothing from a URL.
        let bare = API("", token: nil)
        let signedPlaylist = try await bare.call("GET", playlistURL)
        #expect(signedPlaylist.status == 200)
        let sig = String(playlistURL[try #require(playlistURL.range(of: "?sig=")).upperBound...])
        #expect(signedPlaylist.text.contains("segment0.ts?sig=\(sig)"), "\(signedPlaylist.text)")
        #expect(!signedPlaylist.text.contains(WorkerHarness.token))
        let base = orchestrator.service.baseURL + "/v1/jobs/soft-job/hls/"
        #expect(try await bare.call("GET", base + "segment0.ts?sig=\(sig)").status == 200)
        #expect(try await bare.call("GET", base + "segment0.ts?token=\(WorkerHarness.token)").status == 401)

        // A seek goes to the same worker, which restarts at floor(8/4) = 2.
        let seek = try await api.call("PUT", "/v1/jobs/soft-job", body: WorkerHarness.job(source, seek: "00:00:08"))
        #expect(seek.status == 200, "\(seek.text)")
        #expect(seek.object["worker_id"] as? String == workerID)
        let runner = workerID == "real-1" ? workers[0] : workers[1]
        let onWorker = try await runner.api.object("/v1/jobs/soft-job")
        #expect(onWorker["start_segment"] as? Int == 2)

        // DELETE through the orchestrator stops FFmpeg and removes the folder on the worker.
        let folder = runner.sandbox.transcode.appendingPathComponent("soft-job").path
        #expect(FileManager.default.fileExists(atPath: folder))
        #expect(try await api.call("DELETE", "/v1/jobs/soft-job").status == 204)
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(ffmpegProcesses(mentioning: folder).isEmpty)
        #expect(try await api.call("GET", "/v1/jobs/soft-job").status == 404)
        #expect(try await api.call("DELETE", "/v1/jobs/soft-job").status == 404)
    }

    @Test func anEncoderNoWorkerEverOfferedIs422WithASentence() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let shared = try Sandbox("none")
        let source = try await shared.makeClip(seconds: 24)
        let worker = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1", "--media-root", shared.media.path])
        _ = worker
        let registered = try await eventually {
            (try await orchestrator.api.object("/v1/workers")["workers"] as? [[String: Any]])?.count == 1
        }
        #expect(registered)
        let refused = try await orchestrator.api.call("POST", "/v1/jobs", body: WorkerHarness.job(source, encoder: "hevc_vaapi"))
        #expect(refused.status == 422, "\(refused.status) \(refused.text)")
        let sentence = try #require(refused.object["error"] as? String)
        #expect(sentence.contains("hevc_vaapi") && sentence.contains("libx264"))
        #expect((try await orchestrator.api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true)
    }
}
