/// A job's lifecycle state, as the contract spells it.
public enum JobState: String, Codable, Sendable {
    case pending, starting, running, completed, failed, stopped

    /// True while FFmpeg is (or is about to be) working.
    public var isActive: Bool { self == .starting || self == .running }
}

/// A job as a worker reports it (`GET /v1/jobs/{id}` and heartbeats).
public struct JobStatus: Codable, Sendable, Equatable {
    public var jobID: String
    public var state: JobState
    /// Percent of the movie done, 0...100.
    public var progress: Double
    /// FFmpeg's speed, e.g. `"1.8x"`; nil before the first report.
    @NullEncoded public var speed: String?
    /// True while `speed` has stayed below 1.0x for several seconds: the run falls behind a
    /// viewer, who stalls (addition).
    public var cannotKeepUp: Bool
    /// Sequence number of the latest finished segment; nil before the first.
    @NullEncoded public var lastSegmentID: Int?
    /// Number of the first segment this run writes: floor(seek / T).
    public var startSegment: Int
    /// The encoder FFmpeg runs, after `auto` was resolved.
    public var encoder: String
    /// The backend that built the command line.
    public var backend: String
    /// FFmpeg's process id while it runs.
    @NullEncoded public var pid: Int32?
    /// The exact argument list, program name first.
    public var ffmpegArgs: [String]
    public var sourcePath: String
    public var outputPath: String
    public var configuration: JobConfiguration
    /// Why the job failed (FFmpeg's own words), or a note such as a fallback.
    @NullEncoded public var error: String?
    /// Notes about what the worker decided (e.g. a fallback to another backend).
    public var notes: [String]
    /// Length of the movie in seconds, once probed.
    @NullEncoded public var duration: Double?
    /// Segment length T of this worker.
    @NullEncoded public var segmentSeconds: Int?
    /// The generation the orchestrator gave this run (null when it gave none).
    @NullEncoded public var generation: Int?
    /// What the run writes, once its first segment is finished (null before).
    @NullEncoded public var output: OutputFormat?
    /// The text subtitle track served as a WebVTT rendition (null when none).
    @NullEncoded public var subtitleTrack: MediaTrack?

    /// What the run does to HDR, e.g. `pq->bt709 (hable)`; null when it does not tone-map.
    @NullEncoded public var toneMapped: String?
    /// Where the current run's start time went (issue 18); null from a worker that does not record it.
    @NullEncoded public var timeline: RunTimeline?

    enum CodingKeys: String, CodingKey {
        case state, progress, speed, encoder, backend, pid, configuration, error, notes, duration, generation, output, timeline
        case subtitleTrack = "subtitle_track"
        case toneMapped = "tone_mapped"
        case segmentSeconds = "segment_seconds"
        case cannotKeepUp = "cannot_keep_up"
        case jobID = "job_id"
        case lastSegmentID = "last_segment_id"
        case startSegment = "start_segment"
        case ffmpegArgs = "ffmpeg_args"
        case sourcePath = "source_path"
        case outputPath = "output_path"
    }

    /// Creates a status.
    public init(
        jobID: String, state: JobState, progress: Double, speed: String?, cannotKeepUp: Bool = false, lastSegmentID: Int?, startSegment: Int,
        encoder: String, backend: String, pid: Int32?, ffmpegArgs: [String], sourcePath: String, outputPath: String,
        configuration: JobConfiguration, error: String?, notes: [String], duration: Double? = nil, segmentSeconds: Int? = nil,
        generation: Int? = nil, output: OutputFormat? = nil, subtitleTrack: MediaTrack? = nil, toneMapped: String? = nil,
        timeline: RunTimeline? = nil
    ) {
        self.jobID = jobID
        self.state = state
        self.progress = progress
        self.speed = speed
        self.cannotKeepUp = cannotKeepUp
        self.lastSegmentID = lastSegmentID
        self.startSegment = startSegment
        self.encoder = encoder
        self.backend = backend
        self.pid = pid
        self.ffmpegArgs = ffmpegArgs
        self.sourcePath = sourcePath
        self.outputPath = outputPath
        self.configuration = configuration
        self.error = error
        self.notes = notes
        self.duration = duration
        self.segmentSeconds = segmentSeconds
        self.generation = generation
        self.output = output
        self.subtitleTrack = subtitleTrack
        self.toneMapped = toneMapped
        self.timeline = timeline
    }
}
