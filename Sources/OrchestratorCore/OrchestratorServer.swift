import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import ServiceSupport

/// Puts an orchestrator together and runs it until SIGTERM or SIGINT.
public enum OrchestratorServer {
    /// Runs until shut down.
    public static func run(settings: OrchestratorSettings, logger: Logger) async throws {
        ServiceMetrics.bootstrap(enabled: settings.metricsEnabled)
        OrchestratorMetrics.prepare()
        let pool = Pool(settings: settings, logger: logger)
        let dispatcher = JobDispatcher(pool: pool, settings: settings, logger: logger)
        let router = Router(context: OrchestratorContext.self, options: .autoGenerateHeadEndpoints)
        router.addStandardMiddleware(token: settings.token, routes: OrchestratorRoutes.methods)
        let links = PlaybackLinks(settings: settings)
        OrchestratorRoutes(pool: pool, dispatcher: dispatcher, links: links).add(to: router)
        OperatorRoutes(pool: pool, settings: settings, links: links).add(to: router)
        MediaRoutes(pool: pool, settings: settings, client: dispatcher.client).add(to: router)
        let app = Application(
            router: router,
            // Heartbeats are answered before the router (the same checks, see HeartbeatFastRoute).
            server: settings.limits.server(fastRoute: HeartbeatFastRoute(pool: pool, token: settings.token), serverName: "transcode-orchestrator"),
            configuration: settings.limits.configuration(host: settings.host, port: settings.port, serverName: "transcode-orchestrator"),
            onServerRunning: { channel in
                print("transcode-orchestrator listening on port \(channel.localAddress?.port ?? 0)")
                fflush(nil)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: LivenessMonitor(pool: pool, dispatcher: dispatcher, timeout: settings.heartbeatTimeout)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
