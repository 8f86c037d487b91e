import Foundation
import Hummingbird

extension HLSResponse {
    /// A segment sent while it is written: a chunked 200, without Content-Length or ETag (the
    /// bytes are not all known yet). The body ends with the terminating chunk only when the
    /// segment is whole; a writer that throws closes the connection without it.
    public static func streaming(file: String, body: ResponseBody) -> Response {
        Response(status: .ok, headers: [
            .contentType: contentType(of: file),
            .acceptRanges: "bytes",
            .cacheControl: "public, max-age=3600",
        ], body: body)
    }

    /// Whether a request for a segment still being written may be answered by that stream:
    /// no Range, or one for everything from byte 0 (`bytes=0-`, what FFmpeg's and mpv's HTTP
    /// client sends). Any other range waits for the whole segment and gets its 206.
    public static func acceptsStream(_ request: Request) -> Bool {
        guard request.headers[.ifNoneMatch] == nil else { return false }
        guard let range = request.headers[.range] else { return true }
        return range.trimmingCharacters(in: .whitespaces).lowercased() == "bytes=0-"
    }
}
