import Foundation
import TOMLKit

/// A service's config file (`--config PATH`, TOML): one key per flag, named as the flag
/// (`heartbeat-timeout = 45`; `heartbeat_timeout` is read the same), each of the flag's kind.
/// An unknown key or a value of the wrong kind is refused with a sentence naming the file,
/// the key and what was expected.
public struct ConfigFile: Sendable {
    /// The flags it sets, as command-line arguments (`--port`, `8700`, ...), in file order
    /// of the flag list.
    public let arguments: [(name: String, values: [String])]

    /// Why a config file was refused.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// The sentence.
        public let description: String
    }

    /// Reads and checks `path` against the command's flags.
    public init(path: String, flags: [FlagSpec]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Refusal(description: "Config file \(path) cannot be read: it does not exist or is not readable.")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path, flags: flags)
    }

    /// Checks `text`, read from `file`, against the command's flags.
    public init(text: String, file: String, flags: [FlagSpec]) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw Refusal(description: "Config file \(file) is not valid TOML (line \(at.line), column \(at.column)): \(error.description).")
        }
        var found: [String: [String]] = [:]
        for key in table.keys.sorted() {
            let name = key.replacingOccurrences(of: "_", with: "-")
            guard name != "config", let flag = flags.first(where: { $0.name == name }), let value = table[key] else {
                let known = flags.map(\.name).joined(separator: ", ")
                throw Refusal(description: "Config file \(file): unknown key '\(key)'; the keys are the flags: \(known).")
            }
            guard let values = Self.values(value, kind: flag.kind) else {
                throw Refusal(description: "Config file \(file): key '\(key)' must be \(flag.kind.expected), not \(value.type).")
            }
            found[name] = values
        }
        arguments = flags.compactMap { flag in found[flag.name].map { (flag.name, $0) } }
    }

    /// The value as flag arguments, or nil when it is not of the flag's kind. A boolean is
    /// `"true"` or `"false"`.
    static func values(_ value: any TOMLValueConvertible, kind: FlagSpec.Kind) -> [String]? {
        switch kind {
        case .string: return value.string.map { [$0] }
        case .integer: return value.int.map { [String($0)] }
        case .number: return value.int.map { [String($0)] } ?? value.double.map { [String($0)] }
        case .boolean: return value.bool.map { [$0 ? "true" : "false"] }
        default:
            guard let array = value.array else { return nil }
            let strings = array.compactMap(\.string)
            return strings.count == array.count ? strings : nil
        }
    }
}
