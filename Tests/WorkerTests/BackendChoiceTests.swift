import Foundation
import Testing
import TestSupport

/// Forced encoder versus `auto`, the software fallback, and `--verify-encoders`, on a real
/// worker that believes a recorded NVIDIA desktop inventory. There is no GPU here, so every
/// NVIDIA encode fails at device setup: the backend that fails on purpose.
@Suite struct BackendChoiceTests {
    func nvidiaWorker(_ extra: [String] = []) async throws -> (WorkerHarness, String) {
        let sandbox = try Sandbox("hw")
        let inventory = sandbox.root.appendingPathComponent("nvidia.json")
        try Data(RecordedInventories.nvidiaDesktop.utf8).write(to: inventory)
        let worker = try await WorkerHarness.start(["--inventory", inventory.path] + extra, sandbox: sandbox)
        return (worker, try await sandbox.makeClip(seconds: 20))
    }

    @Test func autoFallsBackToSoftwareWhenTheGPUFailsBeforeTheFirstSegment() async throws {
        let (worker, source) = try await nvidiaWorker()
        let created = try await worker.api.call("PUT", "/v1/jobs/auto", body: WorkerHarness.job(source, encoder: "auto"))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["backend"] as? String == "cuda", "auto takes the best-ranked backend first")
        let fellBack = try await eventually {
            let job = try await worker.api.object("/v1/jobs/auto")
            return job["backend"] as? String == "x264" && (job["last_segment_id"] as? Int) != nil
        }
        #expect(fellBack)
        let job = try await worker.api.object("/v1/jobs/auto")
        #expect(job["encoder"] as? String == "libx264")
        let note = (job["notes"] as? [String])?.first ?? ""
        #expect(note.contains("cuda") && note.contains("x264"), "the job says it fell back: \(note)")
    }

    @Test func aForcedHardwareEncoderFailsLoudlyWithFFmpegsReason() async throws {
        let (worker, source) = try await nvidiaWorker()
        let created = try await worker.api.call("PUT", "/v1/jobs/forced", body: WorkerHarness.job(source, encoder: "h264_nvenc"))
        #expect(created.status == 201, "\(created.text)")
        let failed = try await eventually { try await worker.api.object("/v1/jobs/forced")["state"] as? String == "failed" }
        #expect(failed)
        let job = try await worker.api.object("/v1/jobs/forced")
        #expect(job["encoder"] as? String == "h264_nvenc", "a forced encoder is never swapped")
        let reason = job["error"] as? String ?? ""
        #expect(!reason.isEmpty && (reason.contains("CUDA") || reason.contains("cuda") || reason.contains("Device")), "\(reason)")
        #expect(try await worker.api.call("GET", "/healthz").status == 200)
    }

    @Test func anEncoderThisWorkerLacksIs422NamingWhatItHas() async throws {
        let (worker, source) = try await nvidiaWorker()
        let refused = try await worker.api.call("PUT", "/v1/jobs/vaapi", body: WorkerHarness.job(source, encoder: "h264_vaapi"))
        #expect(refused.status == 422)
        let sentence = refused.object["error"] as? String ?? ""
        #expect(sentence.contains("h264_vaapi") && sentence.contains("h264_nvenc") && sentence.contains("libx264"), "\(sentence)")
    }

    @Test func verifyEncodersDropsEncodersWhoseTestEncodeFails() async throws {
        let (worker, _) = try await nvidiaWorker(["--verify-encoders"])
        let info = try await worker.api.object("/v1/worker")
        #expect(info["encoders"] as? [String] == ["libx264"])
        #expect(info["hardware_acceleration"] as? [String] == [])
        let backends = info["backends"] as? [[String: Any]] ?? []
        let nvenc = try #require(backends.first { $0["id"] as? String == "nvenc" })
        #expect(nvenc["available"] as? Bool == false)
        #expect((nvenc["reason"] as? String ?? "").contains("verification encode failed"))
        #expect(worker.service.logText.contains("not offering h264_nvenc"))
    }

    @Test func withoutVerificationTheRecordedGPUIsRegistered() async throws {
        let (worker, _) = try await nvidiaWorker()
        let info = try await worker.api.object("/v1/worker")
        let encoders = info["encoders"] as? [String] ?? []
        #expect(encoders.first == "h264_nvenc" && encoders.contains("libx264"))
        #expect(Set(info["hardware_acceleration"] as? [String] ?? []) == ["cuda", "nvenc"])
    }
}

/// `hwdetect` as a new user runs it on this machine.
@Suite struct HWDetectTests {
    @Test func printsValidJSONWithAReasonForEveryUnavailableBackend() throws {
        let result = try run(ServiceProcess.binDirectory.appendingPathComponent("hwdetect").path, [])
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let backends = try #require(report["backends"] as? [[String: Any]])
        #expect(Set(backends.compactMap { $0["id"] as? String }) == ["x264", "nvenc", "cuda", "vaapi", "cuda-decode"])
        for backend in backends where backend["available"] as? Bool == false {
            #expect((backend["reason"] as? String ?? "").count > 10, "\(backend)")
        }
        let inventory = try #require(report["inventory"] as? [String: Any])
        #expect((inventory["ffmpeg_encoders"] as? [String])?.contains("libx264") == true)
        #expect(((inventory["cpu"] as? [String: Any])?["threads"] as? Int ?? 0) >= 1)
    }
}
