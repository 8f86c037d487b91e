import MediaProbe
import Foundation
import Logging
import ServiceSupport
import TranscodeBackend
import TranscodeWire

/// Owns every job on this worker: validates requests, starts and stops FFmpeg, and keeps
/// the output folders clean. Operations on one job run one after another; different jobs
/// proceed side by side.
public actor JobManager {
    let settings: WorkerSettings
    let policy: PathPolicy
    let folders: JobFolders
    /// Backends and encoder choice.
    public let selector: BackendSelector
    let prober: SourceProbe
    let logger: Logger
    var jobs: [String: Job] = [:]
    private let queue = KeyedSerialQueue()
    var probeCache: [String: (stamp: String, info: SourceInfo)] = [:]
    /// The text tracks shown as WebVTT renditions, by `cueKey`, each extracted once.
    var subtitleCues: [String: SubtitleExtraction] = [:]

    /// Bitrates outside this range are refused.
    public static let bitrateRange = JobConfiguration.bitrateRange
    /// Bitrate when the request names none.
    public static let defaultBitrate = 5_000_000

    /// Creates the manager.
    public init(settings: WorkerSettings, selector: BackendSelector, logger: Logger) {
        self.settings = settings
        self.policy = PathPolicy(mediaRoots: settings.mediaRoots, transcodeRoot: settings.transcodeRoot, pathMaps: settings.pathMaps)
        self.folders = JobFolders(root: policy.transcodeRoot)
        self.selector = selector
        self.prober = SourceProbe(ffprobe: settings.ffprobe)
        self.logger = logger
    }

    /// Runs `body` after every earlier operation on the same job has finished.
    func serialized<T: Sendable>(_ id: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await queue.run(id, body)
    }

    /// Creates or updates a job (idempotent). Returns its status and whether it is new.
    public func upsert(_ payload: ControllerPayload, pathJobID: String?) async throws -> (status: JobStatus, created: Bool) {
        if let pathJobID, let bodyID = payload.jobID, bodyID != pathJobID {
            throw APIError.badRequest("job_id in the body ('\(bodyID)') differs from the one in the path ('\(pathJobID)').")
        }
        guard let id = pathJobID ?? payload.jobID else {
            throw APIError.badRequest("The request names no job_id.")
        }
        guard JobID.isSafe(id) else {
            throw APIError.badRequest("\(JobID.rule); got '\(id.prefix(140))'.")
        }
        let clock = RunClock()
        return try await serialized(id) { try await self.apply(payload, id: id, clock: clock) }
    }

    private func apply(_ payload: ControllerPayload, id: String, clock: RunClock) async throws -> (status: JobStatus, created: Bool) {
        let spec = try await validate(payload, id: id, clock: clock)
        let existing = jobs[id]
        if var existing, existing.failure == nil, existing.spec.sameWork(as: spec),
           let state = existing.run?.current.state, state != .failed, state != .stopped {
            // The same run, now under the orchestrator's newer generation.
            existing.spec.generation = spec.generation ?? existing.spec.generation
            jobs[id] = existing
            return (existing.status, false)
        }
        return try await replace(existing, with: Job(spec: spec, triedBackends: [spec.backend.id], clock: clock))
    }

    /// Stops what runs for the job, clears its folder and starts the new run.
    private func replace(_ existing: Job?, with job: Job) async throws -> (status: JobStatus, created: Bool) {
        var job = job
        // The folder is emptied next, so the old run's unfinished segment is worth nothing.
        await existing?.run?.abort()
        job.clock?.mark(.previousStopped)
        if let old = existing?.spec.outputPath, old != job.spec.outputPath {
            folders.remove(old)
        }
        if job.failure == nil {
            try checkCapacity(for: job.spec)
            try checkFreeSpace()
            do {
                try folders.prepare(job.spec.outputPath)
                job.run = try start(job.spec, clock: job.clock)
                job.clock?.mark(.spawned)
            } catch {
                job.failure = "The worker could not start FFmpeg: \(error)"
            }
        }
        jobs[job.spec.jobID] = job
        if job.failure == nil {
            prepareSubtitles(for: job.spec)
            watchOutput(of: job)
            if let run = job.run { job.clock?.watchFirstSegment(directory: job.spec.outputPath, number: job.spec.startSegment, container: job.spec.request.container, run: run) }
        }
        let status = job.status
        logger.info("job \(job.spec.jobID): \(status.state.rawValue) with \(job.spec.encoder) at segment \(job.spec.startSegment)")
        return (status, existing == nil)
    }

    /// Spawns FFmpeg for the spec.
    private func start(_ spec: JobSpec, clock: RunClock?) throws -> FFmpegRun {
        let request = spec.request
        let id = spec.jobID
        WorkerMetrics.spawns.increment()
        return try FFmpegRun(
            ffmpeg: settings.ffmpeg, arguments: spec.backend.arguments(for: request, inventory: selector.inventory),
            outputDirectory: spec.outputPath, startSeconds: Double(request.startSeconds), duration: request.source.duration,
            onReport: { report in clock?.observe(report) },
            onEnd: { [weak self] snapshot in
                guard let self else { return }
                Task { await self.runEnded(id, snapshot: snapshot) }
            }
        )
    }

    /// Called when a run exits on its own: logs failures and lets `auto` jobs fall back.
    func runEnded(_ id: String, snapshot: FFmpegRun.Snapshot) async {
        guard snapshot.state == .failed else { return }
        WorkerMetrics.failures.increment()
        logger.warning("job \(id) failed: \(snapshot.reason ?? "unknown reason")")
        guard let job = jobs[id], job.spec.isAuto, snapshot.lastSegmentID == nil,
              job.run?.current.exitStatus != nil, job.run?.current.state == .failed,
              job.triedBackends.count == 1,
              let next = selector.fallback(
                  after: job.spec.backend, source: job.spec.request.source, needs: PictureFeatures(needsOf: job.spec.request)
              ),
              !job.triedBackends.contains(next.backend.id)
        else { return }
        _ = try? await serialized(id) { try await self.fallBack(id, to: next.backend, encoder: next.encoder, reason: snapshot.reason) }
    }

    private func fallBack(_ id: String, to backend: any EncoderBackend, encoder: String, reason: String?) async throws {
        guard var job = jobs[id], job.run?.current.state == .failed else { return }
        let failed = job.spec.backend.id
        job.spec = job.spec.on(backend, encoder: encoder)
        job.triedBackends.append(backend.id)
        job.clock = RunClock()
        WorkerMetrics.retries.increment()
        job.notes.append("Backend '\(failed)' failed before its first segment (\(reason ?? "no reason given")); retried with '\(backend.id)' (\(encoder)).")
        logger.warning("job \(id): \(job.notes.last ?? "")")
        _ = try await replace(jobs[id], with: job)
    }
}
