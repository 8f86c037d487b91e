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

/// HLS segment file names: `segment<N>.ts` or, for an fMP4 job, `segment<N>.m4s`
/// (`SegmentContainer`), N the segment's sequence number.
public enum SegmentName {
    /// The file name of segment `number` in `container` (TS unless told).
    public static func of(_ number: Int, in container: SegmentContainer = .ts) -> String { container.segmentName(number) }

    /// `segment12.ts` or `segment12.m4s` -> 12; anything else -> nil.
    public static func number<S: StringProtocol>(_ name: S) -> Int? {
        SegmentContainer.allCases.lazy.compactMap { number(name, extension: $0.segmentExtension) }.first
    }

    /// `segment12.<ext>` -> 12; anything else (another extension, no digits, a sign) -> nil.
    static func number<S: StringProtocol>(_ name: S, extension ext: String) -> Int? {
        guard name.hasPrefix("segment"), name.hasSuffix("." + ext) else { return nil }
        let digits = name.dropFirst("segment".count).dropLast(ext.count + 1)
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(digits)
    }
}

/// The encoder request rule both services apply.
public enum EncoderName {
    /// Whether a requested encoder means "pick for me": absent, empty or `auto`.
    public static func isAuto(_ name: String?) -> Bool { name == nil || name == "" || name == "auto" }

    /// Whether FFmpeg names the encoder as a hardware one: `<codec>_<api>` (`h264_<api>`,
    /// `hevc_<api>`), where its software encoders are `lib*` (`libx264`). A naming rule, no
    /// list of vendors.
    public static func isHardwareNamed(_ name: String) -> Bool { !name.hasPrefix("lib") && name.contains("_") }
}

/// The `Authorization` header both services send each other.
public enum BearerHeader {
    /// `[("Authorization", "Bearer <token>")]`, or no header without a token (`--insecure-no-auth`).
    public static func fields(_ token: String?) -> [(String, String)] {
        token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }
}
