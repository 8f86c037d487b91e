/// Everything a backend needs to build one FFmpeg command line.
public struct EncodeRequest: Sendable, Equatable {
    /// Absolute path of the source movie.
    public var sourcePath: String
    /// Folder that receives `index.m3u8` and the segments.
    public var outputDirectory: String
    /// FFmpeg encoder name, e.g. `libx264`.
    public var encoder: String
    /// Target video bitrate in bits per second.
    public var bitrateBps: Int
    /// Copy the streams instead of encoding.
    public var forceRemux: Bool
    /// Segment length T in seconds.
    public var segmentSeconds: Int
    /// First segment number: floor(seek / T).
    public var startSegment: Int
    /// What ffprobe said about the source.
    public var source: SourceInfo
    /// The audio track and channels to encode.
    public var audio = AudioPlan()
    /// Subtitles drawn into the picture, if any.
    public var burnIn: BurnIn?
    /// HDR to SDR, when the source is HDR and the job did not turn it off.
    public var toneMap: ToneMap?
    /// What the segments are: MPEG-TS (the default) or fMP4.
    public var container: SegmentContainer = .ts

    /// Creates a request.
    public init(
        sourcePath: String, outputDirectory: String, encoder: String, bitrateBps: Int,
        forceRemux: Bool, segmentSeconds: Int, startSegment: Int, source: SourceInfo
    ) {
        self.sourcePath = sourcePath
        self.outputDirectory = outputDirectory
        self.encoder = encoder
        self.bitrateBps = bitrateBps
        self.forceRemux = forceRemux
        self.segmentSeconds = segmentSeconds
        self.startSegment = startSegment
        self.source = source
    }

    /// The one way a caller builds a request (jobs, `plan`, the verification encode): the
    /// run starts at the segment boundary at or before `seekSeconds`, floor(seek / T), so
    /// segment N always covers [N x T, (N+1) x T) of the movie.
    public init(
        sourcePath: String, outputDirectory: String, encoder: String, bitrateBps: Int,
        forceRemux: Bool, segmentSeconds: Int, seekSeconds: Double, source: SourceInfo
    ) {
        self.init(
            sourcePath: sourcePath, outputDirectory: outputDirectory, encoder: encoder, bitrateBps: bitrateBps,
            forceRemux: forceRemux, segmentSeconds: segmentSeconds,
            startSegment: Int(max(0, seekSeconds)) / max(1, segmentSeconds), source: source
        )
    }

    /// Where in the movie the encode starts, in seconds: startSegment x T.
    public var startSeconds: Int { startSegment * segmentSeconds }

    /// Where the run's first frame lies: on the output's frame grid, at or just after
    /// `startSeconds`. A remux keeps the source's frames as they are and starts at the boundary.
    public var runStart: RunStart {
        RunStart(boundary: startSeconds, grid: forceRemux ? nil : source.frameGrid)
    }

    /// The codec part of the encoder name: `h264_<api>` -> `h264`, `libx264` -> `h264`.
    public var codec: String { VideoCodec.of(encoder: encoder) }

    /// The video codec the segments carry: the encoder's, or the source's on a remux.
    public var outputCodec: String? { forceRemux ? source.videoCodec : codec }
}

/// The audio a run encodes: one track of the source, as stereo or 5.1.
public struct AudioPlan: Sendable, Equatable {
    /// Index among the source's audio streams (`0:a:N`).
    public var track: Int
    /// Output channels: 2 or 6.
    public var channels: Int
    /// The track's own channel count, when known (a 5.1 or 7.1 track is downmixed for 2).
    public var sourceChannels: Int?

    /// Creates a plan; the default is the first track in stereo.
    public init(track: Int = 0, channels: Int = 2, sourceChannels: Int? = nil) {
        self.track = track
        self.channels = channels
        self.sourceChannels = sourceChannels
    }
}

/// Subtitles drawn into the video, from a track of the source.
public enum BurnIn: Sendable, Equatable {
    /// A text track (SRT, ASS, ...), rendered by libass: index among the subtitle streams.
    case text(track: Int)
    /// A bitmap track (PGS, DVD, DVB), overlaid: index among the subtitle streams.
    case bitmap(track: Int)

    /// Index among the source's subtitle streams (`0:s:N`).
    public var track: Int {
        switch self {
        case .text(let track), .bitmap(let track): track
        }
    }
}

/// HDR to BT.709 SDR: what the source's transfer is.
public struct ToneMap: Sendable, Equatable {
    /// `pq` or `hlg`.
    public var from: DynamicRange

    /// Creates a tone map from an HDR transfer.
    public init(from: DynamicRange) { self.from = from }
}

/// What ffprobe reports about a source file.
public struct SourceInfo: Sendable, Equatable, Codable {
    /// Duration in seconds.
    public var duration: Double
    /// Video codec name as ffprobe names it (`h264`, `hevc`, ...), nil without video.
    public var videoCodec: String?
    /// Frames per second of the video stream, nil when unknown.
    public var frameRate: Double?
    /// The exact rate a constant-rate encode of the video has (FFmpeg's guess), nil when unknown.
    public var frameGrid: FrameGrid?
    /// Pixel format, e.g. `yuv420p10le`.
    public var pixelFormat: String?
    /// Whether the file has an audio stream.
    public var hasAudio: Bool
    /// Every stream, as `GET /v1/media/tracks` lists them (empty when not probed that far).
    public var tracks: [MediaTrack]

    /// Creates a description.
    public init(
        duration: Double, videoCodec: String?, frameRate: Double?, pixelFormat: String?, hasAudio: Bool,
        frameGrid: FrameGrid? = nil, tracks: [MediaTrack] = []
    ) {
        self.duration = duration
        self.videoCodec = videoCodec
        self.frameRate = frameRate
        self.frameGrid = frameGrid
        self.pixelFormat = pixelFormat
        self.hasAudio = hasAudio
        self.tracks = tracks
    }

    /// Pixels per second of the video (width x height x frame rate, 24 fps when unknown);
    /// nil without a known size.
    public var pixelRate: Double? {
        guard let width = video?.width, let height = video?.height, width > 0, height > 0 else { return nil }
        return Double(width * height) * (frameRate ?? video?.frameRate ?? 24)
    }

    /// The first video stream.
    public var video: MediaTrack? { tracks.first { $0.type == .video } }
    /// The audio streams, in order (`0:a:N`).
    public var audioTracks: [MediaTrack] { tracks.filter { $0.type == .audio } }
    /// The subtitle streams, in order (`0:s:N`).
    public var subtitleTracks: [MediaTrack] { tracks.filter { $0.type == .subtitle } }
    /// The video's dynamic range (SDR when unknown).
    public var dynamicRange: DynamicRange { video?.hdr ?? .sdr }
}
