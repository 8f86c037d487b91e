import Foundation

/// Where the players live: Debian's chromium and mpv, Playwright in the project's
/// `.venv-players` (both installed by `scripts/setup`), and the driver next to this file.
enum PlayerTools {
    /// `Tests/PlayerTests/players`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("players")
    /// The repository root.
    static let root = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The Python that has Playwright.
    static var python: String {
        ProcessInfo.processInfo.environment["TRANSCODE_PLAYERS_PYTHON"] ?? root.appendingPathComponent(".venv-players/bin/python").path
    }
    /// The Chromium driver script.
    static var driver: String { folder.appendingPathComponent("play.py").path }
    /// The mpv script that logs the playback position once a second.
    static var positionScript: String { folder.appendingPathComponent("position.lua").path }
    /// Debian's Chromium binary (Playwright cannot download its own here).
    static let chromium = ProcessInfo.processInfo.environment["TRANSCODE_CHROMIUM"] ?? "/usr/lib/chromium/chromium"
    /// mpv, wherever apt put it.
    static let mpv = ["/usr/bin/mpv", "/usr/local/bin/mpv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the players cannot run here, or nil. A missing player fails the test (with this
    /// sentence) rather than skipping it: `scripts/test` installs them.
    static var missing: String? {
        var gone: [String] = []
        if !FileManager.default.isExecutableFile(atPath: python) { gone.append("Playwright's virtualenv (\(python))") }
        if !FileManager.default.isExecutableFile(atPath: chromium) { gone.append("chromium (\(chromium))") }
        if mpv == nil { gone.append("mpv") }
        return gone.isEmpty ? nil : "Missing \(gone.joined(separator: ", ")): run scripts/setup, which installs them."
    }
}
