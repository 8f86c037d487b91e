import Foundation
import TranscodeWire

/// What the dispatcher must send to recover a job.
struct RecoveryPlan: Sendable {
    var payload: ControllerPayload
    /// The worker whose FFmpeg crashed: tried last.
    var failedOn: String?
    /// A crash retry (else a move off a lost worker).
    var isRetry: Bool
    var resumeSegment: Int
}

extension Pool {
    /// Books a recovery of a job that lost its worker or whose FFmpeg failed: counts the
    /// retry or the failover, gives up once the retries are spent, and ends a job whose
    /// movie was already done. Returns what to dispatch, or nil when nothing is to be sent.
    func beginRecovery(_ jobID: String) -> RecoveryPlan? {
        guard var record = jobs[jobID] else { return nil }
        let worker = record.workerID.flatMap { workers[$0] }
        let lost = record.state.isActive || record.state == .pending ? (record.runLost || !(worker?.isLive ?? false)) : false
        let crashed = record.state == .failed && !record.gaveUp
        guard lost || crashed else { return nil }
        if crashed {
            guard record.retries < settings.maxRetries else {
                record.gaveUp = true
                record.error = "Gave up after \(record.retries) retries: \(record.error ?? "FFmpeg failed")"
                jobs[jobID] = record
                logger.error("job \(jobID): \(record.error ?? "")")
                return nil
            }
            record.retries += 1
        }
        let resume = record.resumeSegment
        let t = record.segmentSeconds ?? worker?.segmentSeconds ?? 4
        if let duration = record.duration, Double(resume * t) >= duration, !crashed {
            record.state = .completed
            jobs[jobID] = record
            return nil
        }
        record.seekRun(toSegment: JobRecord.runStart(continuing: resume), segmentSeconds: t)
        if lost, record.state != .pending || record.lastFailover == nil || record.lastFailover?.toWorker != nil {
            record.failovers += 1
            record.lastFailover = Failover(
                fromWorker: record.workerID ?? record.lastFailover?.fromWorker ?? "none",
                reason: record.runLost ? "worker restarted without the job" : worker?.reason ?? "worker gone", lastSegmentID: record.lastSegmentID,
                lastFetchedSegment: record.lastFetchedSegment, resumeSegment: resume, toWorker: nil
            )
        }
        jobs[jobID] = record
        return RecoveryPlan(payload: record.payload, failedOn: crashed ? record.workerID : nil, isRetry: crashed, resumeSegment: resume)
    }
}
