import Foundation
import TranscodeBackend

/// The named values a manifest may put into its arguments, written `{name}`.
public enum Placeholders {
    /// Every known name, with what it becomes (for docs and for refusals).
    public static let known: [String: String] = [
        "bitrate": "the job's bitrate in bits per second",
        "maxrate": "the same as bitrate: a ceiling for capped VBR",
        "bufsize": "twice the bitrate: a two-second buffer",
        "gop_frames": "frames per segment, ceil(T x fps), fps 24 when unknown",
        "frame_rate": "the source's frames per second (24 when unknown)",
        "segment_seconds": "the segment length T",
        "device": "the device node found by the [device] rule",
        "encoder": "the FFmpeg encoder of the job",
        "codec": "h264 or hevc, from the encoder",
    ]

    /// The names written `{name}` in `text`, in order; a `{` without a closing `}` yields
    /// the rest of the text so that the refusal can quote it.
    public static func names(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else {
                found.append(String(after))
                break
            }
            found.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return found
    }

    /// The values for one request.
    public static func values(for request: EncodeRequest, device: String?) -> [String: String] {
        let fps = request.source.frameRate.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? FFmpegCommand.defaultFrameRate
        var values = [
            "bitrate": "\(request.bitrateBps)",
            "maxrate": "\(request.bitrateBps)",
            "bufsize": "\(request.bitrateBps * 2)",
            "gop_frames": "\(FFmpegCommand.framesPerSegment(seconds: request.segmentSeconds, frameRate: request.source.frameRate))",
            "frame_rate": String(format: "%.3f", fps).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression),
            "segment_seconds": "\(request.segmentSeconds)",
            "encoder": request.encoder,
            "codec": request.codec,
        ]
        values["device"] = device
        return values
    }

    /// `text` with every `{name}` replaced; validation guaranteed that every name is known.
    public static func fill(_ text: String, with values: [String: String]) -> String {
        var result = text
        for (name, value) in values where result.contains("{\(name)}") {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
