import TranscodeBackend
import TranscodeWire

/// A validated job: resolved paths, the chosen backend, where the run starts.
struct JobSpec: Sendable {
    var jobID: String
    var sourcePath: String
    var outputPath: String
    /// As the client sent it.
    var configuration: JobConfiguration
    /// The encoder FFmpeg runs, after `auto` was resolved.
    var encoder: String
    var backendID: String
    /// True when the client asked for `auto`: a failed hardware start may fall back.
    var isAuto: Bool
    var bitrateBps: Int
    var forceRemux: Bool
    var startSegment: Int
    var source: SourceInfo?

    /// Same work: a repeat of this request must not restart FFmpeg.
    func sameWork(as other: JobSpec) -> Bool {
        sourcePath == other.sourcePath && outputPath == other.outputPath
            && (isAuto ? other.isAuto : encoder == other.encoder && !other.isAuto)
            && bitrateBps == other.bitrateBps && forceRemux == other.forceRemux && startSegment == other.startSegment
    }
}

/// A job and its current FFmpeg run.
struct Job: Sendable {
    var spec: JobSpec
    var run: FFmpegRun?
    /// Why the job could not start at all (no run).
    var failure: String?
    /// Decisions worth telling the client (fallbacks).
    var notes: [String] = []
    /// Backends already tried for this `auto` job.
    var triedBackends: [String] = []
    /// Segment length T of this worker.
    var segmentSeconds = 4

    /// The job as the API shows it.
    var status: JobStatus {
        let snapshot = run?.current
        let state: JobState = failure != nil ? .failed : snapshot?.state ?? .failed
        return JobStatus(
            jobID: spec.jobID,
            state: state,
            progress: snapshot?.progress ?? 0,
            speed: snapshot?.speed,
            lastSegmentID: snapshot?.lastSegmentID,
            startSegment: spec.startSegment,
            encoder: spec.encoder,
            backend: spec.backendID,
            pid: state.isActive ? run?.pid : nil,
            ffmpegArgs: run?.commandLine ?? [],
            sourcePath: spec.sourcePath,
            outputPath: spec.outputPath,
            configuration: spec.configuration,
            error: failure ?? (state == .failed ? snapshot?.reason : nil),
            notes: notes,
            duration: spec.source?.duration,
            segmentSeconds: segmentSeconds
        )
    }

    var isActive: Bool { failure == nil && (run?.current.state.isActive ?? false) }
}
