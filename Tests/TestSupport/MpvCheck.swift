import Foundation

/// mpv as a judge of HLS that a test wrote or fetched: the log lines that mean a viewer saw a
/// glitch, and a bounded headless run over a playlist on disk as fast as it decodes.
public enum MpvCheck {
    /// mpv, where Debian puts it.
    public static let path = ["/usr/bin/mpv", "/usr/local/bin/mpv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What mpv logs at a timestamp glitch, a broken packet or an HTTP error.
    public static let patterns = [
        "Packet corrupt", "Invalid video timestamp", "Invalid audio PTS", "non monotonically increasing", "non-monotonic",
        "HTTP error", "Server returned", "Failed to open segment", "Failed to reload playlist",
    ]

    /// The offending lines of a verbose mpv log.
    public static func problems(in lines: [String]) -> [String] {
        lines.filter { line in
            patterns.contains { line.localizedCaseInsensitiveContains($0) }
                || line.range(of: #"Invalid [^:]*timestamp"#, options: [.regularExpression, .caseInsensitive]) != nil
        }
    }

    /// What one untimed play of a playlist gave.
    public struct Play: Sendable {
        public var status: Int32
        public var log: [String]
        /// mpv reached the end of the playlist (not an error or a timeout).
        public var reachedEnd: Bool { status == 0 && log.contains { $0.contains("Exiting... (End of file)") } }
        public var problems: [String] { MpvCheck.problems(in: log) }
    }

    /// Plays `playlist` headless and untimed (no audio or video device, no waiting for the
    /// clock), verbose, within `timeout` seconds.
    public static func play(_ playlist: String, timeout: Int = 60) async throws -> Play {
        guard let mpv = path else { throw Clips.ClipError(message: "mpv is not installed (scripts/setup-players installs it)") }
        let result = try await runProgramAsync("/usr/bin/timeout", [
            "\(timeout)", mpv, "--no-config", "--vo=null", "--ao=null", "--ao-null-untimed", "--untimed", "--msg-level=all=v", playlist,
        ])
        return Play(status: result.status, log: (result.stdout + "\n" + result.stderr).split(separator: "\n").map(String.init))
    }
}
