import Foundation
import Testing
import TestSupport

/// Authorization is decided on the normalized path: no spelling of a route skips the token.
@Suite struct PathSpellingAuthTests {
    /// `//v1/x`, `/./v1/x`, `/v1%2Fx`, `/v1/x/`, `/V1/x`, `///v1//x`.
    static func spellings(_ path: String) -> [String] {
        let rest = path.dropFirst("/v1/".count)
        return [
            "/" + path, "/." + path, "/v1%2F" + rest, path + "/", "/V1/" + rest, "//" + path.replacingOccurrences(of: "/", with: "//"),
        ]
    }

    @Test func everyRouteOfBothServicesNeedsTheTokenWhateverItsSpelling() async throws {
        let pool = try await FailoverPool.start(workers: ["spelled"], timeout: 45, clipSeconds: 24)
        let worker = try #require(pool.workers["spelled"])
        let job = WorkerHarness.job(pool.source)
        let registration = #"{"id":"rogue","address":"http://127.0.0.1:9","static_specs":{"cpu_model":"x","total_threads":64,"hardware_acceleration":[],"encoders":["libx264"]}}"#
        let beat = #"{"status":"IDLE","telemetry":{"cpu_usage":1,"gpu_usage":null,"ram_free_bytes":1,"temp_c":null}}"#
        let orchestratorRoutes: [(String, String, String?)] = [
            ("GET", "/v1/jobs", nil), ("POST", "/v1/jobs", job), ("PUT", "/v1/jobs/sneaky", job),
            ("GET", "/v1/jobs/sneaky", nil), ("DELETE", "/v1/jobs/sneaky", nil),
            ("GET", "/v1/jobs/sneaky/hls/index.m3u8", nil), ("GET", "/v1/jobs/sneaky/hls/segment0.ts", nil),
            ("POST", "/v1/workers", registration), ("GET", "/v1/workers", nil), ("GET", "/v1/workers/spelled", nil),
            ("POST", "/v1/workers/spelled/heartbeats", beat),
            ("PATCH", "/v1/workers/spelled", #"{"status":"OFFLINE","reason":"SHUTDOWN"}"#),
        ]
        let workerRoutes: [(String, String, String?)] = [
            ("GET", "/v1/jobs", nil), ("POST", "/v1/jobs", job), ("PUT", "/v1/jobs/sneaky", job),
            ("GET", "/v1/jobs/sneaky", nil), ("DELETE", "/v1/jobs/sneaky", nil), ("GET", "/v1/worker", nil),
            ("GET", "/v1/jobs/sneaky/hls/index.m3u8", nil), ("POST", "/v1/workers/spelled/heartbeats", job),
        ]
        for (base, routes) in [(pool.orchestrator.service.baseURL, orchestratorRoutes), (worker.service.baseURL, workerRoutes)] {
            let anonymous = API(base, token: nil)
            for (method, path, body) in routes {
                for spelling in Self.spellings(path) + [path] {
                    let response = try await anonymous.call(method, spelling, body: body)
                    #expect(response.status == 401, "\(method) \(base)\(spelling): \(response.status) \(response.text.prefix(120))")
                }
            }
        }
        // Nothing changed: no rogue worker, no job, the real worker still live.
        let workers = (try await pool.api.object("/v1/workers")["workers"] as? [[String: Any]]) ?? []
        #expect(workers.compactMap { $0.string("id") } == ["spelled"])
        #expect(workers.first?.string("status") != "OFFLINE", "a false death note took effect")
        #expect((try await pool.api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true)
        #expect((try await worker.api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true)
        // The open route stays open.
        #expect(try await API(pool.orchestrator.service.baseURL, token: nil).call("GET", "/healthz").status == 200)
    }
}
