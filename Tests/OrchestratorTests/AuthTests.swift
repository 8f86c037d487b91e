import Foundation
import Testing
import TestSupport

/// Every /v1 route of the orchestrator refuses a missing or wrong token, and nothing changes.
@Suite struct OrchestratorAuthTests {
    static let routes: [(String, String, String?)] = [
        ("POST", "/v1/workers", SeedPayloads.registration),
        ("POST", "/v1/workers/string/heartbeats", SeedPayloads.heartbeat),
        ("PATCH", "/v1/workers/string", SeedPayloads.deathNote),
        ("GET", "/v1/workers", nil),
        ("GET", "/v1/workers/string", nil),
        ("POST", "/v1/jobs", #"{"job_id":"j","source_path":"/x.mkv"}"#),
        ("PUT", "/v1/jobs/j", #"{"source_path":"/x.mkv"}"#),
        ("GET", "/v1/jobs", nil),
        ("GET", "/v1/jobs/j", nil),
        ("DELETE", "/v1/jobs/j", nil),
        ("GET", "/v1/jobs/j/hls/index.m3u8", nil),
    ]

    @Test(arguments: [nil, "wrong-token"])
    func everyRouteNeedsTheToken(token: String?) async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let outsider = API(orchestrator.service.baseURL, token: token)
        for (method, path, body) in Self.routes {
            let response = try await outsider.call(method, path, body: body)
            #expect(response.status == 401, "\(method) \(path) answered \(response.status)")
            #expect(response.object["error"] as? String != nil)
        }
        // Nothing changed: no worker registered, no job.
        #expect((try await orchestrator.api.object("/v1/workers")["workers"] as? [Any])?.isEmpty == true)
        #expect((try await orchestrator.api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true)
        #expect(try await outsider.call("GET", "/healthz").status == 200)
    }

    @Test func refusesToStartWithoutAToken() throws {
        let result = try run(ServiceProcess.binDirectory.appendingPathComponent("transcode-orchestrator").path, ["--port", "0"])
        #expect(result.status != 0)
    }
}
