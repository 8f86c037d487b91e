import Foundation
import Testing
import TranscodeWire
@testable import OrchestratorCore

/// The heartbeat fast path's reader never reads a body differently from `JSONDecoder`: it
/// reads the common bodies the same, and leaves every other to `JSONDecoder` (nil).
@Suite struct HeartbeatReaderTests {
    static let common = [
        #"{"status":"IDLE","telemetry":{"cpu_usage":12.5,"gpu_usage":null,"ram_free_bytes":17179869184,"temp_c":48.0},"job_context":null}"#,
        #"{ "status" : "busy", "telemetry" : { "cpu_usage" : 99, "gpu_usage" : 3.25, "ram_free_bytes" : 0, "temp_c" : null, "gpu_temp_c" : -4.5 },"#
            + #" "job_context" : { "active_job_id" : "j-1", "progress" : 50.5, "speed" : "1.5x", "last_segment_id" : 7 }, "jobs" : [] }"#,
        #"{"status":"string","telemetry":null}"#,
        #"{"telemetry":{},"status":"STRESSED","jobs":null}"#,
        "{\"status\":\"ERROR\",\n\t\"telemetry\":{\"cpu_usage\":-0}}",
    ]
    /// Valid or not, none of these is the reader's to read.
    static let others = [
        #"{"status":"IDLE","telemetry":{"cpu_usage":1e1}}"#, #"{"status":"IDLE","telemetry":{"cpu_usage":01}}"#,
        #"{"status":"IDLE","status":"BUSY"}"#, #"{"status":"IDLE","telemetry":{"ram_free_bytes":1.5}}"#,
        #"{"status":"IDLE","extra":1}"#, #"{"telemetry":{}}"#, #"{"status":"ID\u004cE"}"#, #"{"status":"IDLE"} x"#,
        #"{"status":"IDLE","jobs":[{"job_id":"a"}]}"#, #"{"status":"IDLE","telemetry":{"cpu_usage":"12"}}"#, "",
        #"{"status":"IDLE","telemetry":{"ram_free_bytes":99999999999999999999}}"#, #"{"status":"IDLE",}"#,
        #"{"status":"ÉTAT"}"#, #"{"status":"IDLE","telemetry":{"cpu_usage":1.}}"#, #"[{"status":"IDLE"}]"#,
    ]

    static func read(_ text: String) -> Heartbeat? {
        Array(text.utf8).withUnsafeBytes { HeartbeatReader.read($0) }
    }

    @Test(arguments: common) func readsTheCommonBodiesAsJSONDecoderDoes(_ body: String) throws {
        let expected = try JSONDecoder().decode(Heartbeat.self, from: Data(body.utf8))
        #expect(Self.read(body) == expected)
    }

    @Test(arguments: others) func leavesEveryOtherBodyToJSONDecoder(_ body: String) {
        #expect(Self.read(body) == nil)
    }
}
