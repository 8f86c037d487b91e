import Foundation
import TranscodeBackend

/// Asks ffprobe what a source file holds: its length, its video's grid, and every stream.
public struct SourceProbe: Sendable {
    /// Path of the ffprobe executable.
    let ffprobe: String

    /// Why a probe failed, in ffprobe's words.
    public typealias Failure = HelperProgram.Failure

    /// Creates a probe that runs `ffprobe`.
    public init(ffprobe: String) { self.ffprobe = ffprobe }

    /// What ffprobe is asked for: the format's length, and per stream what a job chooses by.
    static let entries = "format=duration:stream=index,codec_type,codec_name,avg_frame_rate,r_frame_rate,pix_fmt,"
        + "width,height,channels,channel_layout,color_transfer,bits_per_raw_sample,duration:stream_tags=language,title,DURATION:"
        + "stream_disposition=default,forced,attached_pic"

    /// Probes the file; throws `Failure` with ffprobe's reason when it cannot read it.
    public func probe(_ path: String) async throws -> SourceInfo {
        let output = LineCollector()
        let errors = LineCollector()
        let child = try ChildProcess.spawn(
            executable: ffprobe,
            arguments: ["-v", "error", "-show_entries", Self.entries, "-of", "json", path],
            onStdoutLine: { output.append($0) },
            onStderrLine: { errors.append($0) }
        )
        let status = await child.waitForExit()
        guard status == 0 else {
            throw Failure(description: errors.lines.last ?? "ffprobe exited with status \(status)")
        }
        return try Self.parse(Data(output.lines.joined(separator: "\n").utf8))
    }

    /// ffprobe's JSON, as far as it is read.
    struct Probe: Decodable {
        struct Format: Decodable { var duration: String? }
        struct Stream: Decodable {
            var index: Int?
            var codec_type: String?
            var codec_name: String?
            var avg_frame_rate: String?
            var r_frame_rate: String?
            var pix_fmt: String?
            var width: Int?
            var height: Int?
            var channels: Int?
            var channel_layout: String?
            var color_transfer: String?
            var bits_per_raw_sample: String?
            var duration: String?
            var tags: [String: String]?
            var disposition: [String: Int]?
        }
        var format: Format?
        var streams: [Stream]?
    }

    /// Turns ffprobe's JSON into a `SourceInfo`.
    static func parse(_ json: Data) throws -> SourceInfo {
        let probe = try JSONDecoder().decode(Probe.self, from: json)
        let streams = probe.streams ?? []
        guard let duration = length(format: probe.format?.duration.flatMap(Double.init), streams: streams), duration > 0 else {
            throw Failure(description: "ffprobe found no duration in the source")
        }
        let video = streams.first { $0.codec_type == "video" }
        return SourceInfo(
            duration: duration,
            videoCodec: video?.codec_name,
            frameRate: (video?.avg_frame_rate).flatMap(rate) ?? (video?.r_frame_rate).flatMap(rate),
            pixelFormat: video?.pix_fmt,
            hasAudio: streams.contains { $0.codec_type == "audio" },
            frameGrid: FrameGrid.guess(real: video?.r_frame_rate, average: video?.avg_frame_rate),
            tracks: tracks(streams)
        )
    }

    /// The streams as tracks, each numbered within its type. Attachments, data streams and
    /// cover art (a video stream flagged `attached_pic`) are left out.
    static func tracks(_ streams: [Probe.Stream]) -> [MediaTrack] {
        var counts: [MediaTrack.Kind: Int] = [:]
        return streams.enumerated().compactMap { position, stream in
            guard let kind = stream.codec_type.flatMap(MediaTrack.Kind.init(rawValue:)),
                  stream.disposition?["attached_pic"] != 1
            else { return nil }
            let index = counts[kind, default: 0]
            counts[kind] = index + 1
            let language = stream.tags?["language"].flatMap { $0.isEmpty || $0 == "und" ? nil : $0.lowercased() }
            var track = MediaTrack(
                index: index, streamIndex: stream.index ?? position, type: kind, codec: stream.codec_name ?? "unknown",
                language: language, title: stream.tags?["title"],
                isDefault: stream.disposition?["default"] == 1, isForced: stream.disposition?["forced"] == 1
            )
            switch kind {
            case .audio:
                track.channels = stream.channels
                track.channelLayout = stream.channel_layout
            case .subtitle:
                track.subtitleKind = SubtitleKind(codec: track.codec)
            case .video:
                track.width = stream.width
                track.height = stream.height
                track.frameRate = stream.avg_frame_rate.flatMap(rate) ?? stream.r_frame_rate.flatMap(rate)
                track.bitDepth = bitDepth(stream)
                track.hdr = DynamicRange(transfer: stream.color_transfer)
            }
            return track
        }
    }

    /// The film's length: that of its longest video or audio stream, when the streams say, and
    /// never more than the container's. A subtitle event left open (no end time) stretches a
    /// Matroska file's own duration to 2^32 ms; the picture and sound still end on time, and the
    /// playlist and seeks must follow them.
    static func length(format: Double?, streams: [Probe.Stream]) -> Double? {
        let media = streams.filter { ($0.codec_type == "video" && $0.disposition?["attached_pic"] != 1) || $0.codec_type == "audio" }
        let longest = media.compactMap { stream in
            stream.duration.flatMap(Double.init) ?? stream.tags?["DURATION"].flatMap(clockSeconds)
        }.filter { $0 > 0 }.max()
        guard let longest else { return format }
        return min(longest, format ?? longest)
    }

    /// `"00:00:08.021000000"` (a Matroska `DURATION` tag) -> 8.021.
    static func clockSeconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// Bits per sample: ffprobe's `bits_per_raw_sample`, else read from the pixel format
    /// (`yuv420p10le` -> 10), else 8.
    static func bitDepth(_ stream: Probe.Stream) -> Int {
        if let raw = stream.bits_per_raw_sample.flatMap(Int.init), raw > 0 { return raw }
        guard let format = stream.pix_fmt else { return 8 }
        for depth in [16, 14, 12, 10, 9] where format.contains("p\(depth)") { return depth }
        return 8
    }

    /// `"24000/1001"` -> 23.976; `"0/0"` -> nil.
    static func rate(_ text: String) -> Double? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let n = Double(parts[0]), let d = Double(parts[1]), d > 0, n > 0 else { return nil }
        return n / d
    }
}

extension SourceInfo {
    /// The listing `GET /v1/media/tracks` answers for this source.
    public func listing(path: String) -> MediaTracks {
        MediaTracks(path: path, duration: duration, tracks: tracks)
    }
}
