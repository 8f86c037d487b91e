import Foundation
import Logging
import ServiceSupport
import Testing
import TestSupport
import TranscodeWire
@testable import OrchestratorCore

/// The event loops answer a registered worker's plain heartbeat at once and leave it in the
/// pool's inbox (issue 20). Whatever the pool reads or changes next must already hold it: no
/// listing, routing, death note or sweep may see a heartbeat older than one already answered.
@Suite struct HeartbeatInboxTests {
    static func beat(_ status: WorkerStatus, cpu: Double, jobs: [WorkerJob]? = nil) -> Heartbeat {
        Heartbeat(status: status, telemetry: Telemetry(cpuUsage: cpu, gpuUsage: nil, ramFreeBytes: 1, tempC: nil), jobContext: nil, jobs: jobs)
    }

    static func registration(_ id: String) -> String {
        #"{"id":"\#(id)","address":"http://127.0.0.1:9","static_specs":{"cpu_model":"x","total_threads":2,"hardware_acceleration":[]}}"#
    }

    @Test func onlyARegisteredWorkersReportOfNoJobIsLeft() throws {
        let inbox = HeartbeatInbox()
        #expect(!inbox.leave("w", Self.beat(.idle, cpu: 1), at: .now), "an unknown id goes to the pool, which answers 404")
        inbox.admit("w")
        #expect(inbox.take() == nil)
        #expect(inbox.leave("w", Self.beat(.idle, cpu: 1), at: .now))
        #expect(inbox.leave("w", Self.beat(.busy, cpu: 2, jobs: []), at: .now), "an empty job list is still a plain report")
        let job = try JSONDecoder().decode(WorkerJob.self, from: Data(#"{"job_id":"j","source_path":"/m/a.mkv","configuration":{}}"#.utf8))
        #expect(!inbox.leave("w", Self.beat(.busy, cpu: 3, jobs: [job]), at: .now), "a report of jobs goes to the pool itself")
        let left = inbox.take()
        #expect(left?.count == 1 && left?["w"]?.beat.telemetry.cpuUsage == 2, "only the last report is kept: \(String(describing: left))")
        #expect(inbox.take() == nil, "taken once")
    }

    @Test func whatThePoolReadsNextHoldsEveryLeftReport() async throws {
        let pool = Pool(settings: OrchestratorSettings(), logger: Logger(label: "test"))
        _ = await pool.register(try JSONDecoder().decode(Registration.self, from: Data(Self.registration("w").utf8)), remoteHost: nil)
        for n in 1...20 {
            let status: WorkerStatus = n.isMultiple(of: 2) ? .stressed : .idle
            let at = ContinuousClock.now
            #expect(pool.inbox.leave("w", Self.beat(status, cpu: Double(n)), at: at))
            let record = try #require(await pool.worker("w"))
            #expect(record.status == status && record.telemetry?.cpuUsage == Double(n) && record.lastHeartbeat == at)
        }
        // A death note after a left report: the note is the last word.
        #expect(pool.inbox.leave("w", Self.beat(.idle, cpu: 30), at: .now))
        try await pool.deathNote("w", DeathNote(status: .offline, reason: "shutting down"))
        #expect(await pool.worker("w")?.status == .offline)
        // A report left before the sweep's deadline keeps the worker; none since, and it is swept.
        #expect(pool.inbox.leave("w", Self.beat(.idle, cpu: 31), at: .now))
        #expect(await pool.sweep(now: .now).isEmpty)
        #expect(await pool.worker("w")?.status == .idle)
        #expect(pool.inbox.leave("w", Self.beat(.idle, cpu: 32), at: .now - .seconds(3600)))
        #expect(await pool.sweep(now: .now) == ["w"], "the left report's own time counts, not when it was taken in")
    }

    @Test func everyAnsweredHeartbeatIsInTheNextAnswerOverHTTP() async throws {
        let orchestrator = try OrchestratorHarness()
        let api = orchestrator.api
        let ids = (1...4).map { "inbox-\($0)" }
        for id in ids {
            #expect(try await api.call("POST", "/v1/workers", body: Self.registration(id)).status == 201)
        }
        #expect(try await api.call("POST", "/v1/workers/nobody/heartbeats", body: SeedPayloads.heartbeat).status == 404)
        // Four workers at once, each reading back its own last report after every 204.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    for n in 1...25 {
                        let status = n.isMultiple(of: 3) ? "STRESSED" : "IDLE"
                        let body = #"{"status":"\#(status)","telemetry":{"cpu_usage":\#(n),"gpu_usage":null,"ram_free_bytes":1,"temp_c":null},"job_context":null}"#
                        let answer = try await api.call("POST", "/v1/workers/\(id)/heartbeats", body: body)
                        #expect(answer.status == 204, "\(answer.text)")
                        let view = try #require(try await orchestrator.worker(id))
                        let cpu = (view["telemetry"] as? [String: Any])?["cpu_usage"] as? Double
                        #expect(view["status"] as? String == status && cpu == Double(n), "\(id) #\(n): \(view)")
                    }
                }
            }
            try await group.waitForAll()
        }
        // The listing holds them too, and the death note that follows a heartbeat wins.
        #expect(try await api.call("POST", "/v1/workers/inbox-1/heartbeats", body: SeedPayloads.heartbeat).status == 204)
        #expect(try await api.call("PATCH", "/v1/workers/inbox-1", body: #"{"status":"OFFLINE","reason":"bye"}"#).status == 200)
        let listed = try #require(try await api.object("/v1/workers")["workers"] as? [[String: Any]])
        #expect(listed.first { $0["id"] as? String == "inbox-1" }?["status"] as? String == "OFFLINE")
        #expect(listed.first { $0["id"] as? String == "inbox-4" }?["status"] as? String == "IDLE")
    }
}
