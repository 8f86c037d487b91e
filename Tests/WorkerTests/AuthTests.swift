import CurlHTTP
import Foundation
import Testing
import TestSupport

/// Every /v1 route of the worker wants the bearer token; without it nothing changes.
@Suite("Authentication (real worker)")
struct AuthTests {
    @Test("No token or a wrong token: 401 on every /v1 route, and nothing changes")
    func everyRouteNeedsTheToken() async throws {
        let worker = try await WorkerHarness.start(id: "auth-worker")
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let transcode = worker.sandbox.transcode.path

        // A job made with the right token, which the refused calls must not disturb.
        let kept = try await worker.api.call("PUT", "/v1/jobs/kept", body: WorkerHarness.job(clip))
        #expect(kept.status == 201)
        #expect(await eventually(timeout: .seconds(60)) { pathExists(transcode + "/kept/segment0.ts") })
        let keptBefore = try await worker.api.job("kept")

        let callers: [(String, API)] = [
            ("no token", API(worker.service.baseURL, token: nil)),
            ("wrong token", API(worker.service.baseURL, token: "not-the-token")),
            ("token prefix", API(worker.service.baseURL, token: String(WorkerHarness.token.dropLast()))),
            ("token with extra", API(worker.service.baseURL, token: WorkerHarness.token + "x")),
        ]
        let newJob = WorkerHarness.job(clip)
        let requests: [(String, String, String?)] = [
            ("PUT", "/v1/jobs/intruder", newJob),
            ("PUT", "/v1/jobs/kept", WorkerHarness.job(clip, seek: "00:00:12")),
            ("POST", "/v1/jobs", jsonText(["job_id": "intruder2", "source_path": clip, "configuration": ["encoder": "libx264"]])),
            ("POST", "/v1/workers/auth-worker/heartbeats", jsonText(["job_id": "intruder3", "source_path": clip, "configuration": ["encoder": "libx264"]])),
            ("GET", "/v1/jobs", nil),
            ("GET", "/v1/jobs/kept", nil),
            ("GET", "/v1/jobs/kept/hls/index.m3u8", nil),
            ("GET", "/v1/jobs/kept/hls/segment0.ts", nil),
            ("GET", "/v1/jobs/kept/hls/index.m3u8?token=wrong", nil),
            // The pool's token never opens anything from a URL.
            ("GET", "/v1/jobs/kept/hls/index.m3u8?token=\(WorkerHarness.token)", nil),
            ("DELETE", "/v1/jobs/kept", nil),
            ("DELETE", "/v1/jobs/unknown", nil),
        ]
        for (who, api) in callers {
            for (method, path, body) in requests {
                let response = try await api.call(method, path, body: body)
                #expect(response.status == 401, "\(who) \(method) \(path): \(response.status) \(response.text)")
                #expect(response.errorSentence != nil, "\(who) \(method) \(path): no error sentence: \(response.text)")
                #expect(!response.text.contains("#EXTM3U") && !response.text.contains("\"job_id\""), "\(who) \(method) \(path) leaked data")
            }
        }
        // Another scheme with the right token is still no bearer token.
        let basic = try await HTTPClient().send(HTTPRequest(
            method: "GET", url: worker.service.baseURL + "/v1/jobs", headers: [("Authorization", "Basic \(WorkerHarness.token)")]
        ))
        #expect(basic.status == 401)

        // Nothing changed.
        let jobs = (try await worker.api.call("GET", "/v1/jobs").object["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.compactMap { $0.string("job_id") } == ["kept"], "jobs: \(jobs)")
        #expect(folderListing(transcode) == ["kept"], "transcode root: \(folderListing(transcode))")
        let keptAfter = try await worker.api.job("kept")
        #expect(keptAfter.int("start_segment") == 0, "an unauthenticated seek took effect: \(keptAfter)")
        if keptAfter.string("state") != "completed" {
            #expect(keptAfter.pid() == keptBefore.pid(), "an unauthenticated call restarted the job")
        }
        #expect(pathExists(transcode + "/kept/segment0.ts"), "an unauthenticated call cleared the folder")

        // /healthz is open; the right token works.
        #expect(try await API(worker.service.baseURL, token: nil).call("GET", "/healthz").status == 200)
        #expect(try await worker.api.call("GET", "/v1/jobs/kept").status == 200)
    }

    @Test("A worker refuses to start without a token")
    func refusesToStartWithoutToken() async throws {
        let sandbox = try Sandbox("notoken")
        let binary = ServiceProcess.binDirectory.appendingPathComponent("transcode-worker").path
        let result = try await runProgramAsync(binary, [
            "--host", "127.0.0.1", "--port", "0", "--media-root", sandbox.media.path, "--transcode-root", sandbox.transcode.path,
        ])
        #expect(result.status != 0, "started without a token: \(result.stdout)")
        #expect(result.stderr.lowercased().contains("token"), "stderr: \(result.stderr)")
    }
}
