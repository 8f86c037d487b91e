import MediaProbe
import BackendRegistry
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
        ServiceMetrics.bootstrap(enabled: settings.metricsEnabled)
        let root = PathPolicy(mediaRoots: [], transcodeRoot: settings.transcodeRoot).transcodeRoot
        let reaped = OrphanReaper.reap(transcodeRoot: root, ffmpeg: settings.ffmpeg)
        if !reaped.isEmpty { logger.warning("killed FFmpeg processes left by an earlier run: \(reaped)") }

        let inventory = await InventoryLoader.load(hwdetect: hwdetect, ffmpeg: settings.ffmpeg, logger: logger, recorded: settings.inventoryFile)
        let catalog = BackendCatalog(backendsDir: settings.backendsDir)
        // A refused manifest costs only its own backend: the worker starts with the others.
        for refusal in catalog.refusals { logger.error("backend manifest refused: \(refusal)") }
        var selector = BackendSelector(inventory: inventory, backends: catalog.backends)
        if settings.verifyEncoders || selector.available.contains(where: \.requiresVerification) {
            let failed = await EncoderVerifier.verify(
                selector, everyHardwareBackend: settings.verifyEncoders, ffmpeg: settings.ffmpeg, ffprobe: settings.ffprobe, logger: logger
            )
            selector = BackendSelector(inventory: inventory, backends: catalog.backends, disabledEncoders: failed)
        }
        for (backend, availability) in selector.all {
            logger.info("backend \(backend.id): \(availability.isAvailable ? "available" : "unavailable"): \(availability.reason)")
        }
        let policy = PathPolicy(mediaRoots: settings.mediaRoots, transcodeRoot: settings.transcodeRoot, pathMaps: settings.pathMaps)
        for mapping in settings.pathMaps { logger.info("path map: \(mapping.from) is read under \(mapping.to)") }
        for mapping in policy.mappingsOutsideRoots {
            logger.warning("--path-map \(mapping.flag): \(mapping.to) lies in no --media-root; every source through it will be refused (403)")
        }
        let manager = JobManager(settings: settings, selector: selector, logger: logger)
        await manager.removeStaleFolders()

        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.addStandardMiddleware(token: settings.token, routes: WorkerRoutes.methods)
        WorkerRoutes(manager: manager, workerID: settings.id).add(to: router)
        WorkerInfoRoute(selector: selector, settings: settings).add(to: router)
        MetricsEndpoint(poolToken: settings.token, metricsToken: settings.metricsToken, enabled: settings.metricsEnabled) {
            WorkerMetrics.record(jobs: await manager.allStatuses(), backends: manager.selector.available.map(\.id), gpu: manager.selector.gpuReading())
        }.add(to: router)
        let id = settings.id
        let boundPort = Locked<Int?>(nil)
        let app = Application(
            router: router,
            server: settings.limits.server,
            configuration: settings.limits.configuration(host: settings.host, port: settings.port, serverName: "transcode-worker"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                boundPort.withLock { $0 = port }
                print("transcode-worker \(id) listening on port \(port)")
                fflush(nil)
            },
            logger: logger
        )
        let fatal = Locked<String?>(nil)
        let link = settings.orchestratorURL.map { url in
            OrchestratorLink(baseURL: url, settings: settings, manager: manager, logger: logger) {
                await advertisedAddress(settings: settings, port: boundPort)
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: RecordingService(inner: app, fatalReason: fatal),
                        successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup
                    ),
                    .init(service: WorkerAgent(manager: manager, link: link, fatalReason: fatal, hangTimeout: settings.hangTimeout, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// `--advertise-url`, or `http://<bound host, or host name>:<bound port>` once the server listens.
func advertisedAddress(settings: WorkerSettings, port: Locked<Int?>) async -> String {
    if let url = settings.advertiseURL { return url }
    while port.withLock({ $0 }) == nil && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
    let host = settings.host == "0.0.0.0" || settings.host == "::" ? ProcessInfo.processInfo.hostName : settings.host
    return "http://\(host):\(port.withLock { $0 } ?? settings.port)"
}
