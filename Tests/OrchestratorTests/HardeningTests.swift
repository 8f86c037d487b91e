import CurlHTTP
import Foundation
import Testing
import TestSupport

/// Reports checked as strictly as requests, stale reports fenced off, HTTP limits, a second
/// choice when the first worker is full, and errors that will not heal told from waiting.
@Suite struct HardeningTests {
    static let specs = #""static_specs":{"cpu_model":"x","total_threads":4,"hardware_acceleration":[],"encoders":["libx264"]}"#

    static func report(_ id: String, generation: Int, last: Int, state: String = "running") -> String {
        #"{"job_id":"\#(id)","source_path":"/media/a.mkv","configuration":{"encoder":"libx264"},"state":"\#(state)","generation":\#(generation),"last_segment_id":\#(last),"start_segment":0,"segment_seconds":4,"duration":60}"#
    }

    @Test func badReportsAre400NamingTheEntryAndChangeNothing() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api
        let bad: [(String, String)] = [
            (#"{"id":"../x y",\#(Self.specs)}"#, "worker id"),
            (#"{"id":"ok","address":"file:///etc/passwd",\#(Self.specs)}"#, "address"),
            (#"{"id":"ok",\#(Self.specs),"jobs":[\#(Self.report("../../x y", generation: 1, last: 1))]}"#, "jobs[0]: job_id"),
            (#"{"id":"ok",\#(Self.specs),"jobs":[\#(Self.report("", generation: 1, last: 1))]}"#, "jobs[0]: job_id"),
            (#"{"id":"ok",\#(Self.specs),"max_jobs":-3}"#, "max_jobs"),
            (#"{"id":"ok",\#(Self.specs),"segment_seconds":0}"#, "segment_seconds"),
        ]
        for (body, named) in bad {
            let response = try await api.call("POST", "/v1/workers", body: body)
            #expect(response.status == 400 && (response.errorSentence ?? "").contains(named), "\(named): \(response.status) \(response.text)")
        }
        #expect((try await api.object("/v1/workers")["workers"] as? [Any])?.isEmpty == true)
        #expect((try await api.object("/v1/jobs")["jobs"] as? [Any])?.isEmpty == true, "no ghost job")

        #expect(try await api.call("POST", "/v1/workers", body: #"{"id":"w1","address":"http://127.0.0.1:9",\#(Self.specs)}"#).status == 201)
        let badBeats: [(String, String)] = [
            (#"{"status":"IDLE","telemetry":{"cpu_usage":-5}}"#, "cpu_usage"),
            (#"{"status":"IDLE","telemetry":{},"jobs":[{"job_id":"j","source_path":"relative.mkv","configuration":{}}]}"#, "jobs[0]: source_path"),
            (#"{"status":"IDLE","telemetry":{},"job_context":{"progress":400}}"#, "progress"),
            // Well-formed JSON that the field cannot hold: the field is named, not "not valid JSON".
            (#"{"status":"IDLE","telemetry":{"ram_free_bytes":99999999999999999999}}"#, "telemetry.ram_free_bytes"),
        ]
        for (body, named) in badBeats {
            let response = try await api.call("POST", "/v1/workers/w1/heartbeats", body: body)
            #expect(response.status == 400 && (response.errorSentence ?? "").contains(named), "\(named): \(response.status) \(response.text)")
        }
        // HTTP limits: a body over 1 MiB is 413, a method a route does not have is 405 with Allow.
        let huge = "{\"id\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
        #expect(try await api.call("POST", "/v1/workers", body: huge).status == 413)
        let trace = try await HTTPClient().send(HTTPRequest(method: "TRACE", url: orchestrator.service.baseURL + "/v1/jobs",
                                                            headers: [("Authorization", "Bearer \(WorkerHarness.token)")]))
        #expect(trace.status == 405 && trace.header("allow")?.contains("GET") == true, "\(trace.status) \(trace.header("allow") ?? "-")")
    }

    @Test func aStaleGenerationChangesNothing() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api
        let registration = #"{"id":"fenced","address":"http://127.0.0.1:9",\#(Self.specs),"jobs":[\#(Self.report("f1", generation: 3, last: 10))]}"#
        #expect(try await api.call("POST", "/v1/workers", body: registration).status == 201)
        let stale = #"{"status":"BUSY","telemetry":{},"jobs":[\#(Self.report("f1", generation: 2, last: 99, state: "failed"))]}"#
        #expect(try await api.call("POST", "/v1/workers/fenced/heartbeats", body: stale).status == 204)
        let job = try await api.object("/v1/jobs")["jobs"] as? [[String: Any]]
        let record = try #require(job?.first)
        #expect(record.int("generation") == 3 && record.int("last_segment_id") == 10 && record.string("state") == "running", "\(record)")
        let newer = #"{"status":"BUSY","telemetry":{},"jobs":[\#(Self.report("f1", generation: 3, last: 11))]}"#
        #expect(try await api.call("POST", "/v1/workers/fenced/heartbeats", body: newer).status == 204)
        #expect((try await api.object("/v1/jobs")["jobs"] as? [[String: Any]])?.first?.int("last_segment_id") == 11)
    }

    @Test func aFullFirstChoiceSendsTheJobToTheNextCapableWorker() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let media = try Sandbox("second")
        let source = try await media.makeClip(seconds: 24, size: "320x240")
        // Registered first and idle, so routing picks it first; its floor refuses every job (503).
        let full = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1",
                                                  "--media-root", media.media.path, "--min-free-space", "100000000"], id: "full")
        #expect(try await eventually { try await orchestrator.worker("full") != nil })
        let spare = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1",
                                                   "--media-root", media.media.path], id: "spare")
        #expect(try await eventually { try await orchestrator.worker("spare") != nil })
        let created = try await orchestrator.api.call("PUT", "/v1/jobs/second", body: WorkerHarness.job(source))
        #expect(created.status == 201 && created.object.string("worker_id") == "spare", "\(created.status) \(created.text)")
        _ = (full, spare)
    }

    @Test func aSourceGoneDuringAnOnDemandRestartFailsTheJobAndPlayersGet410() async throws {
        let pool = try await FailoverPool.start(workers: ["gone-1"], timeout: 45, clipSeconds: 100)
        let own = pool.media.media.appendingPathComponent("vanishing.mkv").path
        try FileManager.default.copyItem(atPath: pool.source, toPath: own)
        let created = try await pool.api.call("PUT", "/v1/jobs/vanish", body: WorkerHarness.job(own))
        #expect(created.status == 201)
        try await pool.waitForSegment("vanish", atLeast: 0)
        try FileManager.default.removeItem(atPath: own)
        // Far ahead of the encoder: the job must restart there, and cannot.
        let far = try await pool.api.call("GET", "/v1/jobs/vanish/hls/segment20.ts", timeout: .seconds(40))
        #expect([404, 410].contains(far.status), "\(far.status) \(far.text)")
        let job = try await pool.job("vanish")
        #expect(job.string("state") == "failed", "\(job)")
        #expect(try await pool.api.call("GET", "/v1/jobs/vanish/hls/segment21.ts").status == 410)
    }

    @Test func aFloodOfIdleConnectionsStopsNeitherHeartbeatsNorAnswers() async throws {
        let pool = try await FailoverPool.start(workers: [], clipSeconds: 24)
        var owned = pool
        let worker = try await WorkerHarness.start(
            ["--orchestrator", pool.orchestrator.service.baseURL, "--heartbeat-interval", "0.5", "--media-root", pool.media.media.path,
             "--max-connections", "32", "--idle-timeout", "1"], id: "flooded"
        )
        owned.workers["flooded"] = worker
        #expect(try await eventually { try await pool.orchestrator.worker("flooded") != nil })
        let port = try #require(URL(string: worker.service.baseURL)?.port)
        // A file limit the flood could fill, as 20,000 connections filled a real worker's.
        #expect(try await runProgramAsync("/usr/bin/prlimit", ["--pid", "\(worker.service.pid)", "--nofile=200:200"]).status == 0)
        // 300 connections that say nothing, held for 5 s (2.5 x the heartbeat timeout).
        var sockets: [Int32] = []
        for _ in 0..<300 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if connected == 0 { sockets.append(fd) } else { close(fd) }
        }
        defer { sockets.forEach { close($0) } }
        try await Task.sleep(for: .seconds(5))
        let view = try await pool.orchestrator.worker("flooded")
        #expect(view?.string("status") != "OFFLINE", "the flood stopped the heartbeats: \(view ?? [:])")
        let answer = try await worker.api.call("GET", "/v1/jobs", timeout: .seconds(10))
        #expect(answer.status == 200, "the flood stopped the answers")
    }
}

/// HTTP/1.0 without keep-alive: an HTTP/1.0 answer, and the connection closed after it.
@Suite struct HTTP10Tests {
    /// Sends `request` on a raw socket; returns the answer and whether the server closed.
    static func exchange(port: Int, _ request: String) async throws -> (answer: String, closed: Bool) {
        try await offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var answer = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return (String(decoding: answer, as: UTF8.self), true) }
                if n < 0 { return (String(decoding: answer, as: UTF8.self), false) }
                answer += buffer[0..<n]
            }
        }
    }

    @Test func http10IsAnsweredInKindAndTheConnectionClosed() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let port = try #require(URL(string: orchestrator.service.baseURL)?.port)
        let plain = try await Self.exchange(port: port, "GET /healthz HTTP/1.0\r\n\r\n")
        #expect(plain.answer.hasPrefix("HTTP/1.0 200") && plain.closed, "\(plain.answer.prefix(80)) closed: \(plain.closed)")
        let kept = try await Self.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(kept.answer.hasPrefix("HTTP/1.1 200") && !kept.closed, "HTTP/1.1 keeps the connection")
    }
}
