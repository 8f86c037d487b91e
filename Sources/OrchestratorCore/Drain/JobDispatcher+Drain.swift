import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// Moves every job off draining workers to other capable workers, one operation per job
    /// at a time. A job that finds no other worker stays and is tried again on the next call.
    func moveOffDrainingWorkers() async {
        for jobID in await pool.jobsOnDrainingWorkers() {
            _ = try? await queue.run(jobID) {
                guard let move = await pool.drainMove(jobID) else { return }
                do {
                    let moved = try await dispatch(move.payload, excluding: [move.from])
                    await pool.bookDrainMove(jobID, move, to: moved.workerID ?? "?")
                    OrchestratorMetrics.failover(cause: "drain")
                    logger.notice("job \(jobID): moved off draining worker \(move.from) to \(moved.workerID ?? "?") at segment \(move.resumeSegment)")
                } catch {
                    logger.debug("job \(jobID): stays on draining worker \(move.from) for now: \(error)")
                }
            }
        }
    }
}
