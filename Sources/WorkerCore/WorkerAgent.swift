import Logging
import ServiceLifecycle

/// The worker's long-running duty besides serving HTTP: on shutdown, stop every FFmpeg and
/// clean every job folder. (Registration and heartbeats join it when an orchestrator is set.)
struct WorkerAgent: Service {
    let manager: JobManager
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("shutting down: stopping jobs")
        await manager.shutdown()
    }
}
