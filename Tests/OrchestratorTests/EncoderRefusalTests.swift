import Foundation
import Testing
import TestSupport

/// 422 or 503 for a job no worker takes now: 422 for an encoder no registered worker has ever
/// offered (waiting cannot help), 503 with `Retry-After` for a known one whose workers are
/// full or offline. The worker is a stand-in that answers every job 503 (full).
@Suite struct EncoderRefusalTests {
    static func registration(_ id: String, address: String, encoders: [String]) -> String {
        let list = encoders.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"id":"\#(id)","address":"\#(address)","max_jobs":4,"static_specs":{"cpu_model":"x","total_threads":2,"hardware_acceleration":[],"encoders":[\#(list)]}}"#
    }

    @Test func neverOfferedIs422_KnownButFullOrOfflineIs503WithRetryAfter() async throws {
        let full = try await FakeServer.start { request in
            request.path.hasSuffix("/heartbeats") ? (503, #"{"error":"This worker already runs 1 jobs, its limit (--max-jobs 1)."}"#) : (200, "{}")
        }
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api
        let registered = try await api.call("POST", "/v1/workers", body: Self.registration("full", address: full.baseURL, encoders: ["libx264", "libx265"]))
        #expect(registered.status == 201, "\(registered.text)")

        let unknown = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "libfoo", jobID: "foo"))
        #expect(unknown.status == 422, "\(unknown.status) \(unknown.text)")
        let sentence = unknown.errorSentence ?? ""
        #expect(sentence.contains("'libfoo'") && sentence.contains("ever offered") && sentence.contains("libx264"), "\(sentence)")
        #expect(unknown.header("retry-after") == nil)
        #expect(!full.requests.contains { $0.path.hasSuffix("/heartbeats") }, "an unknown encoder is refused without asking a worker")

        // Known, and its only worker is full: the worker's own 503 sentence, and when to retry.
        let busy = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "libx265", jobID: "busy"))
        #expect(busy.status == 503, "\(busy.status) \(busy.text)")
        #expect(busy.errorSentence?.contains("--max-jobs") == true, "\(busy.text)")
        #expect(busy.header("retry-after") == "2")
        #expect(full.requests.contains { $0.path == "/v1/workers/full/heartbeats" })

        // Offline: still known (it may come back), so 503 with Retry-After; libfoo stays 422.
        #expect(try await api.call("PATCH", "/v1/workers/full", body: #"{"status":"OFFLINE","reason":"SHUTDOWN"}"#).status == 200)
        let offline = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "libx265", jobID: "later"))
        #expect(offline.status == 503 && offline.header("retry-after") == "2", "\(offline.status) \(offline.text)")
        #expect(offline.errorSentence?.contains("libx265") == true, "\(offline.text)")
        let stillUnknown = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "libfoo", jobID: "foo2"))
        #expect(stillUnknown.status == 422, "\(stillUnknown.status) \(stillUnknown.text)")
        #expect((try await api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true, "a refused job is not kept")
        full.stop()
    }

    @Test func beforeAnyWorkerRegistersEveryEncoderWaits503() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let early = try await orchestrator.api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "libfoo"))
        #expect(early.status == 503 && early.header("retry-after") == "2", "nothing is known yet: \(early.status) \(early.text)")
    }

    @Test func aSeedOnlyWorkersAPIFamiliesAreKnownEncoders() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api
        let seedOnly = #"{"id":"seed","address":"http://127.0.0.1:9","static_specs":{"cpu_model":"x","total_threads":4,"hardware_acceleration":["vaapi"]}}"#
        #expect(try await api.call("POST", "/v1/workers", body: seedOnly).status == 201)
        #expect(try await api.call("PATCH", "/v1/workers/seed", body: #"{"status":"OFFLINE","reason":"SHUTDOWN"}"#).status == 200)
        for encoder in ["hevc_vaapi", "libx264"] {
            let refused = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: encoder))
            #expect(refused.status == 503, "\(encoder): \(refused.status) \(refused.text)")
        }
        let never = try await api.call("POST", "/v1/jobs", body: WorkerHarness.job("/media/movie.mkv", encoder: "h264_nvenc"))
        #expect(never.status == 422, "\(never.status) \(never.text)")
    }
}
