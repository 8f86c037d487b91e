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
    @Option(help: "HTTP connections served at once.") var maxConnections = 2048
    @Option(help: "trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    /// Flags may come from `TRANSCODE_<FLAG>` environment variables; a flag on the command line wins.
    static func main() async {
        let arguments = EnvironmentFlags.merge(
            Array(CommandLine.arguments.dropFirst()),
            options: ["host", "port", "token", "heartbeat-timeout", "default-worker-port", "public-url", "playback-ttl", "idle-timeout", "max-connections", "log-level"],
            booleans: ["insecure-no-auth"]
        )
        await main(arguments)
    }

    func validate() throws {
        guard token != nil || insecureNoAuth else {
            throw ValidationError("Refusing to start without a token: pass --token (or TRANSCODE_TOKEN), or --insecure-no-auth.")
        }
        guard heartbeatTimeout > 0 else { throw ValidationError("--heartbeat-timeout must be positive.") }
        guard idleTimeout > 0, maxConnections >= 1 else { throw ValidationError("--idle-timeout and --max-connections must be positive.") }
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
        settings.limits.maxConnections = maxConnections
        ParentWatch.startIfRequested()
        try await OrchestratorServer.run(settings: settings, logger: logger)
    }
}
