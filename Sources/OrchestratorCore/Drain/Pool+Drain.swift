import Foundation
import ServiceSupport
import TranscodeWire

/// A job to move off a draining worker, as it stood when the move was decided.
struct DrainMove: Sendable {
    var payload: ControllerPayload
    var from: String
    var resumeSegment: Int
    var lastSegmentID: Int?
    var lastFetchedSegment: Int?
}

extension Pool {
    /// `POST`/`DELETE /v1/workers/{id}/drain`: a draining worker gets no new job and its jobs
    /// move away. Throws 404 for an unknown worker.
    func setDraining(_ id: String, _ draining: Bool) throws -> WorkerView? {
        guard workers[id] != nil else { throw APIError.notFound("Unknown worker '\(id)'.") }
        workers.setDraining(id, draining)
        logger.notice("worker \(id): \(draining ? "draining: no new jobs, moving its jobs away" : "drain ended: takes jobs again")")
        return workerView(id)
    }

    /// Active jobs that run on live draining workers.
    func jobsOnDrainingWorkers() -> [String] {
        jobs.values.filter { job in
            guard job.state.isActive, !job.runLost, let id = job.workerID, let worker = workers[id] else { return false }
            return worker.draining && worker.isLive
        }.map(\.jobID).sorted()
    }

    /// What a move of the job off its draining worker sends: the run continues the stream
    /// where the player (else the encoder) is, on a segment boundary, as a failover does.
    /// Nil when the job is no longer on a draining worker. Changes nothing: a move that finds
    /// no other worker leaves the job where it is.
    func drainMove(_ jobID: String) -> DrainMove? {
        guard var record = jobs[jobID], record.state.isActive, let from = record.workerID, let worker = workers[from],
              worker.draining, worker.isLive
        else { return nil }
        let resume = record.resumeSegment
        let t = record.segmentSeconds ?? worker.segmentSeconds ?? 4
        record.seekRun(toSegment: JobRecord.runStart(continuing: resume), segmentSeconds: t)
        return DrainMove(
            payload: record.payload, from: from, resumeSegment: resume,
            lastSegmentID: record.lastSegmentID, lastFetchedSegment: record.lastFetchedSegment
        )
    }

    /// Books a move that happened: it counts as a failover, with the drain as its reason.
    func bookDrainMove(_ jobID: String, _ move: DrainMove, to: String) {
        jobs[jobID]?.failovers += 1
        jobs[jobID]?.lastFailover = Failover(
            fromWorker: move.from, reason: "worker \(move.from) is draining", lastSegmentID: move.lastSegmentID,
            lastFetchedSegment: move.lastFetchedSegment, resumeSegment: move.resumeSegment, toWorker: to
        )
    }
}
