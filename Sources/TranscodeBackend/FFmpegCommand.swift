/// The parts of an FFmpeg HLS command line that every backend shares.
///
/// A backend supplies what is its own (hardware setup, filters, encoder options) and
/// this assembles the whole list in a fixed order.
public struct FFmpegCommand: Sendable, Equatable {
    /// Options placed before `-ss`/`-i` (hardware devices, decoders).
    public var inputOptions: [String] = []
    /// The `-vf` filter chain, if any.
    public var videoFilter: String?
    /// `-c:v ...` and its options.
    public var videoCodec: [String] = []
    /// Keyframe placement options.
    public var keyframes: [String] = []

    /// Creates an empty command to fill in.
    public init() {}

    /// Segment file name pattern inside the output folder; `%d` is the sequence number.
    public static let segmentPattern = "segment%d.ts"
    /// Playlist file name inside the output folder.
    public static let playlistName = "index.m3u8"

    /// The forced-keyframe expression that puts a keyframe at every segment boundary.
    public static func forcedKeyframes(every seconds: Int) -> [String] {
        ["-force_key_frames", "expr:gte(t,n_forced*\(seconds))"]
    }

    /// Rate control shared by most encoders: target, ceiling and a two-second buffer.
    public static func bitrate(_ bps: Int) -> [String] {
        ["-b:v", "\(bps)", "-maxrate", "\(bps)", "-bufsize", "\(bps * 2)"]
    }

    /// The full argument list for the request.
    public func arguments(for request: EncodeRequest) -> [String] {
        var args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        args += inputOptions
        if request.startSeconds > 0 { args += ["-ss", "\(request.startSeconds)"] }
        args += ["-i", request.sourcePath]
        args += ["-map", "0:v:0", "-map", "0:a:0?"]
        if request.forceRemux {
            args += ["-c:v", "copy", "-c:a", "copy"]
        } else {
            if let videoFilter { args += ["-vf", videoFilter] }
            args += videoCodec
            args += keyframes
            args += ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
        }
        // Segments carry the movie's own timestamps, so runs that start at different
        // seeks join seamlessly.
        if request.startSeconds > 0 { args += ["-output_ts_offset", "\(request.startSeconds)"] }
        args += [
            "-f", "hls",
            "-hls_time", "\(request.segmentSeconds)",
            "-hls_list_size", "0",
            "-hls_playlist_type", "event",
            "-start_number", "\(request.startSegment)",
            "-hls_segment_filename", request.outputDirectory + "/" + Self.segmentPattern,
            "-progress", "pipe:1", "-nostats",
            request.outputDirectory + "/" + Self.playlistName,
        ]
        return args
    }
}
