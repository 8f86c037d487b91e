import Foundation

/// Writes the pool's segments where the media server expects them: each under the command's
/// own `-hls_segment_filename` pattern, whole (written beside it and renamed), and a playlist
/// that lists them as they arrive, the way FFmpeg's HLS muxer would.
struct SegmentMirror {
    let plan: HLSTranscode
    private(set) var written: [(number: Int, seconds: Double)] = []
    private(set) var bytes = 0
    /// The fMP4 init segment is written (always true for MPEG-TS, which has none).
    private(set) var hasInit: Bool

    init(plan: HLSTranscode) {
        self.plan = plan
        hasInit = plan.container == .ts
    }

    /// Writes the fMP4 init segment where the command's `-hls_fmp4_init_filename` puts it.
    mutating func writeInit(_ data: Data) throws {
        try FileManager.default.createDirectory(atPath: (plan.initPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.replace(plan.initPath, with: data)
        hasInit = true
        bytes += data.count
    }

    /// Writes segment `n` of `seconds` length and the playlist that now lists it.
    mutating func write(_ data: Data, number n: Int, seconds: Double) throws {
        let path = plan.segmentPath(n)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.replace(path, with: data)
        written.append((n, seconds))
        bytes += data.count
        try writePlaylist(ended: false)
    }

    /// The playlist, with `#EXT-X-ENDLIST` once the run is over.
    func writePlaylist(ended: Bool) throws {
        let target = max(plan.segmentSeconds, Int((written.map(\.seconds).max() ?? 0).rounded(.up)))
        var lines = [
            "#EXTM3U", "#EXT-X-VERSION:\(plan.container.playlistVersion)", "#EXT-X-TARGETDURATION:\(target)",
            "#EXT-X-MEDIA-SEQUENCE:\(written.first?.number ?? plan.startNumber)", "#EXT-X-PLAYLIST-TYPE:EVENT",
        ]
        if plan.container == .fmp4 {
            // As FFmpeg writes it: the init segment by the name the command gave.
            lines.append("#EXT-X-MAP:URI=\"\(plan.initFileName)\"")
        }
        for (n, seconds) in written {
            lines.append(String(format: "#EXTINF:%.6f,", seconds))
            lines.append((plan.segmentPath(n) as NSString).lastPathComponent)
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        try FileManager.default.createDirectory(atPath: (plan.playlist as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.replace(plan.playlist, with: Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Writes beside the target and renames over it: a reader never sees half a file.
    static func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
