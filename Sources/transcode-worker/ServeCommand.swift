import ArgumentParser
import Foundation
import Logging
import ServiceSupport
import TranscodeWire
import WorkerCore

/// The worker daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the worker daemon (the default).")

    @Option(help: "Worker id (default: the host name).") var id: String?
    @Option(help: "Orchestrator base URL; without it the worker runs standalone.") var orchestrator: String?
    @Option(help: "Address to bind.") var host = "0.0.0.0"
    @Option(help: "Port to bind (0 picks a free port).") var port = 8701
    @Option(help: "URL the orchestrator calls back (default http://<hostname>:<port>).") var advertiseURL: String?
    @Option(help: "Folder that every source_path must lie in (repeatable).") var mediaRoot: [String] = []
    @Option(help: "Folder that holds every job's output folder.") var transcodeRoot: String
    @Option(help: "FROM=TO: a source_path under FROM (as the orchestrator names it) is read under TO on this worker, which must lie in a --media-root (repeatable; the longest FROM wins).")
    var pathMap: [String] = []
    @Option(help: "Seconds between heartbeats.") var heartbeatInterval: Double = 10
    @Option(help: "HLS segment length in seconds.") var segmentSeconds = 4
    @Option(help: "Jobs that may run at once.") var maxJobs = 4
    @Option(help: "Bearer token for every /v1 call, both directions.") var token: String?
    @Flag(help: "Run without authentication (logged loudly).") var insecureNoAuth = false
    @Flag(help: "Test-encode one frame with each hardware encoder before registering it.") var verifyEncoders = false
    @Option(help: "Seconds without progress before an encode counts as hung.") var hangTimeout: Double = 60
    @Option(help: "Seconds a stopping FFmpeg gets after SIGTERM before SIGKILL.") var stopGrace: Double = 5
    @Option(help: "ffmpeg executable.") var ffmpeg = "ffmpeg"
    @Option(help: "ffprobe executable.") var ffprobe = "ffprobe"
    @Option(help: "hwdetect executable (default: next to this program, then PATH).") var hwdetect: String?
    @Option(help: "Use a recorded hwdetect inventory (JSON) instead of probing.") var inventory: String?
    @Option(help: "Folder of backend manifests (*.toml) loaded beside the compiled backends; a missing folder holds none.")
    var backendsDir = "/etc/transcode/backends.d"
    @Option(help: "Megabytes that must stay free on the transcode root for a job to start.") var minFreeSpace: Int = 256
    @Option(help: "Seconds an HTTP connection may sit idle before it is closed.") var idleTimeout: Double = 30
    @Option(help: "HTTP connections served at once.") var maxConnections = 512
    @Option(help: "A token that opens GET /metrics only (the pool token opens it too).") var metricsToken: String?
    @Flag(help: "Collect no metrics (GET /metrics answers 404).") var noMetrics = false
    @Option(help: "TOML file with any of these flags (key = flag name); a flag or TRANSCODE_<FLAG> wins over it.") var config: String?

    /// Every flag but `--config`, with its kind: what the environment and the config file may set.
    static let flags: [FlagSpec] = [
        .init("id", .string), .init("orchestrator", .string), .init("host", .string), .init("port", .integer),
        .init("advertise-url", .string), .init("media-root", .strings), .init("path-map", .strings), .init("transcode-root", .string),
        .init("heartbeat-interval", .number), .init("segment-seconds", .integer), .init("max-jobs", .integer),
        .init("token", .string), .init("insecure-no-auth", .boolean), .init("verify-encoders", .boolean),
        .init("hang-timeout", .number), .init("stop-grace", .number), .init("ffmpeg", .string), .init("ffprobe", .string),
        .init("hwdetect", .string), .init("inventory", .string), .init("backends-dir", .string), .init("log-level", .string),
        .init("min-free-space", .integer), .init("idle-timeout", .number), .init("max-connections", .integer),
        .init("metrics-token", .string), .init("no-metrics", .boolean),
    ]
    @Option(help: "trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func validate() throws {
        guard token != nil || insecureNoAuth else {
            throw ValidationError("Refusing to start without a token: pass --token (or TRANSCODE_TOKEN), or --insecure-no-auth.")
        }
        guard !mediaRoot.isEmpty else { throw ValidationError("Give at least one --media-root.") }
        guard (1...60).contains(segmentSeconds) else { throw ValidationError("--segment-seconds must be 1 to 60.") }
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs must be at least 1.") }
        guard heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval must be positive.") }
        guard minFreeSpace >= 0 else { throw ValidationError("--min-free-space must be 0 or more (megabytes).") }
        guard idleTimeout > 0, maxConnections >= 1 else { throw ValidationError("--idle-timeout and --max-connections must be positive.") }
        _ = try pathMappings()
    }

    /// `--path-map` values as mappings; a malformed one, or a FROM given twice, is refused.
    func pathMappings() throws -> [PathMapping] {
        do {
            let mappings = try pathMap.map(PathMapping.init(parsing:))
            try PathMapping.checkUnique(mappings)
            return mappings
        } catch let refusal as PathMapping.Refusal {
            throw ValidationError(refusal.description)
        }
    }

    func run() async throws {
        let logger = Log.make(label: "transcode-worker", level: logLevel)
        if insecureNoAuth { logger.critical("AUTHENTICATION IS OFF (--insecure-no-auth): anyone who reaches this port can run jobs.") }
        guard let ffmpegPath = WorkerSettings.which(ffmpeg), let ffprobePath = WorkerSettings.which(ffprobe) else {
            throw ValidationError("ffmpeg and ffprobe must be installed (looked for '\(ffmpeg)' and '\(ffprobe)').")
        }
        for root in mediaRoot + [transcodeRoot] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(root)' is not an existing folder.")
            }
        }
        let hostName = ProcessInfo.processInfo.hostName
        var settings = WorkerSettings(
            id: id ?? hostName, mediaRoots: mediaRoot, transcodeRoot: transcodeRoot, ffmpeg: ffmpegPath, ffprobe: ffprobePath
        )
        settings.host = host
        settings.pathMaps = try pathMappings()
        settings.port = port
        settings.segmentSeconds = segmentSeconds
        settings.maxJobs = maxJobs
        settings.token = insecureNoAuth ? nil : token
        settings.orchestratorURL = orchestrator
        settings.advertiseURL = advertiseURL
        settings.stopGrace = .milliseconds(Int(stopGrace * 1000))
        settings.heartbeatInterval = heartbeatInterval
        settings.hangTimeout = hangTimeout
        settings.verifyEncoders = verifyEncoders
        settings.inventoryFile = inventory
        settings.backendsDir = backendsDir
        settings.minFreeBytes = Int64(minFreeSpace) << 20
        settings.limits.idleTimeout = idleTimeout
        settings.limits.maxConnections = maxConnections
        settings.metricsToken = metricsToken
        settings.metricsEnabled = !noMetrics
        ParentWatch.startIfRequested()
        try await WorkerServer.run(settings: settings, hwdetect: hwdetect ?? Tools.sibling("hwdetect"), logger: logger)
    }
}
