import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import ServiceSupport

/// Puts a worker together: cleans up after an earlier run, detects hardware, serves the job
/// API, and stops everything on SIGTERM or SIGINT.
public enum WorkerServer {
    /// Runs until shut down.
    public static func run(settings: WorkerSettings, hwdetect: String?, logger: Logger) async throws {
        let root = PathPolicy(mediaRoots: [], transcodeRoot: settings.transcodeRoot).transcodeRoot
        let reaped = OrphanReaper.reap(transcodeRoot: root, ffmpeg: settings.ffmpeg)
        if !reaped.isEmpty { logger.warning("killed FFmpeg processes left by an earlier run: \(reaped)") }

        let inventory = await InventoryLoader.load(hwdetect: hwdetect, ffmpeg: settings.ffmpeg, logger: logger)
        let selector = BackendSelector(inventory: inventory)
        for (backend, availability) in selector.all {
            logger.info("backend \(backend.id): \(availability.isAvailable ? "available" : "unavailable"): \(availability.reason)")
        }
        let manager = JobManager(settings: settings, selector: selector, logger: logger)
        await manager.removeStaleFolders()

        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(BearerAuthMiddleware(token: settings.token))
        WorkerRoutes(manager: manager, workerID: settings.id).add(to: router)
        let id = settings.id
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "transcode-worker"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                print("transcode-worker \(id) listening on port \(port)")
                fflush(nil)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: WorkerAgent(manager: manager, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
