import Foundation
import ServiceSupport
import TranscodeWire

extension JobManager {
    /// One job's status, or nil.
    public func status(_ id: String) -> JobStatus? { jobs[id]?.status }

    /// Every job, sorted by id.
    public func allStatuses() -> [JobStatus] { jobs.values.map(\.status).sorted { $0.jobID < $1.jobID } }

    /// Jobs whose FFmpeg is starting or running.
    public func activeStatuses() -> [JobStatus] { allStatuses().filter { $0.state.isActive } }

    /// Where a job's files are, if the job exists.
    public func outputPath(_ id: String) -> String? { jobs[id]?.spec.outputPath }

    /// Stops FFmpeg and deletes the job's folder. Throws 404 for an unknown job. With
    /// `upToGeneration` (fencing), a run of a newer generation is left alone.
    public func delete(_ id: String, upToGeneration: Int? = nil) async throws {
        guard jobs[id] != nil else { throw APIError.notFound("No job '\(id)' on this worker.") }
        try await serialized(id) {
            try await self.remove(id, upToGeneration: upToGeneration)
        }
    }

    private func remove(_ id: String, upToGeneration: Int?) async throws {
        if let limit = upToGeneration, let current = jobs[id]?.spec.generation, current > limit {
            logger.notice("job \(id): a stop for generation \(limit) leaves the newer run (generation \(current)) alone")
            return
        }
        guard let job = jobs.removeValue(forKey: id) else { throw APIError.notFound("No job '\(id)' on this worker.") }
        await job.run?.stop(grace: settings.stopGrace)
        folders.remove(job.spec.outputPath)
        pruneSubtitleCues()
        logger.info("job \(id): deleted")
    }

    /// Stops every job and removes every job folder (worker shutdown).
    public func shutdown() async {
        for id in jobs.keys.sorted() {
            try? await delete(id)
        }
    }

    /// Kills encodes whose output time has not moved for `timeout` seconds; they end as
    /// failed with that reason, like a crash, and the orchestrator retries them.
    public func killHungJobs(timeout: Double) async {
        let limit = Duration.milliseconds(Int(timeout * 1000))
        for (id, job) in jobs {
            guard let run = job.run, run.current.state.isActive, ContinuousClock.now - run.current.lastProgressAt > limit else { continue }
            let reason = "No progress for \(Int(timeout)) s: FFmpeg hung and was killed."
            logger.warning("job \(id): \(reason)")
            await run.kill(reason: reason)
        }
    }

    /// Removes job folders that an earlier run of this worker left behind.
    public func removeStaleFolders() {
        for folder in folders.stale() where !jobs.values.contains(where: { $0.spec.outputPath == folder }) {
            logger.info("removing stale job folder \(folder)")
            folders.remove(folder)
        }
    }
}
