import Foundation
import Testing
import TestSupport

/// Registration, heartbeats, the death note and liveness, with real processes.
@Suite struct LifecycleTests {
    @Test func heartbeatsComeAtTheIntervalWithPlausibleTelemetry() async throws {
        let beats404 = Shared(0)
        // An orchestrator that only records: the first heartbeat is answered 404, as a
        // restarted orchestrator would, so the worker must register again.
        let fake = try await FakeServer.start { request in
            if request.path.hasSuffix("/heartbeats") {
                let first = beats404.withLock { count -> Bool in count += 1; return count == 1 }
                return first ? (404, #"{"error":"unknown"}"#) : (204, "")
            }
            return (201, "{}")
        }
        let worker = try await WorkerHarness.start(["--orchestrator", fake.baseURL, "--heartbeat-interval", "1"], id: "beating")
        let enough = await eventually(timeout: .seconds(20)) { fake.requests.filter { $0.path.hasSuffix("/heartbeats") }.count >= 5 }
        #expect(enough, "\(worker.service.logText)")

        let registrations = fake.requests.filter { $0.path == "/v1/workers" }
        #expect(registrations.count >= 2, "a 404 heartbeat must lead to a new registration")
        let registration = try #require(registrations.first).object
        #expect(registration["id"] as? String == "beating")
        let specs = try #require(registration["static_specs"] as? [String: Any])
        #expect((specs["encoders"] as? [String])?.contains("libx264") == true)
        #expect((specs["total_threads"] as? Int ?? 0) >= 1)
        #expect((registration["address"] as? String) == worker.service.baseURL)

        let beats = fake.requests.filter { $0.path == "/v1/workers/beating/heartbeats" }
        let gaps = zip(beats.dropFirst(), beats).map { pair in
            let d = pair.0.at - pair.1.at
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        // The first gap spans the re-registration; the rest follow the 1 s interval: never
        // faster, and typically on time (the median; a loaded machine delays a few).
        let steady = gaps.dropFirst().sorted()
        #expect((steady.first ?? 0) > 0.7, "heartbeats come no faster than the interval: \(steady)")
        #expect(steady.count >= 3 && steady[steady.count / 2] < 1.8, "heartbeats come about every second: \(steady)")
        for beat in beats {
            let body = beat.object
            #expect(OrchestratorHarness.liveWithoutJobs.contains(body["status"] as? String ?? ""), "no job: IDLE (or STRESSED on a saturated machine)")
            let telemetry = try #require(body["telemetry"] as? [String: Any])
            let cpu = try #require(telemetry["cpu_usage"] as? Double)
            #expect(cpu >= 0 && cpu <= 100)
            #expect((telemetry["ram_free_bytes"] as? Int64 ?? 0) > 0)
            #expect(telemetry.keys.contains("gpu_usage"), "unknown values are sent as null, not left out")
            #expect(body.keys.contains("job_context"))
        }
    }

    @Test func deathNoteAndTimeoutMarkWorkersOffline() async throws {
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: 2)
        let flags = ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5"]
        let polite = try await WorkerHarness.start(flags, id: "polite")
        let doomed = try await WorkerHarness.start(flags, id: "doomed")
        let bothLive = try await eventually {
            let a = try await orchestrator.worker("polite")?["status"] as? String
            let b = try await orchestrator.worker("doomed")?["status"] as? String
            return [a, b].allSatisfy { OrchestratorHarness.liveWithoutJobs.contains($0 ?? "") }
        }
        #expect(bothLive)

        // SIGTERM: the death note arrives at once, long before the timeout.
        let exit = await polite.service.stopped(signal: SIGTERM)
        #expect(exit == 0)
        let noted = try await orchestrator.worker("polite")
        #expect(noted?["status"] as? String == "OFFLINE")
        #expect(noted?["reason"] as? String == "SHUTDOWN")

        // SIGKILL: no note; the heartbeat timeout (2 s) marks it.
        _ = await doomed.service.stopped(signal: SIGKILL)
        // The bound is the timeout plus the sweep period plus slack for a loaded machine.
        let timedOut = try await eventually(timeout: .seconds(8)) {
            try await orchestrator.worker("doomed")?["status"] as? String == "OFFLINE"
        }
        #expect(timedOut)
        #expect((try await orchestrator.worker("doomed")?["reason"] as? String)?.contains("heartbeat") == true)
    }

    @Test func aRestartedOrchestratorGetsReRegistrationsWithinOneInterval() async throws {
        let first = try await OrchestratorHarness.start()
        let port = first.service.port
        let worker = try await WorkerHarness.start(["--orchestrator", first.service.baseURL, "--heartbeat-interval", "1"], id: "loyal")
        #expect(try await eventually { try await first.worker("loyal") != nil })
        _ = await first.service.stopped(signal: SIGKILL)

        let second = try await OrchestratorHarness.start(port: port)
        let restartedAt = ContinuousClock.now
        let back = try await eventually(timeout: .seconds(10)) {
            OrchestratorHarness.liveWithoutJobs.contains(try await second.worker("loyal")?["status"] as? String ?? "")
        }
        #expect(back, "\(worker.service.logText)")
        // One interval (1 s) for the heartbeat that meets the 404, plus the registration
        // itself; generous, since this machine is shared.
        #expect(ContinuousClock.now - restartedAt < .seconds(5))
    }
}

@Suite struct FatalErrorTests {
    @Test func aWorkerThatCannotServeSendsADeathNoteSayingWhy() async throws {
        let fake = try await FakeServer.start { _ in (201, "{}") }
        let sandbox = try Sandbox("fatal")
        // Its port is taken (by the fake orchestrator itself): the HTTP server cannot bind.
        let result = try await runProgramAsync(ServiceProcess.binDirectory.appendingPathComponent("transcode-worker").path, [
            "--id", "unlucky", "--host", "127.0.0.1", "--port", "\(fake.port)", "--orchestrator", fake.baseURL,
            "--media-root", sandbox.media.path, "--transcode-root", sandbox.transcode.path, "--token", WorkerHarness.token,
        ])
        #expect(result.status != 0)
        let note = try #require(fake.requests.last { $0.method == "PATCH" && $0.path == "/v1/workers/unlucky" })
        #expect(note.object["status"] as? String == "OFFLINE")
        #expect((note.object["reason"] as? String ?? "").hasPrefix("FATAL"), "\(note.object)")
    }
}
