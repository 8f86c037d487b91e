/// The job id rule both services apply.
public enum JobID {
    /// The rule, for error sentences.
    public static let rule = "job_id must be 1 to 128 letters, digits, '.', '_' or '-'"

    /// Letters, digits, `.`, `_`, `-` (ASCII), 1 to 128 of them, not `.` or `..`: safe as a
    /// folder name and in a URL path.
    public static func isSafe(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id != "." && id != ".."
            && id.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}

/// HLS segment file names: `segment<N>.ts`, N the segment's sequence number.
public enum SegmentName {
    /// The file name of segment `number`.
    public static func of(_ number: Int) -> String { "segment\(number).ts" }

    /// `segment12.ts` -> 12; anything else -> nil.
    public static func number<S: StringProtocol>(_ name: S) -> Int? {
        guard name.hasPrefix("segment"), name.hasSuffix(".ts") else { return nil }
        return Int(name.dropFirst("segment".count).dropLast(3))
    }
}

/// The encoder request rule both services apply.
public enum EncoderName {
    /// Whether a requested encoder means "pick for me": absent, empty or `auto`.
    public static func isAuto(_ name: String?) -> Bool { name == nil || name == "" || name == "auto" }
}

/// The `Authorization` header both services send each other.
public enum BearerHeader {
    /// `[("Authorization", "Bearer <token>")]`, or no header without a token (`--insecure-no-auth`).
    public static func fields(_ token: String?) -> [(String, String)] {
        token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }
}
