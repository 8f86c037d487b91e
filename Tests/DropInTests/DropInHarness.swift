import Foundation
import Testing
import TestSupport

/// An orchestrator and a worker on 127.0.0.1 with the test film, and a way to run
/// `transcode-ffmpeg` against them as a media server would: argv only, configuration from
/// `TRANSCODE_*`, stdin open.
struct DropInPool: Sendable {
    let orchestrator: OrchestratorHarness
    let worker: WorkerHarness
    let media: Sandbox
    let film: Film
    let source: String

    /// `heartbeatTimeout` and `orchestratorFlags` go to the orchestrator; with `orchestratorReadsMedia`
    /// it reads the film itself (`--media-root`) instead of asking a worker for its tracks.
    static func start(heartbeatTimeout: Double = 45, orchestratorFlags: [String] = [], orchestratorReadsMedia: Bool = false) async throws -> DropInPool {
        let film = try await offPool { try Film.shared() }
        let media = try Sandbox("dropin")
        let source = try media.film(film)
        let orchestrator = try await OrchestratorHarness.start(
            heartbeatTimeout: heartbeatTimeout, extra: orchestratorFlags + (orchestratorReadsMedia ? ["--media-root", media.media.path] : [])
        )
        // The shipped x265 manifest as well: a pool with an HEVC encoder for the lines that ask for HEVC.
        let backends = try Manifests.folder(["x265.toml": try Manifests.shipped("x265.toml")], in: media)
        let worker = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1", "--media-root", media.media.path,
                                                    "--backends-dir", backends])
        let api = orchestrator.api
        let live = try await eventually { ((try await api.object("/v1/workers"))["workers"] as? [[String: Any]])?.count == 1 }
        #expect(live, "the worker registered")
        return DropInPool(orchestrator: orchestrator, worker: worker, media: media, film: film, source: source)
    }

    /// A folder for the server's transcodes, inside the sandbox.
    func transcodes(_ name: String) throws -> String {
        let folder = media.root.appendingPathComponent("jellyfin-\(name)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The environment a media server's FFmpeg gets: the config file names the pool, the
    /// token comes from the environment.
    var environment: [String: String] {
        let file = media.root.appendingPathComponent("ffmpeg.toml").path
        let text = "orchestrator = \"\(orchestrator.service.baseURL)\"\nffmpeg = \"/usr/bin/ffmpeg\"\n"
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
        return ["TRANSCODE_FFMPEG_CONFIG": file, "TRANSCODE_TOKEN": WorkerHarness.token]
    }
}

extension DropInPool {
    /// Starts `transcode-ffmpeg` with argv and this pool's environment and leaves it running,
    /// as a media server holds its FFmpeg: stdin a pipe for keys, output discarded.
    func launch(_ argv: [String]) throws -> LiveDropIn {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dropInPath)
        process.arguments = argv
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRANSCODE_") }.merging(environment) { $1 }
        let input = Pipe()
        // The read end goes over as a plain handle, so this process keeps it open as well: a key
        // written after the run exited lands in the pipe's buffer instead of killing the tests
        // with SIGPIPE (Foundation closes a Pipe's child end in the parent).
        process.standardInput = input.fileHandleForReading
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return LiveDropIn(process: process, input: input)
    }
}

/// A running `transcode-ffmpeg` (`DropInPool.launch`).
struct LiveDropIn {
    let process: Process
    let input: Pipe

    /// Writes keys to its stdin, as a media server does (`q`, Jellyfin's throttler's `c`).
    func send(_ keys: String) { input.fileHandleForWriting.write(Data(keys.utf8)) }

    /// Waits for it to exit; its status as a shell reports it.
    func status() async throws -> Int32 { try await offPool { ProcessExit.wait(process)?.shellStatus ?? -1 } }
}

/// A finished `transcode-ffmpeg` (or local ffmpeg) run.
struct FFmpegResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `program` with argv and environment to its end (bounded), stdin a pipe kept open.
func runFFmpegLike(_ program: String, _ argv: [String], environment: [String: String], timeout: Duration = .seconds(180)) async throws -> FFmpegResult {
    try await offPool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = argv
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRANSCODE_") }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let collected = Shared((Data(), Data()))
        let group = DispatchGroup()
        for (index, pipe) in [out, err].enumerated() {
            group.enter()
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.withLock { if index == 0 { $0.0 = data } else { $0.1 = data } }
                group.leave()
            }.start()
        }
        let seconds = Double(timeout.components.seconds)
        if group.wait(timeout: .now() + seconds) == .timedOut { process.terminate() }
        let status = ProcessExit.wait(process)?.shellStatus ?? -1
        _ = group.wait(timeout: .now() + 5)
        let (o, e) = collected.withLock { $0 }
        return FFmpegResult(status: status, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// The `transcode-ffmpeg` executable next to the services.
var dropInPath: String { ServiceProcess.binDirectory.appendingPathComponent("transcode-ffmpeg").path }

/// Jellyfin's own reading of FFmpeg's stats line (`JobLogger.ParseLogLine`, jellyfin/jellyfin
/// MediaBrowser.Controller/MediaEncoding/JobLogger.cs): the line is split on spaces; `fps=`
/// is followed by its number (in the same or the next token), `time=` holds `hh:mm:ss.xx`.
/// Returns (fps, seconds) when Jellyfin would report progress from the line.
func jellyfinParse(_ line: String) -> (fps: Double?, time: Double?)? {
    let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    var fps: Double?, time: Double?
    for (i, part) in parts.enumerated() {
        if part.lowercased() == "fps=", i + 1 < parts.count, let value = Double(parts[i + 1]) {
            fps = value
        } else if part.lowercased().hasPrefix("fps="), let value = Double(part.dropFirst(4)) {
            fps = value
        } else if part.lowercased().hasPrefix("time=") {
            let clock = part.dropFirst(5).split(separator: ":").compactMap { Double($0) }
            if clock.count == 3 { time = clock[0] * 3600 + clock[1] * 60 + clock[2] }
        }
    }
    return fps == nil && time == nil ? nil : (fps, time)
}
