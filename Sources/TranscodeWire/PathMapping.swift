/// One `--path-map FROM=TO` of a worker: a source path as the orchestrator names it (on the
/// NAS, say `/nas/movies`) and where this worker mounts the same folder (`/mnt/movies`).
/// Registration and `hwdetect` report them as `{"from": ..., "to": ...}`.
public struct PathMapping: Codable, Sendable, Equatable {
    /// The folder as job requests name it, without a trailing `/`.
    public var from: String
    /// The same folder on this worker, without a trailing `/`.
    public var to: String

    /// Creates a mapping; trailing slashes are dropped (`/` stays `/`).
    public init(from: String, to: String) {
        self.from = Self.trimmed(from)
        self.to = Self.trimmed(to)
    }

    /// Why a `--path-map` value was refused.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// The sentence.
        public let description: String
    }

    /// Reads `FROM=TO`. Both must be absolute; the split is at the first `=` followed by `/`,
    /// so a FROM may itself contain `=`. FROM may not use `.` or `..`.
    public init(parsing text: String) throws {
        let split = text.indices.first { text[$0] == "=" && text[text.index(after: $0)...].hasPrefix("/") }
        guard let split, text.hasPrefix("/") else {
            throw Refusal(description: "--path-map '\(text)' must be FROM=TO with two absolute paths, e.g. /nas/movies=/mnt/movies.")
        }
        let from = String(text[..<split])
        let to = String(text[text.index(after: split)...])
        guard !Self.components(from).contains(where: { $0 == "." || $0 == ".." }) else {
            throw Refusal(description: "--path-map '\(text)': FROM must not use '.' or '..'.")
        }
        self.init(from: from, to: to)
    }

    /// `path` with FROM replaced by TO, or nil when FROM does not cover it. Matching is by
    /// whole components: `/nas/movies` covers `/nas/movies/a.mkv` and `/nas//movies/a.mkv`,
    /// never `/nas/movies2/a.mkv`.
    public func apply(to path: String) -> String? {
        let prefix = Self.components(from)
        let parts = Self.components(path)
        guard parts.count >= prefix.count, Array(parts.prefix(prefix.count)) == prefix else { return nil }
        let rest = parts.dropFirst(prefix.count).joined(separator: "/")
        if rest.isEmpty { return to }
        return (to == "/" ? "" : to) + "/" + rest
    }

    /// `FROM=TO`, as given on the command line.
    public var flag: String { "\(from)=\(to)" }

    /// The mapping that applies to `path`: the one with the longest FROM that covers it.
    public static func best(for path: String, in mappings: [PathMapping]) -> (mapping: PathMapping, mapped: String)? {
        mappings.compactMap { mapping in mapping.apply(to: path).map { (mapping, $0) } }
            .max { components($0.mapping.from).count < components($1.mapping.from).count }
    }

    /// Refuses a list in which two mappings share one FROM (which one wins would be a guess).
    public static func checkUnique(_ mappings: [PathMapping]) throws {
        var seen: Set<[String]> = []
        for mapping in mappings where !seen.insert(components(mapping.from)).inserted {
            throw Refusal(description: "--path-map maps \(mapping.from) twice; give each FROM once.")
        }
    }

    /// The non-empty components of a path, `.` left out (`//a/./b/` -> `["a", "b"]`).
    static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
