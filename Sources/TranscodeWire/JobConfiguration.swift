/// The seed's `configuration` object: how to transcode.
public struct JobConfiguration: Codable, Sendable, Equatable {
    /// `HH:MM:SS` or `HH:MM:SS.fff`; absent means the start of the movie.
    public var seekTime: String?
    /// Target video bitrate in bits per second.
    public var bitrateBps: Int?
    /// An FFmpeg encoder name, or `auto` (also when absent).
    public var encoder: String?
    /// Stream copy instead of encoding.
    public var forceRemux: Bool?
    /// Which audio track (addition; absent: the default track, else the first).
    public var audio: AudioChoice?
    /// Output channels: 2 (the default, a downmix that keeps the centre) or 6 (5.1).
    public var audioChannels: Int?
    /// A subtitle track as WebVTT or burned in (addition; absent: none).
    public var subtitles: SubtitleChoice?
    /// HDR handling (addition; absent: `auto`, tone-map to SDR).
    public var toneMap: ToneMapMode?
    /// Segment length T for this job (addition; absent: the worker's `--segment-seconds`). A
    /// media server that names its own segment plan (`-hls_time`) needs its own T.
    public var segmentSeconds: Int?
    /// `ts` (also when absent) or `fmp4` (addition; `SegmentContainer`). Kept as sent, so that
    /// an unknown value is refused with a sentence, not a decoding error.
    public var container: String?

    enum CodingKeys: String, CodingKey {
        case encoder, audio, subtitles, container
        case seekTime = "seek_time"
        case bitrateBps = "bitrate_bps"
        case forceRemux = "force_remux"
        case audioChannels = "audio_channels"
        case toneMap = "tone_map"
        case segmentSeconds = "segment_seconds"
    }

    /// Segment lengths a job may ask for.
    public static let segmentSecondsRange = 1...60

    /// Output channel counts a job may ask for.
    public static let audioChannelChoices = [2, 6]

    /// Bitrates a job may ask for; others are refused.
    public static let bitrateRange = 100_000...200_000_000

    /// Creates a configuration.
    public init(
        seekTime: String? = nil, bitrateBps: Int? = nil, encoder: String? = nil, forceRemux: Bool? = nil,
        audio: AudioChoice? = nil, audioChannels: Int? = nil, subtitles: SubtitleChoice? = nil, toneMap: ToneMapMode? = nil,
        segmentSeconds: Int? = nil, container: String? = nil
    ) {
        self.seekTime = seekTime
        self.bitrateBps = bitrateBps
        self.encoder = encoder
        self.forceRemux = forceRemux
        self.audio = audio
        self.audioChannels = audioChannels
        self.subtitles = subtitles
        self.toneMap = toneMap
        self.segmentSeconds = segmentSeconds
        self.container = container
    }

    /// The segment container asked for: `ts` when absent, nil for an unknown value.
    public var segmentContainer: SegmentContainer? { SegmentContainer(configured: container) }
}

/// The seed's controller payload (orchestrator to worker): create or update a job.
public struct ControllerPayload: Codable, Sendable, Equatable {
    /// Job id; in a `PUT /v1/jobs/{id}` the path's id wins when this is absent.
    public var jobID: String?
    /// Absolute path of the source movie.
    public var sourcePath: String
    /// Folder for the HLS output; default `<transcode-root>/<job_id>`.
    public var outputPath: String?
    /// How to transcode.
    public var configuration: JobConfiguration
    /// The run's generation, which grows on every move and restart (addition; fencing).
    public var generation: Int?

    enum CodingKeys: String, CodingKey {
        case configuration, generation
        case jobID = "job_id"
        case sourcePath = "source_path"
        case outputPath = "output_path"
    }

    /// Creates a payload.
    public init(jobID: String?, sourcePath: String, outputPath: String? = nil, configuration: JobConfiguration = JobConfiguration()) {
        self.jobID = jobID
        self.sourcePath = sourcePath
        self.outputPath = outputPath
        self.configuration = configuration
    }

    /// Decodes with a missing `configuration` treated as all defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobID = try c.decodeIfPresent(String.self, forKey: .jobID)
        sourcePath = try c.decode(String.self, forKey: .sourcePath)
        outputPath = try c.decodeIfPresent(String.self, forKey: .outputPath)
        configuration = try c.decodeIfPresent(JobConfiguration.self, forKey: .configuration) ?? JobConfiguration()
        generation = try c.decodeIfPresent(Int.self, forKey: .generation)
    }
}

/// The JSON error body every endpoint returns: one sentence a person can act on.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The sentence.
    public var error: String

    /// Creates an error body.
    public init(error: String) { self.error = error }
}
