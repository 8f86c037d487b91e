import Foundation
import TranscodeBackend
import TranscodeWire

/// Reads what FFmpeg's HLS muxer wrote.
enum HLSPlaylist {
    /// Sequence number of the last segment listed in the playlist (segments are listed
    /// only once complete), or nil when there is none yet.
    static func lastSegmentNumber(inDirectory directory: String) -> Int? {
        guard let text = try? String(contentsOfFile: directory + "/" + FFmpegCommand.playlistName, encoding: .utf8) else {
            return nil
        }
        return text.split(whereSeparator: \.isNewline).reversed().lazy.compactMap(SegmentName.number).first
    }

    /// Whether a file name is one this worker serves: the playlist or a segment.
    static func isServable(_ name: String) -> Bool {
        name == FFmpegCommand.playlistName || SegmentName.number(name) != nil
    }
}
