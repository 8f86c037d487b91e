import TranscodeWire

/// A job as clients see it at the orchestrator.
struct JobView: Encodable, Sendable {
    let record: JobRecord

    init(_ record: JobRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case state, configuration, progress, speed, retries, failovers, error, duration
        case jobID = "job_id"
        case workerID = "worker_id"
        case playlistURL = "playlist_url"
        case sourcePath = "source_path"
        case outputPath = "output_path"
        case lastSegmentID = "last_segment_id"
        case startSegment = "start_segment"
        case lastFetchedSegment = "last_fetched_segment"
        case lastFailover = "last_failover"
        case segmentSeconds = "segment_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        let r = record
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(r.jobID, forKey: .jobID)
        try c.encode(r.state, forKey: .state)
        try c.encode(r.workerID, forKey: .workerID)
        try c.encode(r.playlistURL, forKey: .playlistURL)
        try c.encode(r.sourcePath, forKey: .sourcePath)
        try c.encode(r.outputPath, forKey: .outputPath)
        try c.encode(r.requested, forKey: .configuration)
        try c.encode(r.progress, forKey: .progress)
        try c.encode(r.speed, forKey: .speed)
        try c.encode(r.lastSegmentID, forKey: .lastSegmentID)
        try c.encode(r.startSegment, forKey: .startSegment)
        try c.encode(r.lastFetchedSegment, forKey: .lastFetchedSegment)
        try c.encode(r.duration, forKey: .duration)
        try c.encode(r.segmentSeconds, forKey: .segmentSeconds)
        try c.encode(r.retries, forKey: .retries)
        try c.encode(r.failovers, forKey: .failovers)
        try c.encode(r.lastFailover, forKey: .lastFailover)
        try c.encode(r.error, forKey: .error)
    }
}
