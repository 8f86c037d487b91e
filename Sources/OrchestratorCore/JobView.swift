import TranscodeWire

/// A job as clients see it at the orchestrator; unknown values are `null`.
struct JobView: Encodable, Sendable {
    var jobID: String
    var state: JobState
    @NullEncoded var workerID: String?
    var playlistURL: String
    /// The master playlist: the video with its attributes and the subtitle rendition.
    @NullEncoded var masterURL: String?
    var sourcePath: String
    @NullEncoded var outputPath: String?
    /// What the client asked for (a run's own seek may differ after a failover).
    var configuration: JobConfiguration
    @NullEncoded var progress: Double?
    @NullEncoded var speed: String?
    /// The run falls behind a viewer (speed below 1.0x for several seconds); null when unknown.
    @NullEncoded var cannotKeepUp: Bool?
    @NullEncoded var lastSegmentID: Int?
    @NullEncoded var startSegment: Int?
    @NullEncoded var lastFetchedSegment: Int?
    @NullEncoded var duration: Double?
    @NullEncoded var segmentSeconds: Int?
    var generation: Int
    var retries: Int
    var failovers: Int
    @NullEncoded var lastFailover: Failover?
    @NullEncoded var error: String?

    enum CodingKeys: String, CodingKey {
        case state, configuration, progress, speed, retries, failovers, error, duration, generation
        case jobID = "job_id"
        case workerID = "worker_id"
        case playlistURL = "playlist_url"
        case masterURL = "master_url"
        case sourcePath = "source_path"
        case outputPath = "output_path"
        case lastSegmentID = "last_segment_id"
        case startSegment = "start_segment"
        case lastFetchedSegment = "last_fetched_segment"
        case lastFailover = "last_failover"
        case segmentSeconds = "segment_seconds"
        case cannotKeepUp = "cannot_keep_up"
    }

    /// `playlistURL`: the stable playlist, absolute and signed (`PlaybackLinks`), served by the
    /// orchestrator whichever worker runs the job.
    init(_ r: JobRecord, playlistURL: String, masterURL: String? = nil) {
        jobID = r.jobID
        state = r.state
        workerID = r.workerID
        self.playlistURL = playlistURL
        self.masterURL = masterURL
        sourcePath = r.sourcePath
        outputPath = r.outputPath
        configuration = r.requested
        progress = r.progress
        speed = r.speed
        cannotKeepUp = r.cannotKeepUp
        lastSegmentID = r.lastSegmentID
        startSegment = r.startSegment
        lastFetchedSegment = r.lastFetchedSegment
        duration = r.duration
        segmentSeconds = r.segmentSeconds
        generation = r.generation
        retries = r.retries
        failovers = r.failovers
        lastFailover = r.lastFailover
        error = r.error
    }
}
