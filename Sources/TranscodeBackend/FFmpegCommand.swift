/// The parts of an FFmpeg HLS command line that every backend shares.
///
/// A backend supplies what is its own (hardware setup, filters, encoder options) and
/// this assembles the whole list in a fixed order.
public struct FFmpegCommand: Sendable, Equatable {
    /// Options placed before `-ss`/`-i` (hardware devices, decoders). Left out on a remux,
    /// which decodes nothing, so no backend needs to guard against it.
    public var inputOptions: [String] = []
    /// The `-vf` filter chain, if any.
    public var videoFilter: String?
    /// A `-filter_complex` graph instead of `videoFilter` (it wins when both are set), for
    /// filters with a second input such as a subtitle stream; its video output is mapped.
    public var filterGraph: FilterGraph?
    /// `-c:v ...` and its options.
    public var videoCodec: [String] = []
    /// Keyframe placement options.
    public var keyframes: [String] = []

    /// Creates an empty command to fill in.
    public init() {}

    /// A `-filter_complex` graph and the label of its video output.
    public struct FilterGraph: Sendable, Equatable {
        /// The graph, inputs named `[0:v:0]`, `[0:s:N]`.
        public var graph: String
        /// Its video output's label, without brackets.
        public var output: String

        /// Creates a graph.
        public init(graph: String, output: String) {
            self.graph = graph
            self.output = output
        }
    }

    /// Segment file name pattern of a TS job inside the output folder; `%d` is the sequence
    /// number (`SegmentMuxing.pattern` for either container).
    public static let segmentPattern = SegmentMuxing.pattern(.ts)
    /// Playlist file name inside the output folder.
    public static let playlistName = "index.m3u8"

    /// The forced-keyframe expression that puts a keyframe on the first frame of every segment.
    ///
    /// FFmpeg's `t` counts from the run's first frame, which lies `lead` seconds after its
    /// boundary (see `RunStart`), so a later boundary j x T is at t = j x T - lead.
    public static func forcedKeyframes(for request: EncodeRequest) -> [String] {
        let start = request.runStart
        let shift = start.lead == 0 ? "" : "-" + RunStart.micro(start.lead)
        return ["-force_key_frames", "expr:gte(t,n_forced*\(request.segmentSeconds)\(shift))"]
    }

    /// A fixed GOP of one segment, for encoders that ignore forced keyframes:
    /// `-g N -keyint_min N` with N = `framesPerSegment`.
    public static func fixedGOP(every seconds: Int, frameRate: Double?) -> [String] {
        let frames = "\(framesPerSegment(seconds: seconds, frameRate: frameRate))"
        return ["-g", frames, "-keyint_min", frames]
    }

    /// Frame rate assumed when ffprobe reported none.
    public static let defaultFrameRate = 24.0

    /// Frames per segment: ceil(T x fps), with fps 24 when unknown, and at least 1.
    public static func framesPerSegment(seconds: Int, frameRate: Double?) -> Int {
        var fps = frameRate ?? defaultFrameRate
        if !fps.isFinite || fps <= 0 { fps = defaultFrameRate }
        // The small epsilon keeps 4 x 25.0000000001 at 100 rather than 101.
        let frames = (Double(seconds) * fps - 1e-6).rounded(.up)
        return max(1, Int(frames))
    }

    /// Rate control shared by most encoders: target, ceiling and a two-second buffer.
    public static func bitrate(_ bps: Int) -> [String] {
        ["-b:v", "\(bps)", "-maxrate", "\(bps)", "-bufsize", "\(bps * 2)"]
    }

    /// Audio sample rate of every encode: one rate makes one grid of AAC packets
    /// (1024 samples each) for every run of a job.
    public static let audioSampleRate = 48_000
    /// Samples in one AAC packet.
    static let aacFrameSamples = 1_024

    /// Samples to drop at the start of a run that begins at `seconds`, so that its AAC
    /// packets fall on the grid a run from 0 has (packet k starts at k x 1024 samples).
    public static func audioGridTrim(startSeconds seconds: Double) -> Int {
        let start = Int((seconds * Double(audioSampleRate)).rounded())
        let frame = aacFrameSamples
        return (frame - start % frame) % frame
    }

    /// The full argument list for the request.
    ///
    /// One timestamp scheme for every run, so that segment N carries the same timestamps
    /// whichever run wrote it (players stop for good on a step back): every run seeks with
    /// `-ss` and puts the movie's time back with `-output_ts_offset`, also at 0; a run starts
    /// on the output's frame grid (`RunStart`), so its frames fall where a run from 0 puts
    /// them; no run is shifted by `avoid_negative_ts` (it would move only runs whose first
    /// DTS is negative); audio is resampled to one rate and trimmed onto one packet grid.
    public func arguments(for request: EncodeRequest) -> [String] {
        let run = request.runStart
        let start = run.text
        var args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        // A remux decodes nothing: device and decoder options would only open hardware it never uses.
        if !request.forceRemux { args += inputOptions }
        args += ["-ss", "\(start)", "-i", request.sourcePath]
        let graph = request.forceRemux ? nil : filterGraph
        if let graph { args += ["-filter_complex", graph.graph] }
        args += ["-map", graph.map { "[\($0.output)]" } ?? "0:v:0", "-map", "0:a:\(request.audio.track)?"]
        if request.forceRemux {
            args += ["-c:v", "copy", "-c:a", "copy"]
        } else {
            if graph == nil, let videoFilter { args += ["-vf", videoFilter] }
            args += videoCodec
            if request.toneMap != nil { args += PictureFilters.bt709Tags }
            args += keyframes
            args += AudioEncoding.arguments(request.audio, startSeconds: run.seconds)
        }
        args += SegmentMuxing.streamOptions(request)
        args += ["-output_ts_offset", "\(start)", "-avoid_negative_ts", "disabled"]
        args += [
            "-f", "hls",
            "-hls_time", Self.hlsTime(request.segmentSeconds, after: run),
            "-hls_list_size", "0",
            "-hls_playlist_type", "event",
            // Segments are written as .tmp and renamed when complete: no reader sees half a segment.
            "-hls_flags", "temp_file",
            "-hls_segment_options", SegmentMuxing.segmentOptions(request.container),
        ]
        args += SegmentMuxing.typeOptions(request.container)
        args += [
            "-start_number", "\(request.startSegment)",
            "-hls_segment_filename", request.outputDirectory + "/" + SegmentMuxing.pattern(request.container),
            "-progress", "pipe:1", "-nostats",
            request.outputDirectory + "/" + Self.playlistName,
        ]
        return args
    }

    /// The HLS muxer cuts at a keyframe once T x (segments so far) has passed since the run's
    /// first packet. A run that starts `lead` after its boundary reaches the next boundary
    /// T - lead after its start, so it cuts on T - lead: else a boundary whose first frame
    /// lies closer to it than the run's own start would be skipped, and the run's segment
    /// numbers would drift from the movie's. Keyframes sit only on boundaries, so the
    /// smaller value cuts nowhere else.
    static func hlsTime(_ seconds: Int, after run: RunStart) -> String {
        run.lead == 0 ? "\(seconds)" : RunStart.micro(Double(seconds) - run.lead)
    }
}
