import Foundation
import Testing
import TestSupport

/// Real network partitions (`scripts/partition`): the orchestrator and two workers each in a
/// network namespace of its own, made by the harness and removed at its end. Where namespaces
/// are refused it says so and falls back to SIGSTOP/SIGCONT of the job's worker; the delay
/// case then reports itself as not run. Where the kernel has no netem, the delay and loss are
/// put on the heartbeat link by a TCP relay, and the harness says so.
@Suite(.serialized)
struct PartitionTests {
    /// What `scripts/partition` reported.
    struct Outcome {
        var ok: Bool
        var lines: [String]
        var notices: [String]
        var raw: String
    }

    static func partition(_ scenario: String) async throws -> Outcome {
        let result = try await HardeningTools.run("/usr/bin/env", [
            "python3", HardeningTools.path("scripts/partition"), "--bin-dir", ServiceProcess.binDirectory.path, "--scenario", scenario,
        ], timeout: .seconds(170))
        let lines = result.output.split(separator: "\n").map(String.init)
        let resultLine = lines.last { $0.hasPrefix("RESULT ") }
        let json = resultLine.flatMap { try? JSONSerialization.jsonObject(with: Data($0.dropFirst(7).utf8)) as? [String: Any] } ?? [:]
        let checks = lines.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") || $0.hasPrefix("info") }
        let notices = lines.filter { $0.hasPrefix("NOTICE") }
        for line in notices + checks { print("partition: \(line)") }
        return Outcome(ok: !result.timedOut && result.status == 0 && (json["ok"] as? Bool) == true, lines: checks, notices: notices, raw: String(result.output.suffix(6000)))
    }

    @Test("a cut link: the job moves, and after healing one FFmpeg encodes it and nothing is lost")
    func cut() async throws {
        let outcome = try await Self.partition("cut")
        #expect(outcome.ok, "\(outcome.raw)")
        #expect(outcome.lines.contains { $0.hasPrefix("PASS") && $0.contains("exactly one FFmpeg") }, "\(outcome.raw)")
    }

    @Test("200 ms delay and 5 % loss on the heartbeat links: no worker falsely OFFLINE")
    func delay() async throws {
        let outcome = try await Self.partition("delay")
        #expect(outcome.ok, "\(outcome.raw)")
        // Without namespaces the delay case cannot run; it must say so, never pass silently.
        #expect(outcome.lines.contains { $0.hasPrefix("PASS") } || outcome.notices.contains { $0.contains("not run") }, "\(outcome.raw)")
    }
}
