/// Parses the seed's `seek_time`: `HH:MM:SS` or `HH:MM:SS.fff`.
public enum SeekTime {
    /// Seconds, or nil when the text is not of that form (minutes and seconds below 60).
    public static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts[0].count >= 1, parts[0].count <= 3, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
              parts[1].count == 2, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60
        else { return nil }
        let secondsText = parts[2]
        let whole = secondsText.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard whole[0].count == 2, whole[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              let seconds = Int(whole[0]), seconds < 60
        else { return nil }
        var fraction = 0.0
        if whole.count == 2 {
            guard (1...3).contains(whole[1].count), whole[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Double("0." + whole[1])
            else { return nil }
            fraction = value
        }
        return Double(hours * 3600 + minutes * 60 + seconds) + fraction
    }

    /// Formats seconds as `HH:MM:SS` (whole seconds, rounded down).
    public static func format(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(h)):\(two(m)):\(two(s))"
    }
}
