/// Worker status values of the seed.
public enum WorkerStatus: String, Codable, Sendable {
    case idle = "IDLE", busy = "BUSY", stressed = "STRESSED", error = "ERROR", offline = "OFFLINE"
}

/// `POST /v1/workers/{id}/heartbeats` from a worker: the seed's telemetry.
public struct Heartbeat: Codable, Sendable, Equatable {
    public var status: WorkerStatus
    public var telemetry: Telemetry
    /// The seed's single-job context (the first active job); null with no job.
    @NullEncoded public var jobContext: JobContext?
    /// Every job the worker has, active or just ended (addition).
    public var jobs: [WorkerJob]?

    enum CodingKeys: String, CodingKey {
        case status, telemetry, jobs
        case jobContext = "job_context"
    }

    /// Creates a heartbeat.
    public init(status: WorkerStatus, telemetry: Telemetry, jobContext: JobContext?, jobs: [WorkerJob]?) {
        self.status = status
        self.telemetry = telemetry
        self.jobContext = jobContext
        self.jobs = jobs
    }

    /// Reads the seed's payload as written: a status it does not know (the seed's own
    /// example says `"string"`) counts as BUSY, neither preferred nor avoided.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .status)
        status = WorkerStatus(rawValue: raw.uppercased()) ?? .busy
        telemetry = try c.decodeIfPresent(Telemetry.self, forKey: .telemetry) ?? Telemetry(cpuUsage: nil, gpuUsage: nil, ramFreeBytes: nil, tempC: nil)
        jobContext = try c.decodeIfPresent(JobContext.self, forKey: .jobContext)
        jobs = try c.decodeIfPresent([WorkerJob].self, forKey: .jobs)
    }
}

/// The seed's telemetry; unknown numbers are `null`, never a made-up 0.
public struct Telemetry: Codable, Sendable, Equatable {
    /// Percent of all CPUs busy since the last heartbeat.
    @NullEncoded public var cpuUsage: Double?
    @NullEncoded public var gpuUsage: Double?
    /// MemAvailable in bytes.
    @NullEncoded public var ramFreeBytes: Int64?
    /// CPU (or hottest) temperature in °C.
    @NullEncoded public var tempC: Double?
    /// GPU temperature in °C (addition).
    @NullEncoded public var gpuTempC: Double?

    enum CodingKeys: String, CodingKey {
        case cpuUsage = "cpu_usage"
        case gpuUsage = "gpu_usage"
        case ramFreeBytes = "ram_free_bytes"
        case tempC = "temp_c"
        case gpuTempC = "gpu_temp_c"
    }

    /// Creates telemetry.
    public init(cpuUsage: Double?, gpuUsage: Double?, ramFreeBytes: Int64?, tempC: Double?, gpuTempC: Double? = nil) {
        self.cpuUsage = cpuUsage
        self.gpuUsage = gpuUsage
        self.ramFreeBytes = ramFreeBytes
        self.tempC = tempC
        self.gpuTempC = gpuTempC
    }
}

/// The seed's `job_context`.
public struct JobContext: Codable, Sendable, Equatable {
    @NullEncoded public var activeJobID: String?
    @NullEncoded public var progress: Double?
    @NullEncoded public var speed: String?
    @NullEncoded public var lastSegmentID: Int?

    enum CodingKeys: String, CodingKey {
        case progress, speed
        case activeJobID = "active_job_id"
        case lastSegmentID = "last_segment_id"
    }

    /// Creates a context.
    public init(activeJobID: String?, progress: Double?, speed: String?, lastSegmentID: Int?) {
        self.activeJobID = activeJobID
        self.progress = progress
        self.speed = speed
        self.lastSegmentID = lastSegmentID
    }
}

/// `PATCH /v1/workers/{id}`: the death note.
public struct DeathNote: Codable, Sendable, Equatable {
    /// `OFFLINE`.
    public var status: WorkerStatus
    /// `SHUTDOWN`, or what went wrong.
    public var reason: String?

    /// Creates a note.
    public init(status: WorkerStatus = .offline, reason: String?) {
        self.status = status
        self.reason = reason
    }
}
