import Foundation
import Testing
import TestSupport

/// The seed's three worker-to-orchestrator examples, byte for byte from
/// `shared/seed/endpoint-map.md` (comments and all), with the braces it leaves open closed.
enum SeedPayloads {
    static let registration = #"""
   {
    "id": "string",            // "fedora-desktop-01"
    "static_specs": {
      "cpu_model": "string",
      "total_threads": 16,
      "hardware_acceleration": ["nvenc", "vaapi", "cuda"] // List of APIs
    }
  }
"""#

    static let heartbeat = #"""
  {
  "status": "string",        // IDLE, BUSY, STRESSED, ERROR
  "telemetry": {
    "cpu_usage": 45.2,       // %
    "gpu_usage": 12.0,       // %
    "ram_free_bytes": 1024,  // Real-time memory pressure
    "temp_c": 65.0           // Thermal health
  },
  "job_context": {
    "active_job_id": "string", 
    "progress": 15.4,        // % of movie completed
    "speed": "1.8x",         // Transcode speed vs play time
    "last_segment_id": 402   // Sequence number of the latest .ts file
  }
  }
"""#

    static let deathNote = #"""
   {
    "status": "OFFLINE",
    "reason": "SHUTDOWN"
  }
  """#
}

@Suite struct SeedPayloadTests {
    @Test func theOrchestratorAcceptsTheSeedsExamplesAsWritten() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let api = orchestrator.api

        let registered = try await api.call("POST", "/v1/workers", body: SeedPayloads.registration)
        #expect(registered.status == 201, "\(registered.text)")
        #expect(registered.object["id"] as? String == "string")
        // A seed-only worker offers libx264 plus its API families' encoders.
        let encoders = registered.object["encoders"] as? [String] ?? []
        #expect(encoders.contains("h264_nvenc") && encoders.contains("hevc_vaapi") && encoders.contains("libx264"))

        let beat = try await api.call("POST", "/v1/workers/string/heartbeats", body: SeedPayloads.heartbeat)
        #expect(beat.status == 204, "\(beat.text)")
        let afterBeat = try await api.object("/v1/workers/string")
        let telemetry = afterBeat["telemetry"] as? [String: Any]
        #expect(telemetry?["cpu_usage"] as? Double == 45.2)
        #expect(telemetry?["ram_free_bytes"] as? Int == 1024)
        #expect((afterBeat["job_context"] as? [String: Any])?["last_segment_id"] as? Int == 402)

        let note = try await api.call("PATCH", "/v1/workers/string", body: SeedPayloads.deathNote)
        #expect(note.status == 200, "\(note.text)")
        let afterNote = try await api.object("/v1/workers/string")
        #expect(afterNote["status"] as? String == "OFFLINE")
        #expect(afterNote["reason"] as? String == "SHUTDOWN")
    }

    @Test func aHeartbeatFromAnUnknownWorkerIs404() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let beat = try await orchestrator.api.call("POST", "/v1/workers/nobody/heartbeats", body: SeedPayloads.heartbeat)
        #expect(beat.status == 404)
        #expect(beat.object["error"] as? String != nil)
    }

    @Test func aReportedPathThatStartsWithSlashAndACombiningCharacterIsAbsolute() async throws {
        // "/" + U+1F3FB (an emoji modifier) is one Swift Character, which is not "/": found by schemathesis.
        let orchestrator = try await OrchestratorHarness.start()
        let body = #"{"id":"odd","static_specs":{"cpu_model":"x","total_threads":2,"hardware_acceleration":[]},"jobs":[{"job_id":"odd-1","source_path":"/\ud83c\udffbfilm.mkv","configuration":{},"state":"failed"}]}"#
        let registered = try await orchestrator.api.call("POST", "/v1/workers", body: body)
        #expect(registered.status == 201, "\(registered.status) \(registered.text)")
    }
}
