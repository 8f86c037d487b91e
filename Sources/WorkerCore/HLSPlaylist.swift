import Foundation
import TranscodeBackend

/// Reads what FFmpeg's HLS muxer wrote.
enum HLSPlaylist {
    /// Sequence number of the last segment listed in the playlist (segments are listed
    /// only once complete), or nil when there is none yet.
    static func lastSegmentNumber(inDirectory directory: String) -> Int? {
        guard let text = try? String(contentsOfFile: directory + "/" + FFmpegCommand.playlistName, encoding: .utf8) else {
            return nil
        }
        return text.split(whereSeparator: \.isNewline).reversed().lazy.compactMap(segmentNumber).first
    }

    /// `segment12.ts` -> 12; anything else -> nil.
    static func segmentNumber<S: StringProtocol>(_ name: S) -> Int? {
        guard name.hasPrefix("segment"), name.hasSuffix(".ts") else { return nil }
        return Int(name.dropFirst("segment".count).dropLast(3))
    }

    /// Whether a file name is one this worker serves: the playlist or a segment.
    static func isServable(_ name: String) -> Bool {
        name == FFmpegCommand.playlistName || segmentNumber(name) != nil
    }
}
