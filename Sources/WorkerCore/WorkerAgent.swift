import Logging
import ServiceLifecycle

/// The worker's long-running duty besides serving HTTP: registration and heartbeats when
/// an orchestrator is set; on shutdown, stop every FFmpeg, clean every job folder, and
/// send the death note.
struct WorkerAgent: Service {
    let manager: JobManager
    let link: OrchestratorLink?
    /// Set when the worker stops because something broke, not because it was asked to.
    let fatalReason: Locked<String?>
    /// Seconds without progress before an encode counts as hung.
    let hangTimeout: Double
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let link { group.addTask { await link.run() } }
                if let link { group.addTask { await DrainOnSignal.watch(link: link, logger: logger) } }
                group.addTask { await watchForHangs() }
            }
        }
        logger.info("shutting down: stopping jobs")
        await manager.shutdown()
        await link?.sendDeathNote(reason: fatalReason.withLock { $0 } ?? "SHUTDOWN")
    }

    private func watchForHangs() async {
        let period = Duration.milliseconds(Int(min(5, max(0.2, hangTimeout / 4)) * 1000))
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            await manager.killHungJobs(timeout: hangTimeout)
        }
    }
}

/// Runs the HTTP server and records why it stopped if it failed, so the death note can say so.
struct RecordingService: Service {
    let inner: any Service
    let fatalReason: Locked<String?>

    func run() async throws {
        do {
            try await inner.run()
        } catch {
            fatalReason.withLock { $0 = "FATAL: HTTP server stopped: \(error)" }
            throw error
        }
    }
}
