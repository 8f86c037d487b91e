import MediaProbe
import TranscodeBackend
import TranscodeWire

/// A validated job, built once by `JobManager.validate` and then passed on: resolved paths,
/// the probed source, the chosen backend itself and the encode request it runs.
struct JobSpec: Sendable {
    var jobID: String
    /// `source_path` as the request named it, reported back unchanged: with `--path-map` the
    /// orchestrator sees its own path, not where this worker mounts the file.
    var requestedSourcePath: String
    /// As the client sent it (reported back unchanged).
    var configuration: JobConfiguration
    /// True when the client asked for `auto`: a failed hardware start may fall back.
    var isAuto: Bool
    /// The backend that builds the command line.
    var backend: any EncoderBackend
    /// What the backend turns into FFmpeg arguments: paths, encoder, bitrate, start segment, source.
    var request: EncodeRequest
    /// A text subtitle track served beside the video as a WebVTT rendition, if the job asked for one.
    var subtitleRendition: MediaTrack?
    /// The orchestrator's generation of this run (fencing), nil when none was given.
    var generation: Int?

    var sourcePath: String { request.sourcePath }
    var outputPath: String { request.outputDirectory }
    /// The encoder FFmpeg runs, after `auto` was resolved.
    var encoder: String { request.encoder }
    var startSegment: Int { request.startSegment }

    /// The same job on another backend (an `auto` fallback).
    func on(_ backend: any EncoderBackend, encoder: String) -> JobSpec {
        var spec = self
        spec.backend = backend
        spec.request.encoder = encoder
        return spec
    }

    /// Same work: a repeat of this request must not restart FFmpeg.
    func sameWork(as other: JobSpec) -> Bool {
        let mine = request, theirs = other.request
        return mine.sourcePath == theirs.sourcePath && mine.outputDirectory == theirs.outputDirectory
            && (isAuto ? other.isAuto : mine.encoder == theirs.encoder && !other.isAuto)
            && mine.bitrateBps == theirs.bitrateBps && mine.forceRemux == theirs.forceRemux
            && mine.startSegment == theirs.startSegment && mine.segmentSeconds == theirs.segmentSeconds
            && mine.audio == theirs.audio && mine.burnIn == theirs.burnIn && mine.toneMap == theirs.toneMap
            && mine.container == theirs.container
            && subtitleRendition == other.subtitleRendition
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
    /// Backends already tried for this `auto` job, by id.
    var triedBackends: [String] = []
    /// The streams of the run's first finished segment (`JobManager.watchOutput`).
    var output: OutputProbe.Streams?
    /// Where the current run's start time went (`timeline`), from the request that started it.
    var clock: RunClock?

    /// The job as the API shows it.
    var status: JobStatus {
        let snapshot = run?.current
        let state: JobState = failure != nil ? .failed : snapshot?.state ?? .failed
        return JobStatus(
            jobID: spec.jobID,
            state: state,
            progress: snapshot?.progress ?? 0,
            speed: snapshot?.speed,
            cannotKeepUp: state.isActive && (snapshot?.keepUp.cannotKeepUp ?? false),
            lastSegmentID: snapshot?.lastSegmentID,
            startSegment: spec.startSegment,
            encoder: spec.encoder,
            backend: spec.backend.id,
            pid: state.isActive ? run?.pid : nil,
            ffmpegArgs: run?.commandLine ?? [],
            sourcePath: spec.requestedSourcePath,
            outputPath: spec.outputPath,
            configuration: spec.configuration,
            error: failure ?? (state == .failed ? snapshot?.reason : nil),
            notes: notes,
            duration: spec.request.source.duration,
            segmentSeconds: spec.request.segmentSeconds,
            generation: spec.generation,
            output: SegmentRates.format(output, directory: spec.outputPath),
            subtitleTrack: spec.subtitleRendition,
            toneMapped: PictureFilters.summary(spec.request.toneMap),
            timeline: clock?.view
        )
    }

    var isActive: Bool { failure == nil && (run?.current.state.isActive ?? false) }
}
