import CurlHTTP
import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// How far ahead of the encoder a player may ask before the job jumps to it.
    static let lookahead = 3
    /// RFC 3986 unreserved characters: all a token may keep unescaped in a query.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The stable playlist: a VOD list of every segment of the movie (from its length and
    /// T), so it does not depend on which worker holds which segment. Remux jobs (cut at the
    /// source's keyframes, not T) and jobs of unknown length get the worker's own playlist.
    func playlist(_ jobID: String, token: String?) async throws -> (String, HTTPResponse?) {
        guard var record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        if record.duration == nil { record = await refreshed(jobID) ?? record }
        guard let duration = record.duration, let t = record.segmentSeconds, record.requested.forceRemux != true else {
            return ("", try await fetchFromWorker(jobID, file: "index.m3u8"))
        }
        let count = max(1, Int((duration / Double(t)).rounded(.up)))
        let query = token.map { "?token=\($0.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")" } ?? ""
        var lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:\(t)", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
        for n in 0..<count {
            let length = min(Double(t), duration - Double(n * t))
            lines.append("#EXTINF:\(String(format: "%.6f", length)),")
            lines.append(SegmentName.of(n) + query)
        }
        lines.append("#EXT-X-ENDLIST")
        return (lines.joined(separator: "\n") + "\n", nil)
    }

    /// Segment `n` of the job, from whichever worker has it. When no live worker has it
    /// (lost with a dead worker, before the current run's start, or far ahead of the
    /// encoder) the job restarts at n x T on a capable worker; the answer waits for the
    /// segment, bounded, then 503 with Retry-After.
    func segment(_ jobID: String, number n: Int) async throws -> HTTPResponse {
        guard let first = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        if let count = first.segmentSeconds.flatMap(first.segmentCount), n >= count {
            throw APIError.notFound("Job '\(jobID)' has \(count) segments; there is no segment \(n).")
        }
        let deadline = ContinuousClock.now + settings.segmentWait
        var restarted = false
        while true {
            if let response = try? await fetchFromWorker(jobID, file: SegmentName.of(n)), response.status == 200 {
                await pool.noteFetch(jobID, segment: n)
                return response
            }
            if !restarted, let record = await refreshed(jobID), !(await willProduce(record, segment: n)) {
                await restart(jobID, at: n)
                restarted = true
            }
            guard ContinuousClock.now < deadline else {
                throw APIError(.serviceUnavailable, "Segment \(n) of job '\(jobID)' is not ready yet; retry shortly.", headers: [.retryAfter: "2"])
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether the job's current run will write segment n soon on a live worker.
    private func willProduce(_ record: JobRecord, segment n: Int) async -> Bool {
        guard let id = record.workerID, let worker = await pool.worker(id), worker.isLive,
              record.state.isActive, let start = record.startSegment, n >= start
        else { return false }
        return n <= (record.lastSegmentID ?? start - 1) + Self.lookahead
    }

    /// Restarts the job at segment n, on its worker if live, else on a capable one.
    private func restart(_ jobID: String, at n: Int) async {
        _ = try? await queue.run(jobID) {
            if let refreshed = await refreshed(jobID), await willProduce(refreshed, segment: n) { return }
            guard let payload = await pool.payload(jobID, delivering: n) else { return }
            let previous = await pool.job(jobID)?.workerID
            do {
                let moved = try await dispatch(payload)
                logger.notice("job \(jobID): a player asked for segment \(n); restarted there on \(moved.workerID ?? "?") (was on \(previous ?? "none"))")
            } catch {
                await waitForWorker(jobID, after: error)
            }
        }
    }

    /// A file from the worker that runs the job now.
    func fetchFromWorker(_ jobID: String, file: String) async throws -> HTTPResponse {
        guard let record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        guard let workerID = record.workerID, let worker = await pool.worker(workerID), worker.isLive else {
            throw APIError(.serviceUnavailable, "Job '\(jobID)' has no live worker right now; retry shortly.", headers: [.retryAfter: "2"])
        }
        do {
            return try await client.file(file, of: jobID, on: worker)
        } catch {
            throw APIError(.serviceUnavailable, "Worker '\(workerID)' did not answer for job '\(jobID)'; retry shortly.", headers: [.retryAfter: "2"])
        }
    }
}
