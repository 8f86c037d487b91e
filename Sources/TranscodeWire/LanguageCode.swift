/// ISO 639-2 language codes as files tag them: either the bibliographic or the terminology
/// spelling (`fre`/`fra`, `ger`/`deu`) means the same language.
public enum LanguageCode {
    static let bibliographic: [String: String] = [
        "fre": "fra", "ger": "deu", "chi": "zho", "cze": "ces", "dut": "nld", "gre": "ell", "per": "fas", "rum": "ron",
        "slo": "slk", "alb": "sqi", "arm": "hye", "baq": "eus", "bur": "mya", "geo": "kat", "ice": "isl", "mac": "mkd",
        "mao": "mri", "may": "msa", "tib": "bod", "wel": "cym",
    ]

    /// The terminology spelling of a code, lower-cased (`FRE` -> `fra`).
    public static func canonical(_ code: String) -> String {
        let lower = code.lowercased()
        return bibliographic[lower] ?? lower
    }

    /// Whether a track's tag is the asked language.
    public static func matches(_ tag: String?, _ asked: String) -> Bool {
        guard let tag else { return false }
        return canonical(tag) == canonical(asked)
    }
}
