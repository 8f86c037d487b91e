import Foundation
import TranscodeBackend

/// Reads what a finished segment holds, for the master playlist: the codec strings, the
/// picture size and the frame rate, as ffprobe sees them in the segment itself.
public struct OutputProbe: Sendable {
    /// Path of the ffprobe executable.
    let ffprobe: String

    /// Creates a probe that runs `ffprobe`.
    public init(ffprobe: String) { self.ffprobe = ffprobe }

    /// The stream attributes of one segment (bandwidth comes from sizes, not from here).
    public struct Streams: Sendable, Equatable {
        /// `avc1.640028,mp4a.40.2`.
        public var codecs: String
        /// `1280x720`.
        public var resolution: String
        /// Frames per second.
        public var frameRate: Double
    }

    struct Probe: Decodable {
        struct Stream: Decodable {
            var codec_type: String?
            var codec_name: String?
            var profile: String?
            var level: Int?
            var width: Int?
            var height: Int?
            var r_frame_rate: String?
            var avg_frame_rate: String?
        }
        var streams: [Stream]?
    }

    /// Probes the segment at `path`; nil when it holds no video stream ffprobe can describe.
    /// An fMP4 segment (`.m4s`) says nothing without its init segment beside it: ffprobe reads
    /// the two as one file (FFmpeg's `concat:` protocol), and the codec bytes come from the
    /// init segment's sample entry.
    public func probe(segment path: String) async throws -> Streams? {
        var input = path, header = path
        if SegmentContainer.of(file: URL(fileURLWithPath: path).lastPathComponent) == .fmp4 {
            header = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(SegmentContainer.initName).path
            input = "concat:" + header + "|" + path
        }
        let json = try await HelperProgram.output(ffprobe, [
            "-v", "error", "-show_entries",
            "stream=codec_type,codec_name,profile,level,width,height,r_frame_rate,avg_frame_rate", "-of", "json", input,
        ])
        let probe = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: header))).map { [UInt8]($0.prefix(1 << 16)) } ?? []
        return Self.streams(probe, segmentBytes: bytes)
    }

    /// The attributes from ffprobe's answer; the H.264 codec string from the SPS in the
    /// segment's bytes (TS), or the `avcC` box of an init segment (fMP4), when found (they
    /// carry the constraint flags ffprobe does not show).
    static func streams(_ probe: Probe, segmentBytes: [UInt8]) -> Streams? {
        let streams = probe.streams ?? []
        guard let video = streams.first(where: { $0.codec_type == "video" }), let width = video.width, let height = video.height,
              let rate = (video.r_frame_rate.flatMap(SourceProbe.rate) ?? video.avg_frame_rate.flatMap(SourceProbe.rate))
        else { return nil }
        var codecs: [String] = []
        switch video.codec_name {
        case "h264":
            if let (p, c, l) = CodecString.avcConfiguration(inMP4: segmentBytes) ?? CodecString.spsBytes(inTransportStream: segmentBytes) {
                codecs.append(CodecString.avc(profileIDC: p, constraints: c, levelIDC: l))
            } else if let text = CodecString.avc(profile: video.profile ?? "", level: video.level ?? 0) {
                codecs.append(text)
            }
        case "hevc":
            if let text = CodecString.hevc(profile: video.profile ?? "", level: video.level ?? 0) { codecs.append(text) }
        default:
            break
        }
        guard !codecs.isEmpty else { return nil }
        if let audio = streams.first(where: { $0.codec_type == "audio" }),
           let text = CodecString.audio(codec: audio.codec_name ?? "", profile: audio.profile) {
            codecs.append(text)
        }
        return Streams(codecs: codecs.joined(separator: ","), resolution: "\(width)x\(height)", frameRate: (rate * 1000).rounded() / 1000)
    }
}
