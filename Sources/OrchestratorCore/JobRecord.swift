import TranscodeWire

/// A job as the orchestrator tracks it.
struct JobRecord: Sendable {
    var jobID: String
    /// Worker that runs it; nil while pending.
    var workerID: String?
    var sourcePath: String
    var outputPath: String?
    var configuration: JobConfiguration
    var state: JobState
    var progress: Double?
    var speed: String?
    var lastSegmentID: Int?
    /// How many times the orchestrator restarted it after a failure or a lost worker.
    var retries = 0
    var error: String?

    /// The controller payload the worker receives.
    var payload: ControllerPayload {
        ControllerPayload(jobID: jobID, sourcePath: sourcePath, outputPath: outputPath, configuration: configuration)
    }

    /// Takes what a worker reported.
    mutating func update(from report: WorkerJob) {
        state = report.state ?? state
        progress = report.progress ?? progress
        speed = report.speed ?? speed
        lastSegmentID = report.lastSegmentID ?? lastSegmentID
        error = report.error
    }

    /// The stable playlist URL, served by the orchestrator whichever worker runs the job.
    var playlistURL: String { "/v1/jobs/\(jobID)/hls/index.m3u8" }
}

/// A job as clients see it at the orchestrator.
struct JobView: Codable, Sendable {
    var jobID: String
    var state: JobState
    var workerID: String?
    var playlistURL: String
    var sourcePath: String
    var outputPath: String?
    var configuration: JobConfiguration
    var progress: Double?
    var speed: String?
    var lastSegmentID: Int?
    var retries: Int
    var error: String?

    enum CodingKeys: String, CodingKey {
        case state, configuration, progress, speed, retries, error
        case jobID = "job_id"
        case workerID = "worker_id"
        case playlistURL = "playlist_url"
        case sourcePath = "source_path"
        case outputPath = "output_path"
        case lastSegmentID = "last_segment_id"
    }

    init(_ r: JobRecord) {
        jobID = r.jobID
        state = r.state
        workerID = r.workerID
        playlistURL = r.playlistURL
        sourcePath = r.sourcePath
        outputPath = r.outputPath
        configuration = r.configuration
        progress = r.progress
        speed = r.speed
        lastSegmentID = r.lastSegmentID
        retries = r.retries
        error = r.error
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(state, forKey: .state)
        try c.encode(workerID, forKey: .workerID)
        try c.encode(playlistURL, forKey: .playlistURL)
        try c.encode(sourcePath, forKey: .sourcePath)
        try c.encode(outputPath, forKey: .outputPath)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(progress, forKey: .progress)
        try c.encode(speed, forKey: .speed)
        try c.encode(lastSegmentID, forKey: .lastSegmentID)
        try c.encode(retries, forKey: .retries)
        try c.encode(error, forKey: .error)
    }
}
