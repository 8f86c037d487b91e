import Foundation

/// Finding programs (ffmpeg, ffprobe) to run without a shell.
public enum Executable {
    /// `name` as given when it is a path, else the first executable of that name on PATH; nil when none.
    public static func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
