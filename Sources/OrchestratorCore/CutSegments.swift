import Foundation
import Hummingbird

/// Segments whose relay to a player was cut off because the worker's stream broke. A player
/// resumes such a segment with a Range from the byte it has (Chromium's own HLS sends
/// `Range: bytes=K-` after ERR_INCOMPLETE_CHUNKED_ENCODING), but the rest now comes from
/// another run, whose bytes differ: K bytes of one run and the rest of another are no MPEG-TS
/// stream (Chromium stops for good, CHUNK_DEMUXER_ERROR_APPEND_FAILED). So for a while a
/// request for one of these segments is answered whole from byte 0 (200), as a server may
/// answer any Range request.
actor CutSegments {
    /// How long a cut is remembered: longer than any player's retries of one segment.
    static let memory: Duration = .seconds(120)
    private var cut: [String: ContinuousClock.Instant] = [:]

    func note(_ jobID: String, segment n: Int) {
        let now = ContinuousClock.now
        cut = cut.filter { now - $0.value < Self.memory }
        cut["\(jobID)/\(n)"] = now
    }

    func wasCut(_ jobID: String, segment n: Int) -> Bool {
        guard let at = cut["\(jobID)/\(n)"] else { return false }
        return ContinuousClock.now - at < Self.memory
    }
}

extension Request {
    /// The same request without Range and If-Range: answered with the whole resource.
    var withoutRange: Request {
        var head = self.head
        head.headerFields[.range] = nil
        head.headerFields[.ifRange] = nil
        return Request(head: head, body: body)
    }
}
