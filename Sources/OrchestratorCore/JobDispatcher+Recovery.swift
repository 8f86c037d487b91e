import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// Acts on a job that lost its worker or whose FFmpeg failed: moves it to a live worker
    /// that can run its encoder, resuming where the player (or the encoder) was; waits as
    /// `pending` when none can; retries a failed FFmpeg a bounded number of times.
    func recover(_ jobID: String) async {
        _ = try? await queue.run(jobID) {
            guard let plan = await pool.beginRecovery(jobID) else { return }
            do {
                // A crash retries elsewhere when another worker fits, else on the same one.
                var moved: JobRecord
                do {
                    moved = try await dispatch(plan.payload, excluding: plan.failedOn.map { [$0] } ?? [])
                } catch let error as APIError where plan.failedOn != nil && error.status == .serviceUnavailable {
                    moved = try await dispatch(plan.payload)
                }
                OrchestratorMetrics.failover(cause: plan.isRetry ? "retry" : "worker_lost")
                logger.notice("job \(jobID): \(plan.isRetry ? "retry \(moved.retries)" : "failover") to \(moved.workerID ?? "?") at segment \(plan.resumeSegment)")
            } catch {
                await settle(jobID, after: error)
            }
        }
    }
}

