/// `POST /v1/workers`: the seed's registration plus the contract's additions.
public struct Registration: Codable, Sendable, Equatable {
    /// Worker id, e.g. `fedora-desktop-01`.
    public var id: String
    public var staticSpecs: StaticSpecs
    /// Callback URL of the worker (addition; absent for a seed-only worker).
    public var address: String?
    /// Jobs the worker runs at once (addition).
    public var maxJobs: Int?
    /// Segment length T (addition).
    public var segmentSeconds: Int?
    /// Active jobs with full configuration, so a restarted orchestrator can rebuild its table (addition).
    public var jobs: [WorkerJob]?

    enum CodingKeys: String, CodingKey {
        case id, address, jobs
        case staticSpecs = "static_specs"
        case maxJobs = "max_jobs"
        case segmentSeconds = "segment_seconds"
    }

    /// Creates a registration.
    public init(id: String, staticSpecs: StaticSpecs, address: String?, maxJobs: Int?, segmentSeconds: Int?, jobs: [WorkerJob]?) {
        self.id = id
        self.staticSpecs = staticSpecs
        self.address = address
        self.maxJobs = maxJobs
        self.segmentSeconds = segmentSeconds
        self.jobs = jobs
    }
}

/// The seed's `static_specs`.
public struct StaticSpecs: Codable, Sendable, Equatable {
    public var cpuModel: String
    public var totalThreads: Int
    /// API families, e.g. `["<api>", ...]` from the backends that can run.
    public var hardwareAcceleration: [String]
    /// Encoder names the worker can run (addition).
    public var encoders: [String]?
    /// Hardware session limits per session pool, e.g. `{"<pool>": 8}` (addition).
    public var sessionLimits: [String: Int]?
    /// Every backend with its availability and reason (addition, for the dashboard).
    public var backends: [BackendSummary]?
    /// The worker's `--path-map` translations of source paths (addition; absent when none).
    public var pathMaps: [PathMapping]?

    enum CodingKeys: String, CodingKey {
        case encoders, backends
        case pathMaps = "path_maps"
        case cpuModel = "cpu_model"
        case totalThreads = "total_threads"
        case hardwareAcceleration = "hardware_acceleration"
        case sessionLimits = "session_limits"
    }

    /// Creates specs.
    public init(
        cpuModel: String, totalThreads: Int, hardwareAcceleration: [String], encoders: [String]?, sessionLimits: [String: Int]? = nil,
        backends: [BackendSummary]? = nil, pathMaps: [PathMapping]? = nil
    ) {
        self.backends = backends
        self.pathMaps = pathMaps
        self.cpuModel = cpuModel
        self.totalThreads = totalThreads
        self.hardwareAcceleration = hardwareAcceleration
        self.encoders = encoders
        self.sessionLimits = sessionLimits
    }
}

/// A job as a worker reports it to the orchestrator (registration and heartbeats).
public struct WorkerJob: Codable, Sendable, Equatable {
    public var jobID: String
    public var sourcePath: String
    public var outputPath: String?
    public var configuration: JobConfiguration
    public var state: JobState?
    public var progress: Double?
    public var speed: String?
    /// Whether the run falls behind a viewer (`JobStatus.cannotKeepUp`); nil from a seed-only worker.
    public var cannotKeepUp: Bool?
    public var lastSegmentID: Int?
    /// First segment of the current run.
    public var startSegment: Int?
    /// FFmpeg's reason when failed.
    public var error: String?
    /// Length of the movie in seconds.
    public var duration: Double?
    /// Segment length T.
    public var segmentSeconds: Int?
    /// The run's generation (fencing: a report of an older one is stale); nil from a seed-only worker.
    public var generation: Int?
    /// What the run writes, once its first segment is finished.
    public var output: OutputFormat?
    /// The text subtitle track the worker serves as a WebVTT rendition.
    public var subtitleTrack: MediaTrack?

    /// What the run does to HDR (`pq->bt709 (hable)`); nil when nothing, or from a seed-only worker.
    public var toneMapped: String?

    enum CodingKeys: String, CodingKey {
        case configuration, state, progress, speed, error, duration, generation, output
        case subtitleTrack = "subtitle_track"
        case toneMapped = "tone_mapped"
        case segmentSeconds = "segment_seconds"
        case cannotKeepUp = "cannot_keep_up"
        case jobID = "job_id"
        case sourcePath = "source_path"
        case outputPath = "output_path"
        case lastSegmentID = "last_segment_id"
        case startSegment = "start_segment"
    }

    /// Creates a report from a worker's job status.
    public init(_ status: JobStatus) {
        jobID = status.jobID
        sourcePath = status.sourcePath
        outputPath = status.outputPath
        configuration = status.configuration
        state = status.state
        progress = status.progress
        speed = status.speed
        cannotKeepUp = status.cannotKeepUp
        lastSegmentID = status.lastSegmentID
        startSegment = status.startSegment
        error = status.error
        duration = status.duration
        segmentSeconds = status.segmentSeconds
        generation = status.generation
        output = status.output
        subtitleTrack = status.subtitleTrack
        toneMapped = status.toneMapped
    }
}
