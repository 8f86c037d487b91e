import Foundation

/// Fills in flags from `TRANSCODE_<FLAG>` environment variables; a flag on the command line wins.
public enum EnvironmentFlags {
    /// Returns `arguments` with `--name value` appended for every listed flag that is absent
    /// from the command line but set in the environment. Repeatable flags take a
    /// colon-separated list (e.g. `TRANSCODE_MEDIA_ROOT=/a:/b`); boolean flags take `1`/`true`.
    public static func merge(
        _ arguments: [String], options: [String], repeatable: [String] = [], booleans: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var result = arguments
        func present(_ name: String) -> Bool {
            arguments.contains { $0 == "--\(name)" || $0.hasPrefix("--\(name)=") }
        }
        func variable(_ name: String) -> String? {
            let key = "TRANSCODE_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            return environment[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        for name in options where !present(name) {
            if let value = variable(name) { result += ["--\(name)", value] }
        }
        for name in repeatable where !present(name) {
            for value in variable(name)?.split(separator: ":") ?? [] { result += ["--\(name)", String(value)] }
        }
        for name in booleans where !present(name) {
            if let value = variable(name), ["1", "true", "yes"].contains(value.lowercased()) { result.append("--\(name)") }
        }
        return result
    }
}
