import Foundation

extension EnvironmentFlags {
    /// Returns `arguments` completed from the environment and then from the config file
    /// (`--config PATH`, or `TRANSCODE_CONFIG`): a flag on the command line wins over
    /// `TRANSCODE_<FLAG>`, which wins over the file. `flags` is the command's one list.
    /// Throws `ConfigFile.Refusal` for a file with an unknown key or a wrong type.
    public static func resolve(
        _ arguments: [String], flags: [FlagSpec], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String] {
        var result = merge(
            arguments,
            options: flags.filter { !$0.kind.isBoolean && !$0.kind.isRepeatable }.map(\.name),
            repeatable: flags.filter(\.kind.isRepeatable).map(\.name),
            booleans: flags.filter(\.kind.isBoolean).map(\.name),
            environment: environment
        )
        guard let path = configPath(arguments, environment: environment) else { return result }
        let file = try ConfigFile(path: path, flags: flags)
        for (name, values) in file.arguments where !result.contains(where: { $0 == "--\(name)" || $0.hasPrefix("--\(name)=") }) {
            if flags.first(where: { $0.name == name })?.kind.isBoolean == true {
                if values == ["true"] { result.append("--\(name)") }
            } else {
                for value in values { result += ["--\(name)", value] }
            }
        }
        return result
    }

    /// `--config PATH` (or `--config=PATH`) on the command line, else `TRANSCODE_CONFIG`.
    static func configPath(_ arguments: [String], environment: [String: String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--config", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--config=") { return String(argument.dropFirst("--config=".count)) }
        }
        return environment["TRANSCODE_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
