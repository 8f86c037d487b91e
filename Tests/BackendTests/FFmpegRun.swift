import TestSupport
import Foundation

/// Runs the real ffmpeg of this machine on argument arrays (no shell), for the smoke tests.
enum FFmpegRun {
    /// The ffmpeg binary, nil when this machine has none (the smoke tests are then skipped).
    static let path: String? = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile)

    /// Whether a device node exists, i.e. whether hardware might make a hardware command succeed.
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// A 3-second 320x240 H.264 + AAC clip, made once per test run.
    static let clip: String? = {
        guard path != nil, let folder = try? makeFolder() else { return nil }
        let clip = folder + "/in.mkv"
        let made = try? run([
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3", "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", clip,
        ])
        return made?.status == 0 ? clip : nil
    }()

    /// A new empty folder under the temporary directory (the HLS muxer creates none).
    static func makeFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backend-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Runs ffmpeg with `arguments`; stdout (progress) is discarded, stderr returned. Killed after 120 s.
    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let errorFile = try makeFolder() + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: (errorFile as NSString).deletingLastPathComponent) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/ffmpeg")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        // A file, not a pipe: a full pipe would block ffmpeg.
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try process.run()
        var ending = ProcessExit.wait(process, timeout: .seconds(120))
        if ending == nil {
            process.terminate()
            ending = ProcessExit.wait(process, timeout: .seconds(10))
        }
        let stderr = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        return (ending?.code ?? -1, stderr)
    }
}
