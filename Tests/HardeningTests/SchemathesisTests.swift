import Foundation
import Testing
import TestSupport

/// docs/openapi.yaml and docs/openapi-worker.yaml against the real services: schemathesis
/// (PyPI) sends a bounded number of generated requests with the token and fails on any 5xx
/// but the documented 503s, on any response that does not conform to the spec, on a
/// schema-valid request refused with 400, on a schema-violating one accepted, and on a wrong
/// method not answered 405.
@Suite(.serialized)
struct SchemathesisTests {
    /// Cases per operation and phase: a few hundred requests per service, well under a minute.
    static let maxExamples = "10"

    /// Runs schemathesis on `spec` against `url`; returns its report, or nil when it passed.
    static func fuzz(spec: String, config: String, url: String) async throws -> String? {
        let tool = HardeningTools.schemathesis
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            return "schemathesis is missing (\(tool)): run scripts/setup, which installs it with scripts/setup-fuzz."
        }
        let result = try await HardeningTools.run(tool, [
            "--config-file", HardeningTools.path(config),
            "run", HardeningTools.path(spec), "--url", url,
            "-H", "Authorization: Bearer \(WorkerHarness.token)",
            "--checks", "all", "--max-examples", maxExamples, "--seed", "11", "--workers", "1",
            // Slow answers are a load matter on a shared 2-core machine, not a contract one: the
            // limit is the request timeout's, so a hang still fails.
            "--no-shrink", "--request-timeout", "25", "--max-response-time", "25", "--output-truncate", "false",
        ], environment: ["NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""], timeout: .seconds(170))
        if result.timedOut { return "schemathesis ran past 170 s:\n\(result.output.suffix(4000))" }
        guard result.status != 0 else { return nil }
        // The failures section names each request, its response, and a curl line to repeat it.
        let text = result.output
        let failures = text.range(of: "FAILURES").map { String(text[$0.lowerBound...]) } ?? text
        return String(failures.prefix(30000))
    }

    @Test("the worker answers as docs/openapi-worker.yaml says")
    func worker() async throws {
        let worker = try WorkerHarness(["--max-jobs", "2"], id: "fuzz-worker")
        defer { worker.service.stop() }
        _ = try worker.sandbox.clip(seconds: 8)
        let report = try await Self.fuzz(spec: "docs/openapi-worker.yaml", config: "Tests/HardeningTests/fuzz/worker.toml", url: worker.api.baseURL)
        #expect(report == nil, "\(report ?? "")")
        #expect(worker.service.process.isRunning, "the worker died under the fuzzer: \(worker.service.logText.suffix(3000))")
    }

    @Test("the orchestrator answers as docs/openapi.yaml says")
    func orchestrator() async throws {
        let orchestrator = try OrchestratorHarness(heartbeatTimeout: 30)
        defer { orchestrator.service.stop() }
        let worker = try WorkerHarness(["--orchestrator", orchestrator.api.baseURL, "--heartbeat-interval", "1"], id: "fuzz-worker")
        defer { worker.service.stop() }
        #expect(await eventually(timeout: .seconds(20)) { (try? await orchestrator.worker("fuzz-worker")) != nil })
        let report = try await Self.fuzz(spec: "docs/openapi.yaml", config: "Tests/HardeningTests/fuzz/orchestrator.toml", url: orchestrator.api.baseURL)
        #expect(report == nil, "\(report ?? "")")
        #expect(orchestrator.service.process.isRunning, "the orchestrator died under the fuzzer: \(orchestrator.service.logText.suffix(3000))")
    }
}
