import ArgumentParser
import Foundation
import Logging
import OrchestratorCore
import ServiceSupport

/// `transcode-orchestrator`: the pool of workers and the job router.
@main
struct OrchestratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode-orchestrator",
        abstract: "Keeps the pool of transcode workers and routes each job to a live worker whose hardware matches."
    )

    @Option(help: "Address to bind.") var host = "0.0.0.0"
    @Option(help: "Port to bind (0 picks a free port).") var port = 8700
    @Option(help: "Bearer token for every /v1 call, both directions.") var token: String?
    @Flag(help: "Run without authentication (logged loudly).") var insecureNoAuth = false
    @Option(help: "Seconds without a heartbeat before a worker is OFFLINE (3 x the workers' interval).") var heartbeatTimeout: Double = 45
    @Option(help: "Port assumed for a worker that registers without an address.") var defaultWorkerPort = 8701
    @Option(help: "Base URL players reach this orchestrator at (e.g. http://nas:8700); default: the request's Host.") var publicURL: String?
    @Option(help: "Seconds a signed playback URL stays valid.") var playbackTTL: Int = 86_400
    @Option(help: "Seconds an HTTP connection may sit idle before it is closed.") var idleTimeout: Double = 30
    @Option(help: "Seconds a segment still being written is held back before its first byte goes out (0: relay at once).") var segmentHoldBack: Double = 0.3
    @Option(help: "HTTP connections served at once.") var maxConnections = 2048
    @Option(help: "trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "A token that opens GET /metrics only (the pool token opens it too).") var metricsToken: String?
    @Flag(help: "Collect no metrics (GET /metrics answers 404).") var noMetrics = false
    @Option(help: "Folder the dashboard's library lists (repeatable).") var mediaRoot: [String] = []

    @Option(help: "TOML file with any of these flags (key = flag name); a flag or TRANSCODE_<FLAG> wins over it.") var config: String?

    /// Every flag but `--config`, with its kind: what the environment and the config file may set.
    static let flags: [FlagSpec] = [
        .init("host", .string), .init("port", .integer), .init("token", .string), .init("insecure-no-auth", .boolean),
        .init("heartbeat-timeout", .number), .init("default-worker-port", .integer), .init("public-url", .string),
        .init("playback-ttl", .integer), .init("idle-timeout", .number), .init("segment-hold-back", .number), .init("max-connections", .integer), .init("log-level", .string), .init("metrics-token", .string),
        .init("no-metrics", .boolean), .init("media-root", .strings),
    ]

    /// Flags may come from `TRANSCODE_<FLAG>` environment variables and a `--config` file; a
    /// flag on the command line wins over the environment, which wins over the file.
    static func main() async {
        do {
            await main(try EnvironmentFlags.resolve(Array(CommandLine.arguments.dropFirst()), flags: flags))
        } catch {
            FileHandle.standardError.write(Data("transcode-orchestrator: \(error)\n".utf8))
            Foundation.exit(78)  // EX_CONFIG
        }
    }

    func validate() throws {
        guard token != nil || insecureNoAuth else {
            throw ValidationError("Refusing to start without a token: pass --token (or TRANSCODE_TOKEN), or --insecure-no-auth.")
        }
        guard heartbeatTimeout > 0 else { throw ValidationError("--heartbeat-timeout must be positive.") }
        guard idleTimeout > 0, maxConnections >= 1 else { throw ValidationError("--idle-timeout and --max-connections must be positive.") }
        guard segmentHoldBack >= 0 else { throw ValidationError("--segment-hold-back must be 0 or more.") }
        guard playbackTTL > 0 else { throw ValidationError("--playback-ttl must be positive.") }
        if let publicURL, URL(string: publicURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--public-url must be an http:// or https:// URL; got '\(publicURL)'.")
        }
    }

    func run() async throws {
        var logger = Logger(label: "transcode-orchestrator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        if insecureNoAuth { logger.critical("AUTHENTICATION IS OFF (--insecure-no-auth): anyone who reaches this port can steer the pool.") }
        var settings = OrchestratorSettings()
        settings.host = host
        settings.port = port
        settings.token = insecureNoAuth ? nil : token
        settings.heartbeatTimeout = heartbeatTimeout
        settings.defaultWorkerPort = defaultWorkerPort
        settings.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        settings.playbackTTL = playbackTTL
        settings.limits.idleTimeout = idleTimeout
        settings.segmentHoldBack = .milliseconds(Int(segmentHoldBack * 1000))
        settings.limits.maxConnections = maxConnections
        settings.metricsToken = metricsToken
        settings.metricsEnabled = !noMetrics
        settings.mediaRoots = mediaRoot
        ParentWatch.startIfRequested()
        try await OrchestratorServer.run(settings: settings, logger: logger)
    }
}
