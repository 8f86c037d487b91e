import Foundation

/// A `/metrics` reply read by a real Prometheus text parser: `prometheus_client` from PyPI, in
/// the project's `.venv-players` (scripts/setup-players installs it).
public struct PrometheusText: Sendable {
    /// One sample: metric name, labels, value.
    public struct Sample: Decodable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double?
    }

    /// One metric family: its type (`counter`, `gauge`, `histogram`, ...) and samples.
    public struct Family: Decodable, Sendable {
        public var type: String
        public var samples: [Sample]
    }

    /// Families by name (prometheus_client names a counter family without `_total`).
    public let families: [String: Family]

    /// The Python that has prometheus_client.
    public static var python: String {
        ProcessInfo.processInfo.environment["TRANSCODE_PLAYERS_PYTHON"]
            ?? repositoryRoot.appendingPathComponent(".venv-players/bin/python").path
    }

    /// The repository root (this file is Tests/TestSupport/PrometheusText.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static let script = """
    import json, math, sys
    from prometheus_client.parser import text_string_to_metric_families
    out = {}
    for family in text_string_to_metric_families(open(sys.argv[1]).read()):
        out[family.name] = {"type": family.type, "samples": [
            {"name": s.name, "labels": s.labels, "value": None if math.isnan(s.value) else s.value} for s in family.samples]}
    print(json.dumps(out))
    """

    /// Parses `text`; throws with the parser's own message when it refuses it.
    public init(parsing text: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await runProgramAsync(Self.python, ["-c", Self.script, file.path])
        guard result.status == 0 else { throw ParseError(message: "prometheus_client refused the text: \(result.stderr)") }
        families = try JSONDecoder().decode([String: Family].self, from: Data(result.stdout.utf8))
    }

    /// The value of the sample `name` whose labels include `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.values.lazy.flatMap(\.samples).first { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }

    /// Why the text could not be parsed.
    public struct ParseError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
