import Foundation

/// Finds FFmpeg processes that an earlier run of this worker left behind (for instance when
/// the worker was killed before the parent-death signal could act) and kills them.
enum OrphanReaper {
    /// Kills every process whose program is `ffmpeg` and whose arguments point into
    /// `transcodeRoot`. Returns the pids it killed.
    @discardableResult
    static func reap(transcodeRoot: String, ffmpeg: String) -> [Int32] {
        let ffmpegName = URL(fileURLWithPath: ffmpeg).lastPathComponent
        let me = getpid()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var killed: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != me, let args = commandLine(pid), let program = args.first else { continue }
            guard URL(fileURLWithPath: program).lastPathComponent == ffmpegName,
                  args.contains(where: { $0.hasPrefix(transcodeRoot + "/") })
            else { continue }
            if kill(pid, SIGKILL) == 0 { killed.append(pid) }
        }
        return killed
    }

    /// A process's argument vector from /proc, or nil when it is gone or unreadable.
    static func commandLine(_ pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
