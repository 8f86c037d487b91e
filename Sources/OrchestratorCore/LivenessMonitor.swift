import ServiceLifecycle

/// Marks workers OFFLINE when their heartbeats stop (SIGKILL sends no death note), and
/// recovers the jobs that lost their worker or their FFmpeg; also adds the dashboard's
/// telemetry frames on their timer, so that no heartbeat pays for the history.
struct LivenessMonitor: Service {
    let pool: Pool
    let dispatcher: JobDispatcher
    let timeout: Double

    func run() async throws {
        let period = Duration.milliseconds(Int(max(50, min(250, timeout * 250))))
        try? await cancelWhenGracefulShutdown {
            var lastDrainPass = ContinuousClock.now
            var lastFrame = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                await pool.sweep()
                for id in await pool.jobsNeedingRecovery() {
                    await dispatcher.recover(id)
                }
                // Drains move jobs within a second; a job that found no other worker waits a
                // second before it is tried again, instead of asking routing every tick.
                if ContinuousClock.now - lastDrainPass >= .seconds(1) {
                    lastDrainPass = .now
                    await dispatcher.moveOffDrainingWorkers()
                }
                if ContinuousClock.now - lastFrame >= .milliseconds(Int(TelemetryHistory.interval * 1000)) {
                    lastFrame = .now
                    await pool.sampleTelemetry()
                }
            }
        }
    }
}
