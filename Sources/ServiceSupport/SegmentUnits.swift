import Foundation

/// What a segment is made of, for serving one while it is written: a reader may send only
/// whole units, never a cut one. MPEG-TS is 188-byte packets; an fMP4 segment would be whole
/// boxes (a strategy reading box sizes plugs in here).
public protocol SegmentUnits: Sendable {
    /// How many leading bytes of `pending` (which starts on a unit boundary) form whole units.
    func wholePrefix(of pending: Data) -> Int
    /// Whether `bytes` is a whole segment of this kind once its writer says it is finished.
    func isWhole(_ bytes: Data) -> Bool
}

/// MPEG-TS: whole 188-byte packets.
public struct TSPackets: SegmentUnits {
    public static let size = 188

    public init() {}

    public func wholePrefix(of pending: Data) -> Int { pending.count - pending.count % Self.size }

    public func isWhole(_ bytes: Data) -> Bool { HLSResponse.isWholeSegment(bytes) }
}

extension HLSResponse {
    /// The units of a media segment file by its name; nil for files that are not streamed
    /// (playlists, WebVTT).
    public static func units(of file: String) -> (any SegmentUnits)? {
        file.hasSuffix(".ts") ? TSPackets() : nil
    }
}
