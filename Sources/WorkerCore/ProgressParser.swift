/// One finished block of FFmpeg's `-progress` output.
public struct ProgressReport: Sendable, Equatable {
    /// Seconds of output written since this run's start (`out_time_us`), nil when `N/A`.
    public var outTime: Double?
    /// Speed as `"1.8x"`, nil when FFmpeg says `N/A`.
    public var speed: String?
    /// Frames written so far.
    public var frame: Int?
    /// True on the last block (`progress=end`).
    public var isEnd: Bool
}

/// Parses FFmpeg's `-progress` protocol: `key=value` lines, each block closed by
/// `progress=continue` or `progress=end`.
///
/// Quirks handled (FFmpeg 5.1): `out_time_ms` holds microseconds like `out_time_us`;
/// `speed` is space-padded, may be `N/A` or in exponent form (`1.48e+03x`).
public struct ProgressParser: Sendable {
    private var current = [String: String]()

    /// Creates a parser.
    public init() {}

    /// Feeds one line; returns a report when the line closes a block.
    public mutating func feed(_ line: String) -> ProgressReport? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard key == "progress" else {
            current[key] = value
            return nil
        }
        defer { current = [:] }
        let micros = Int64(current["out_time_us"] ?? "") ?? Int64(current["out_time_ms"] ?? "")
        return ProgressReport(
            outTime: micros.map { max(0, Double($0) / 1_000_000) },
            speed: current["speed"].flatMap(Self.normalizeSpeed),
            frame: current["frame"].flatMap { Int($0) },
            isEnd: value == "end"
        )
    }

    /// `" 5.5x"` -> `"5.5x"`, `"1.48e+03x"` -> `"1480x"`, `"N/A"` -> nil.
    static func normalizeSpeed(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix("x") else { return nil }
        text.removeLast()
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded))x" : "\(rounded)x"
    }
}
