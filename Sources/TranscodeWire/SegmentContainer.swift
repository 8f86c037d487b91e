/// `configuration.container`: what a job's HLS segments are. MPEG-TS (`segmentN.ts`, the
/// default) or fragmented MP4 / CMAF (`init.mp4` once, then `segmentN.m4s`, each a `moof` and
/// its `mdat`). Everything that differs between the two lives here: names, content types,
/// the "whole segment" check and the media playlist's tags.
public enum SegmentContainer: String, Sendable, Codable, CaseIterable {
    case ts
    case fmp4

    /// The wire values, for error sentences: `"ts" or "fmp4"`.
    public static let choices = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")

    /// The configuration's value; absent (or null) is `ts`, any other value but the two nil.
    public init?(configured value: String?) {
        guard let value else {
            self = .ts
            return
        }
        self.init(rawValue: value)
    }

    /// The sentence for a value that is neither (a 422 on both services).
    public static func refusal(_ value: String) -> String {
        "container must be \(choices); got '\(String(value.prefix(40)))'."
    }

    /// The fMP4 initialization segment's name (`ftyp` and `moov`), one per run.
    public static let initName = "init.mp4"

    /// The segment files' extension, without the dot.
    public var segmentExtension: String { self == .ts ? "ts" : "m4s" }

    /// The file name of segment `number`: `segment12.ts` or `segment12.m4s`.
    public func segmentName(_ number: Int) -> String { "segment\(number).\(segmentExtension)" }

    /// The container a segment or init file name belongs to; nil for other names.
    public static func of<S: StringProtocol>(file name: S) -> SegmentContainer? {
        if name == initName { return .fmp4 }
        return allCases.first { SegmentName.number(name, extension: $0.segmentExtension) != nil }
    }

    /// `#EXT-X-VERSION`: 3 for TS; 7 for fMP4 (`EXT-X-MAP` in a playlist of media segments
    /// needs 6, and fMP4 segments 7, RFC 8216 section 7).
    public var playlistVersion: Int { self == .ts ? 3 : 7 }

    /// The `#EXT-X-MAP` line naming the init segment, `query` (the playback signature) after
    /// its URI; nil for TS, which has none.
    public func mapTag(query: String) -> String? {
        self == .fmp4 ? "#EXT-X-MAP:URI=\"\(Self.initName)\(query)\"" : nil
    }

    /// The Content-Type of a segment or init file, nil for other names: `video/mp2t`,
    /// `video/iso.segment` (a media segment, RFC 8216 section 3.3) or `video/mp4` (the init).
    public static func contentType<S: StringProtocol>(of file: S) -> String? {
        if file == initName { return "video/mp4" }
        switch of(file: file) {
        case .ts: return "video/mp2t"
        case .fmp4: return "video/iso.segment"
        case nil: return nil
        }
    }

    /// Whether `bytes` are a whole file of the name `file` as our workers write them (a file
    /// caught while being written is not, as a rule): TS, whole 188-byte packets starting with
    /// a sync byte; fMP4, whole top-level boxes ending exactly at the end, with `moof` and
    /// `mdat` for a segment and `ftyp` and `moov` for the init segment. False for other names.
    public static func isWhole<Bytes: Collection<UInt8>>(_ bytes: Bytes, file: String) -> Bool {
        guard file != initName else { return MP4Boxes.whole(bytes, having: ["ftyp", "moov"]) }
        switch of(file: file) {
        case .ts: return !bytes.isEmpty && bytes.count % 188 == 0 && bytes.first == 0x47
        case .fmp4: return MP4Boxes.whole(bytes, having: ["moof", "mdat"])
        case nil: return false
        }
    }
}

/// Top-level ISO BMFF boxes: a 32-bit size (1: a 64-bit size follows the type; 0: to the
/// end), then a four-letter type.
enum MP4Boxes {
    /// Whether the boxes chain to exactly the end (none cut short) and `required` are among them.
    static func whole<Bytes: Collection<UInt8>>(_ bytes: Bytes, having required: Set<String>) -> Bool {
        let all = [UInt8](bytes)
        var seen = Set<String>()
        var offset = 0
        while offset < all.count {
            guard offset + 8 <= all.count else { return false }
            var size = all[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: all[offset + 4..<offset + 8], as: UTF8.self)
            if size == 1 {
                guard offset + 16 <= all.count else { return false }
                let large = all[offset + 8..<offset + 16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                guard large <= UInt64(all.count) else { return false }
                size = Int(large)
            } else if size == 0 {
                // "To the end of the file": a writer still at work looks the same; not whole.
                return false
            }
            guard size >= 8, size <= all.count - offset else { return false }
            seen.insert(type)
            offset += size
        }
        return required.isSubset(of: seen)
    }
}
