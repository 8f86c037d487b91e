import TranscodeWire

/// A job as the orchestrator tracks it.
struct JobRecord: Sendable {
    var jobID: String
    /// Worker that runs it; nil while pending.
    var workerID: String?
    var sourcePath: String
    var outputPath: String?
    /// The configuration as the client last sent it (a repeat of it changes nothing).
    var requested: JobConfiguration
    /// The configuration the current run was started with (its seek may differ after a
    /// failover or a player's jump).
    var configuration: JobConfiguration
    var state: JobState
    var progress: Double?
    var speed: String?
    /// The worker's word that the run falls behind a viewer; nil when it said nothing.
    var cannotKeepUp: Bool?
    var lastSegmentID: Int?
    /// First segment of the current run.
    var startSegment: Int?
    /// Movie length, from the worker's probe.
    var duration: Double?
    /// Segment length T of the worker that runs it.
    var segmentSeconds: Int?
    /// The last segment a player fetched through the orchestrator.
    var lastFetchedSegment: Int?
    /// Grows on every run the orchestrator starts (a move, a restart, a seek): reports of an
    /// older run are stale and change nothing (fencing).
    var generation = 0
    /// Restarts after a failed FFmpeg.
    var retries = 0
    /// Moves to another worker after the worker died.
    var failovers = 0
    /// The last move, for clients and tests.
    var lastFailover: Failover?
    /// Set when its worker came back without it (restarted) or stopped listing it: the run is gone.
    var runLost = false
    /// When the current run was handed to its worker (a heartbeat sent before that may not list it yet).
    var dispatchedAt = ContinuousClock.now
    /// What the current run writes (codecs, size, rates), once its worker has read a segment.
    var output: OutputFormat?
    /// The text subtitle track its worker serves as a WebVTT rendition.
    var subtitleTrack: MediaTrack?
    /// Set once the retries are spent: the job stays failed.
    var gaveUp = false
    var error: String?
    /// What the current run does to HDR, as its worker reports it.
    var toneMapped: String?

    /// What the current run's segments are (`configuration.container`).
    var container: SegmentContainer { configuration.segmentContainer ?? .ts }

    /// The controller payload for the current run.
    var payload: ControllerPayload {
        ControllerPayload(jobID: jobID, sourcePath: sourcePath, outputPath: outputPath, configuration: configuration)
    }

    /// Takes what the job's worker reported; only `Pool.apply` calls it.
    mutating func apply(_ report: WorkerJob) {
        if let reported = report.generation { generation = max(generation, reported) }
        state = report.state ?? state
        progress = report.progress ?? progress
        speed = report.speed ?? speed
        cannotKeepUp = report.cannotKeepUp ?? cannotKeepUp
        lastSegmentID = report.lastSegmentID ?? (report.state == .starting ? nil : lastSegmentID)
        startSegment = report.startSegment ?? startSegment
        duration = report.duration ?? duration
        segmentSeconds = report.segmentSeconds ?? segmentSeconds
        output = report.output ?? output
        // A new run reports its rendition from its start; a third-party worker reports none.
        subtitleTrack = report.subtitleTrack ?? (report.state == .starting ? nil : subtitleTrack)
        if report.state != nil { toneMapped = report.toneMapped }
        if state != .failed || !gaveUp { error = report.error }
    }

    /// Where a run that replaces a lost one starts: after the last segment a player fetched,
    /// else after the last one reported, else where the lost run started.
    var resumeSegment: Int {
        if let fetched = lastFetchedSegment { return fetched + 1 }
        if let last = lastSegmentID { return last + 1 }
        return startSegment ?? 0
    }

    /// Where a run starts that continues the stream at segment `n` after another run's
    /// segment n-1: one segment earlier. A run's first segment may lack the few audio packets
    /// that straddle its start; from its second segment on it is packet for packet what any
    /// other run writes, so the player's switch happens on an identical segment.
    static func runStart(continuing n: Int) -> Int { max(0, n - 1) }

    /// Points the run's configuration at segment `n` (seek n x T): every new run of a job
    /// (failover, retry, drain, on-demand restart) starts on a segment boundary.
    mutating func seekRun(toSegment n: Int, segmentSeconds t: Int) {
        configuration.seekTime = SeekTime.format(n * t)
    }

    /// Segments in the movie, when its length is known.
    func segmentCount(segmentSeconds t: Int) -> Int? {
        duration.map { Int(($0 / Double(t)).rounded(.up)) }
    }
}

/// A move of a job from a lost worker to another.
struct Failover: Codable, Sendable, Equatable {
    var fromWorker: String
    var reason: String
    var lastSegmentID: Int?
    var lastFetchedSegment: Int?
    var resumeSegment: Int
    var toWorker: String?

    enum CodingKeys: String, CodingKey {
        case reason
        case fromWorker = "from_worker"
        case lastSegmentID = "last_segment_id"
        case lastFetchedSegment = "last_fetched_segment"
        case resumeSegment = "resume_segment"
        case toWorker = "to_worker"
    }
}
