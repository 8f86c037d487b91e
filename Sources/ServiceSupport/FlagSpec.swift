/// One flag of a command and the kind of value it takes: the single list from which the
/// environment (`TRANSCODE_<FLAG>`) and the config file (`--config`) are read.
public struct FlagSpec: Sendable, Equatable {
    /// What a flag's value is.
    public struct Kind: Sendable, Equatable {
        fileprivate enum Value: Sendable, Equatable { case string, integer, number, boolean, strings }
        fileprivate let value: Value

        /// Text (`--host 0.0.0.0`).
        public static let string = Kind(value: .string)
        /// A whole number (`--port 8700`).
        public static let integer = Kind(value: .integer)
        /// A number, whole or not (`--heartbeat-timeout 4.5`).
        public static let number = Kind(value: .number)
        /// A switch that is on when present (`--insecure-no-auth`).
        public static let boolean = Kind(value: .boolean)
        /// A repeatable flag (`--media-root /a --media-root /b`).
        public static let strings = Kind(value: .strings)

        /// How a person would name what a value of this kind must be.
        public var expected: String {
            switch value {
            case .string: "a string in quotes"
            case .integer: "a whole number"
            case .number: "a number"
            case .boolean: "true or false"
            case .strings: "a list of strings, [\"...\", ...]"
            }
        }

        var isBoolean: Bool { value == .boolean }
        var isRepeatable: Bool { value == .strings }
    }

    /// The flag's name without dashes (`heartbeat-timeout`).
    public var name: String
    /// What its value is.
    public var kind: Kind

    /// Creates a spec.
    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
