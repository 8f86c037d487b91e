import Foundation
import TranscodeBackend

/// Asks ffprobe what a source file holds.
public struct SourceProbe: Sendable {
    /// Path of the ffprobe executable.
    let ffprobe: String

    /// Why a probe failed, in ffprobe's words.
    public typealias Failure = HelperProgram.Failure

    /// Creates a probe that runs `ffprobe`.
    public init(ffprobe: String) { self.ffprobe = ffprobe }

    /// Probes the file; throws `Failure` with ffprobe's reason when it cannot read it.
    public func probe(_ path: String) async throws -> SourceInfo {
        let output = LineCollector()
        let errors = LineCollector()
        let child = try ChildProcess.spawn(
            executable: ffprobe,
            arguments: [
                "-v", "error", "-show_entries",
                "format=duration:stream=codec_type,codec_name,avg_frame_rate,r_frame_rate,pix_fmt,width,height",
                "-of", "json", path,
            ],
            onStdoutLine: { output.append($0) },
            onStderrLine: { errors.append($0) }
        )
        let status = await child.waitForExit()
        guard status == 0 else {
            throw Failure(description: errors.lines.last ?? "ffprobe exited with status \(status)")
        }
        return try Self.parse(Data(output.lines.joined(separator: "\n").utf8))
    }

    /// Turns ffprobe's JSON into a `SourceInfo`.
    static func parse(_ json: Data) throws -> SourceInfo {
        struct Probe: Decodable {
            struct Format: Decodable { var duration: String? }
            struct Stream: Decodable {
                var codec_type: String?
                var codec_name: String?
                var avg_frame_rate: String?
                var r_frame_rate: String?
                var pix_fmt: String?
                var width: Int?
                var height: Int?
            }
            var format: Format?
            var streams: [Stream]?
        }
        let probe = try JSONDecoder().decode(Probe.self, from: json)
        guard let duration = probe.format?.duration.flatMap(Double.init), duration > 0 else {
            throw Failure(description: "ffprobe found no duration in the source")
        }
        let streams = probe.streams ?? []
        let video = streams.first { $0.codec_type == "video" }
        return SourceInfo(
            duration: duration,
            videoCodec: video?.codec_name,
            frameRate: (video?.avg_frame_rate).flatMap(rate) ?? (video?.r_frame_rate).flatMap(rate),
            pixelFormat: video?.pix_fmt,
            hasAudio: streams.contains { $0.codec_type == "audio" },
            frameGrid: FrameGrid.guess(real: video?.r_frame_rate, average: video?.avg_frame_rate),
            width: video?.width, height: video?.height
        )
    }

    /// `"24000/1001"` -> 23.976; `"0/0"` -> nil.
    static func rate(_ text: String) -> Double? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let n = Double(parts[0]), let d = Double(parts[1]), d > 0, n > 0 else { return nil }
        return n / d
    }
}
