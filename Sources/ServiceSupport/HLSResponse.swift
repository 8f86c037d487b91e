import Foundation
import Hummingbird
import TranscodeWire

/// Playlist and segment responses as players, proxies and browsers expect them: byte
/// ranges (206), a validator (ETag) with 304 on a match, and caching that keeps finished
/// segments and a fresh playlist. HEAD comes from the router (`autoGenerateHeadEndpoints`).
public enum HLSResponse {
    /// `.m3u8` is a playlist, `.vtt` a WebVTT subtitle segment, a segment or init file what
    /// `SegmentContainer` says; anything else served on HLS routes is an MPEG-TS segment.
    public static func contentType(of file: String) -> String {
        if file.hasSuffix(".m3u8") { return "application/vnd.apple.mpegurl" }
        if file.hasSuffix(".vtt") { return "text/vtt; charset=utf-8" }
        return SegmentContainer.contentType(of: file) ?? "video/mp2t"
    }

    /// A whole WebVTT segment as our workers write it: it starts with the `WEBVTT` signature.
    public static func isWholeSubtitleSegment(_ bytes: Data) -> Bool {
        bytes.starts(with: Array("WEBVTT".utf8))
    }

    /// A whole MPEG-TS segment: not empty, and a whole number of 188-byte packets (a file
    /// caught while being written is neither, as a rule).
    public static func isWholeSegment(_ bytes: Data) -> Bool {
        !bytes.isEmpty && bytes.count % 188 == 0 && bytes.first == 0x47
    }

    /// The response for `bytes` of `file` to `request`.
    public static func make(_ bytes: Data, file: String, request: Request) -> Response {
        let playlist = file.hasSuffix(".m3u8")
        let etag = "\"\(fingerprint(bytes))\""
        var headers: HTTPFields = [
            .contentType: contentType(of: file),
            .acceptRanges: "bytes",
            .eTag: etag,
            // Segments do not change once finished; the playlist must be asked again each time. A
            // subtitle segment's URL stays when the job switches track, an fMP4 init segment's when
            // it changes encoder: revalidated (ETag), tiny.
            .cacheControl: playlist || file.hasSuffix(".vtt") || file == SegmentContainer.initName ? "no-cache" : "public, max-age=3600",
        ]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        guard let rangeHeader = request.headers[.range] else {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        switch ByteRange.parse(rangeHeader, length: bytes.count) {
        case .none:
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(bytes.count)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .range(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(bytes.count)"
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes[range])))
        }
    }

    /// FNV-1a over the bytes: the same bytes give the same ETag on a worker and through the
    /// orchestrator.
    static func fingerprint(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            for byte in raw { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        return String(hash, radix: 16) + "-" + String(bytes.count, radix: 16)
    }
}

/// One `Range: bytes=...` request (RFC 9110); several ranges are answered with the whole body.
enum ByteRange: Equatable {
    case none
    case unsatisfiable
    case range(Range<Int>)

    static func parse(_ header: String, length: Int) -> ByteRange {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return .none }
        let spec = value.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { return .none }
        if parts[0].isEmpty {
            // A suffix: the last n bytes.
            guard let n = Int(parts[1]), n >= 0 else { return .none }
            guard n > 0, length > 0 else { return .unsatisfiable }
            return .range(max(0, length - n)..<length)
        }
        guard let first = Int(parts[0]), first >= 0 else { return .none }
        guard first < length else { return .unsatisfiable }
        if parts[1].isEmpty { return .range(first..<length) }
        guard let last = Int(parts[1]), last >= first else { return .none }
        return .range(first..<min(last + 1, length))
    }
}
