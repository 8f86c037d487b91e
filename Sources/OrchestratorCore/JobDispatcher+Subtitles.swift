import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// The master playlist. Its attributes come from a real segment of the current run, so
    /// before the worker has read one the answer waits (bounded, like a segment), then 503.
    func master(_ jobID: String, query: String) async throws -> String {
        let deadline = ContinuousClock.now + settings.segmentWait
        while true {
            guard let record = await refreshed(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
            try Self.checkPlayable(record)
            if let output = record.output {
                return MasterPlaylist.text(output: output, subtitles: record.subtitleTrack, query: query)
            }
            if record.state == .pending {
                throw APIError(.serviceUnavailable, "Job '\(jobID)' waits for a capable worker: \(record.error ?? "none is live"); retry shortly.", headers: [.retryAfter: "2"])
            }
            guard ContinuousClock.now < deadline else {
                throw APIError(.serviceUnavailable, "Job '\(jobID)' has no finished segment to describe yet; retry shortly.", headers: [.retryAfter: "2"])
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The WebVTT rendition's media playlist: one segment per video segment of the stable
    /// playlist, with the same lengths, so cue segment N spans video segment N.
    func subtitlePlaylist(_ jobID: String, query: String) async throws -> String {
        guard var record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        try Self.checkPlayable(record)
        if record.duration == nil || record.subtitleTrack == nil { record = await refreshed(jobID) ?? record }
        guard record.subtitleTrack != nil else {
            throw APIError.notFound("Job '\(jobID)' has no subtitle rendition: its configuration names no text subtitles to show.")
        }
        guard let duration = record.duration, let t = record.segmentSeconds else {
            throw APIError(.serviceUnavailable, "Job '\(jobID)' has no known length yet; retry shortly.", headers: [.retryAfter: "2"])
        }
        let count = max(1, Int((duration / Double(t)).rounded(.up)))
        var lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:\(t)", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
        for n in 0..<count {
            lines.append("#EXTINF:\(String(format: "%.6f", min(Double(t), duration - Double(n * t)))),")
            lines.append(SubtitleName.of(n) + query)
        }
        lines.append("#EXT-X-ENDLIST")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Subtitle segment `n`, relayed from the job's worker. Any worker that runs the job can
    /// cut any segment (the cues are the source's), so this never restarts a run; a worker that
    /// cannot be reached is confirmed dead and the job moves, as for video segments.
    func subtitleSegment(_ jobID: String, number n: Int) async throws -> Data {
        guard let first = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        try Self.checkPlayable(first)
        if let count = first.segmentSeconds.flatMap(first.segmentCount), n >= count {
            throw APIError.notFound("Job '\(jobID)' has \(count) segments; there is no subtitle segment \(n).")
        }
        let deadline = ContinuousClock.now + settings.segmentWait
        while true {
            if let record = await pool.job(jobID) {
                try Self.checkPlayable(record)
                if record.state == .pending {
                    throw APIError(.serviceUnavailable, "Job '\(jobID)' waits for a capable worker: \(record.error ?? "none is live"); retry shortly.", headers: [.retryAfter: "2"])
                }
                if let workerID = record.workerID, let worker = await pool.worker(workerID), worker.isLive {
                    do {
                        let response = try await client.file(SubtitleName.of(n), of: jobID, on: worker)
                        if response.status == 200, HLSResponse.isWholeSubtitleSegment(response.body) { return response.body }
                        if response.status == 404, record.subtitleTrack == nil, record.state.isActive || record.state == .completed {
                            throw APIError.notFound("Job '\(jobID)' has no subtitle rendition: its configuration names no text subtitles to show.")
                        }
                    } catch let error as APIError {
                        throw error
                    } catch {
                        if await confirmDead(workerID, reason: "\(error)") { await recover(jobID) }
                    }
                }
            }
            guard ContinuousClock.now < deadline else {
                throw APIError(.serviceUnavailable, "Subtitle segment \(n) of job '\(jobID)' is not ready yet; retry shortly.", headers: [.retryAfter: "2"])
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
