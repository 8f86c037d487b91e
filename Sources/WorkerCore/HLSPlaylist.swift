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

    /// The finished segments the playlist lists, in order: number, length (EXTINF) and path.
    static func segments(inDirectory directory: String) -> [(number: Int, seconds: Double, path: String)] {
        guard let text = try? String(contentsOfFile: directory + "/" + FFmpegCommand.playlistName, encoding: .utf8) else {
            return []
        }
        var found: [(number: Int, seconds: Double, path: String)] = []
        var length: Double?
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#EXTINF:") {
                length = Double(line.dropFirst("#EXTINF:".count).prefix { $0 != "," })
            } else if let number = SegmentName.number(line), let seconds = length {
                found.append((number, seconds, directory + "/" + line))
                length = nil
            }
        }
        return found
    }

    /// Whether a file name is one this worker serves: the playlist, a segment or an fMP4 init segment.
    static func isServable(_ name: String) -> Bool {
        name == FFmpegCommand.playlistName || SegmentContainer.of(file: name) != nil
    }
}
