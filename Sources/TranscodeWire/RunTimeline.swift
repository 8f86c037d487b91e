/// Where the time of one run went, from the request that started it to its first finished
/// segment (`timeline` in a worker's job status; addition, issue 18). Each stage is the
/// milliseconds since the request reached the worker, on the worker's monotonic clock; null
/// until the stage is reached. The stages follow one another in the order listed, except
/// `first_progress_ms`, `first_frames_ms` and `first_bytes_ms`, which come from FFmpeg
/// independently of each other (all after `spawned_ms`, and before or at `first_segment_ms`
/// as a rule). Light instrumentation: recording it changes nothing the run does.
public struct RunTimeline: Codable, Sendable, Equatable {
    /// Unix time (seconds) at which the request reached the worker: the origin of the stages.
    public var receivedAt: Double
    /// Paths, bitrate, segment length and seek were checked.
    @NullEncoded public var validatedMs: Double? = nil
    /// The source was probed (ffprobe, or the worker's probe cache: `probe_cached`).
    @NullEncoded public var probedMs: Double? = nil
    /// True when the probe came from the cache (same path, size and modification time).
    @NullEncoded public var probeCached: Bool? = nil
    /// The job's previous FFmpeg (a seek, a changed configuration) was stopped and reaped;
    /// right after `probed_ms` when there was none.
    @NullEncoded public var previousStoppedMs: Double? = nil
    /// FFmpeg was spawned (the reply to the request goes out right after).
    @NullEncoded public var spawnedMs: Double? = nil
    /// FFmpeg's first `-progress` block arrived. FFmpeg 5.1 prints it once the output header
    /// is written, i.e. once every output stream's encoder is open: just after the first video
    /// and audio frames were decoded and filtered (the closest the worker sees to "first frame
    /// decoded" without changing FFmpeg's arguments).
    @NullEncoded public var firstProgressMs: Double? = nil
    /// The first `-progress` block counting frames (`frame` > 0). Blocks come every 0.5 s,
    /// so this is coarse: an upper bound of the first encoded frame.
    @NullEncoded public var firstFramesMs: Double? = nil
    /// The first bytes of the run's first segment appeared in its temporary file (polled every
    /// 2 ms). FFmpeg 5.1's HLS muxer holds a TS segment in memory and writes it when it ends, so
    /// today this is `first_segment_ms`; a muxer that writes as it goes would show its first packet.
    @NullEncoded public var firstBytesMs: Double? = nil
    /// The run's first segment is complete (renamed from its temporary file; polled every 2 ms).
    @NullEncoded public var firstSegmentMs: Double? = nil

    enum CodingKeys: String, CodingKey {
        case receivedAt = "received_at"
        case validatedMs = "validated_ms"
        case probedMs = "probed_ms"
        case probeCached = "probe_cached"
        case previousStoppedMs = "previous_stopped_ms"
        case spawnedMs = "spawned_ms"
        case firstProgressMs = "first_progress_ms"
        case firstFramesMs = "first_frames_ms"
        case firstBytesMs = "first_bytes_ms"
        case firstSegmentMs = "first_segment_ms"
    }

    /// A timeline whose request arrived at `receivedAt` (Unix seconds), no stage reached yet.
    public init(receivedAt: Double) {
        self.receivedAt = receivedAt
    }
}
