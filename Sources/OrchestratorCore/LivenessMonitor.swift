import ServiceLifecycle

/// Marks workers OFFLINE when their heartbeats stop (SIGKILL sends no death note).
struct LivenessMonitor: Service {
    let orchestrator: Orchestrator
    let timeout: Double

    func run() async throws {
        let period = Duration.milliseconds(Int(max(50, min(1000, timeout * 250))))
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                await orchestrator.sweep()
            }
        }
    }
}
