import Foundation

/// The start-up questions a media server asks its FFmpeg (`-version`, `-encoders`,
/// `-hwaccels`, ...): the local FFmpeg's text is the frame, and where the pool changes the
/// answer (its encoders, its hardware) the pool's word goes in.
public enum Queries {
    /// Whether argv is one of these questions and nothing else (no input, no output).
    public static func isQuery(_ args: FFmpegArguments) -> Bool {
        args.inputs.isEmpty && args.outputs.isEmpty
    }

    /// `-encoders` text: the local list, with video encoders only where a live worker offers
    /// them, and lines for pool encoders the local build lacks. Audio and subtitle encoders
    /// stay (the pool's workers have FFmpeg too).
    public static func encoders(localText: String, pool: Set<String>) -> String {
        var lines = localText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var listed = Set<String>()
        lines = lines.filter { line in
            guard let (flags, name) = encoderLine(line) else { return true }
            listed.insert(name)
            return !flags.hasPrefix("V") || pool.contains(name)
        }
        let missing = pool.subtracting(listed).sorted()
        if let last = lines.lastIndex(where: { !$0.isEmpty }) {
            lines.insert(contentsOf: missing.map { " V....D \($0.padding(toLength: 20, withPad: " ", startingAt: 0)) \($0) (on the transcode pool)" }, at: last + 1)
        }
        return lines.joined(separator: "\n")
    }

    /// `-hwaccels` text: the local list plus the pool's hardware families.
    public static func hwaccels(localText: String, families: Set<String>) -> String {
        var lines = localText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let present = Set(lines.map { $0.trimmingCharacters(in: .whitespaces) })
        let extra = families.subtracting(present).sorted()
        if let last = lines.lastIndex(where: { !$0.isEmpty }) { lines.insert(contentsOf: extra, at: last + 1) }
        return lines.joined(separator: "\n")
    }

    /// ` V....D libx264  libx264 H.264 ...` -> (`V....D`, `libx264`); header lines -> nil.
    static func encoderLine(_ line: String) -> (flags: String, name: String)? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 2, words[0].count == 6, let kind = words[0].first, "VAS".contains(kind),
              words[0].dropFirst().allSatisfy({ $0 == "." || $0.isLetter }), !words[1].hasPrefix("=")
        else { return nil }
        return (String(words[0]), String(words[1]))
    }
}
