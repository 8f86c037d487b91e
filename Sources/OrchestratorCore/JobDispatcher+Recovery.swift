import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// Acts on a job that lost its worker or whose FFmpeg failed: moves it to a live worker
    /// that can run its encoder, resuming where the player (or the encoder) was; waits as
    /// `pending` when none can; retries a failed FFmpeg a bounded number of times.
    func recover(_ jobID: String) async {
        _ = try? await queue.run(jobID) {
            guard var record = await orchestrator.job(jobID) else { return }
            let worker = await record.workerID.asyncMap { await orchestrator.worker($0) } ?? nil
            let lost = record.state.isActive || record.state == .pending ? (record.runLost || (worker.map { !$0.isLive } ?? true)) : false
            let crashed = record.state == .failed && !record.gaveUp
            guard lost || crashed else { return }
            if crashed {
                guard record.retries < settings.maxRetries else {
                    record.gaveUp = true
                    record.error = "Gave up after \(record.retries) retries: \(record.error ?? "FFmpeg failed")"
                    await orchestrator.store(record)
                    logger.error("job \(jobID): \(record.error ?? "")")
                    return
                }
                record.retries += 1
            }
            let resume = record.resumeSegment
            let t = record.segmentSeconds ?? worker?.segmentSeconds ?? 4
            if let duration = record.duration, Double(resume * t) >= duration, !crashed {
                record.state = .completed
                await orchestrator.store(record)
                return
            }
            record.configuration.seekTime = SeekTime.format(resume * t)
            if lost, record.state != .pending || record.lastFailover == nil || record.lastFailover?.toWorker != nil {
                record.failovers += 1
                record.lastFailover = Failover(
                    fromWorker: record.workerID ?? record.lastFailover?.fromWorker ?? "none",
                    reason: record.runLost ? "worker restarted without the job" : worker?.reason ?? "worker gone", lastSegmentID: record.lastSegmentID,
                    lastFetchedSegment: record.lastFetchedSegment, resumeSegment: resume, toWorker: nil
                )
            }
            let failedOn = crashed ? record.workerID : nil
            do {
                // A crash retries elsewhere when another worker fits, else on the same one.
                var moved: JobRecord
                do {
                    moved = try await dispatch(record, excluding: failedOn.map { [$0] } ?? [])
                } catch let error as APIError where failedOn != nil && error.status == .serviceUnavailable {
                    moved = try await dispatch(record)
                }
                if lost { moved.lastFailover?.toWorker = moved.workerID }
                await orchestrator.store(moved)
                logger.notice("job \(jobID): \(crashed ? "retry \(moved.retries)" : "failover") to \(moved.workerID ?? "?") at segment \(resume)")
            } catch {
                record.state = .pending
                record.workerID = nil
                record.error = "Waiting for a live worker that can run encoder '\(record.configuration.encoder ?? "auto")': \((error as? APIError)?.message ?? "\(error)")"
                await orchestrator.store(record)
            }
        }
    }

}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async -> T) async -> T? {
        switch self {
        case .some(let value): await transform(value)
        case .none: nil
        }
    }
}
