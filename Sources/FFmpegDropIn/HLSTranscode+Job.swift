import Foundation
import TranscodeWire

extension HLSTranscode {
    /// The job configuration for the pool, with streams named by absolute index turned into
    /// track numbers through the source's listing, and `-c:v` as the pool's encoder for it
    /// (`encoder`; the command's own name when nil).
    public func configuration(tracks: MediaTracks, encoder poolEncoder: String? = nil) throws -> JobConfiguration {
        var configuration = JobConfiguration(segmentSeconds: segmentSeconds)
        if container != .ts { configuration.container = container.rawValue }
        if let seek, seek > 0 { configuration.seekTime = Self.seekText(seek) }
        if encoder == "copy" {
            configuration.forceRemux = true
        } else {
            configuration.encoder = poolEncoder ?? encoder
            configuration.toneMap = toneMap ? .auto : .off
        }
        if let bitrate { configuration.bitrateBps = min(max(bitrate, JobConfiguration.bitrateRange.lowerBound), JobConfiguration.bitrateRange.upperBound) }
        if let track = Self.audioTrack(audio, in: tracks) { configuration.audio = AudioChoice(track: track) }
        if let channels { configuration.audioChannels = channels >= 6 ? 6 : 2 }
        switch burnIn {
        case .text(let index)?:
            configuration.subtitles = SubtitleChoice(track: index, burnIn: true)
        case .bitmap(let ref)?:
            configuration.subtitles = SubtitleChoice(track: try Self.index(ref, of: .subtitle, in: tracks), burnIn: true)
        case nil:
            break
        }
        return configuration
    }

    /// The first mapped stream that is audio, as an audio track number.
    static func audioTrack(_ refs: [StreamRef], in tracks: MediaTracks) -> Int? {
        for ref in refs {
            switch ref {
            case .typed(let n): return n
            case .absolute(let stream):
                if let track = tracks.tracks.first(where: { $0.streamIndex == stream }), track.type == .audio { return track.index }
            }
        }
        return nil
    }

    /// The track number (within its type) of a stream reference.
    static func index(_ ref: StreamRef, of kind: MediaTrack.Kind, in tracks: MediaTracks) throws -> Int {
        switch ref {
        case .typed(let n):
            return n
        case .absolute(let stream):
            guard let track = tracks.tracks.first(where: { $0.streamIndex == stream }) else {
                throw NotMappable(description: "stream 0:\(stream) is not in the source")
            }
            guard track.type == kind else {
                throw NotMappable(description: "stream 0:\(stream) is \(track.type.rawValue), not \(kind.rawValue)")
            }
            return track.index
        }
    }

    /// `HH:MM:SS.fff`.
    static func seekText(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded(.down))
        let whole = SeekTime.format(ms / 1000)
        return ms % 1000 == 0 ? whole : whole + "." + String(format: "%03d", ms % 1000)
    }
}
