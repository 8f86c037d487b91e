import CurlHTTP
import Foundation
import ServiceSupport
import TranscodeWire

extension JobDispatcher {
    /// How far ahead of the encoder a player may ask before the job jumps to it.
    static let lookahead = 3

    /// The stable playlist: a VOD list of every segment of the movie (from its length and
    /// T), so it does not depend on which worker holds which segment. Remux jobs (cut at the
    /// source's keyframes, not T) and jobs of unknown length get the worker's own playlist.
    /// `query` (the playback signature) follows every segment URI, the fMP4 init segment's too.
    func playlist(_ jobID: String, query: String) async throws -> String {
        guard var record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        try Self.checkPlayable(record)
        if record.duration == nil { record = await refreshed(jobID) ?? record }
        guard let duration = record.duration, let t = record.segmentSeconds, record.requested.forceRemux != true else {
            let upstream = try await fetchFromWorker(jobID, file: "index.m3u8")
            guard upstream.status == 200 else {
                throw APIError(.init(code: upstream.status), "Job '\(jobID)' has no playlist (yet).")
            }
            return upstream.text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line -> String in
                    // The worker's map names its init segment without the signature.
                    if line.hasPrefix("#EXT-X-MAP:") { return record.container.mapTag(query: query) ?? String(line) }
                    return line.isEmpty || line.hasPrefix("#") ? String(line) : line + query
                }
                .joined(separator: "\n")
        }
        let count = max(1, Int((duration / Double(t)).rounded(.up)))
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(record.container.playlistVersion)", "#EXT-X-TARGETDURATION:\(t)", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD"]
        if let map = record.container.mapTag(query: query) { lines.append(map) }
        for n in 0..<count {
            let length = min(Double(t), duration - Double(n * t))
            lines.append("#EXTINF:\(String(format: "%.6f", length)),")
            lines.append(SegmentName.of(n, in: record.container) + query)
        }
        lines.append("#EXT-X-ENDLIST")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Segment `n` of the job from whichever worker has it: whole when finished there, else
    /// streamed as FFmpeg writes it (unless `streamable` is false: a range or a validator
    /// waits for the whole segment). When no live worker has it (lost with a dead worker,
    /// before the current run's start, or far ahead of the encoder) the job restarts at n x T
    /// on a capable worker. A worker that cannot be reached while serving is confirmed dead at
    /// once and its job moved (`confirmDead`); so is one whose stream breaks, before the
    /// first byte (then the next worker is tried) or after (`SegmentRelay` aborts the player's
    /// response, whose retry lands on the new run). The answer waits for the segment,
    /// bounded, then 503 with Retry-After. `file` is the segment's name (by the job's
    /// container), or the fMP4 init segment of the run that will write segment n.
    func segment(_ jobID: String, number n: Int, file: String? = nil, streamable: Bool = true) async throws -> SegmentDelivery {
        guard let first = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        try Self.checkPlayable(first)
        if let count = first.segmentSeconds.flatMap(first.segmentCount), n >= count {
            throw APIError.notFound("Job '\(jobID)' has \(count) segments; there is no segment \(n).")
        }
        let deadline = ContinuousClock.now + settings.segmentWait
        var restarted = false
        while true {
            ServerTiming.count("polls")
            switch await fetchSegment(jobID, file: file ?? SegmentName.of(n, in: first.container)) {
            case .served(.streaming(let relay)) where !streamable:
                do {
                    let bytes = try await relay.collect()
                    if file == nil { await pool.noteFetch(jobID, segment: n) }
                    return .whole(bytes)
                } catch {
                    if let workerID = await pool.job(jobID)?.workerID, await confirmDead(workerID, reason: "\(error)") { await recover(jobID) }
                }
            case .served(let delivery):
                ServerTiming.mark("ready")
                if file == nil { await pool.noteFetch(jobID, segment: n) }
                return delivery
            case .unreachable(let workerID, let reason):
                if await confirmDead(workerID, reason: reason) { await recover(jobID) }
            case .notYet:
                break
            }
            if !restarted, let record = await refreshed(jobID), !(await willProduce(record, segment: n)) {
                ServerTiming.mark("restart_sent")
                await restart(jobID, at: n)
                restarted = true
            }
            if let now = await pool.job(jobID) {
                try Self.checkPlayable(now)
                // No capable worker has room: waiting here would not help, the player retries.
                if now.state == .pending {
                    throw APIError(.serviceUnavailable, "Job '\(jobID)' waits for a capable worker: \(now.error ?? "none is live"); retry shortly.", headers: [.retryAfter: "2"])
                }
            }
            guard ContinuousClock.now < deadline else {
                throw APIError(.serviceUnavailable, "Segment \(n) of job '\(jobID)' is not ready yet; retry shortly.", headers: [.retryAfter: "2"])
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The fMP4 init segment, from the run that writes (or will write) the segment players are
    /// at: the same bytes from every run of the job's encode settings (`SegmentMuxing`), so the
    /// one `EXT-X-MAP` of the stable playlist serves segments of any run. Waits and restarts
    /// like a segment; a TS job has none (404).
    func initSegment(_ jobID: String) async throws -> Data {
        guard let record = await pool.job(jobID) else { throw APIError.notFound("No job '\(jobID)'.") }
        guard record.container == .fmp4 else {
            throw APIError.notFound("Job '\(jobID)' has no file '\(SegmentContainer.initName)': its segments are MPEG-TS.")
        }
        let start = record.startSegment ?? 0
        let at = max(start, record.lastFetchedSegment ?? start)
        switch try await segment(jobID, number: at, file: SegmentContainer.initName, streamable: false) {
        case .whole(let bytes): return bytes
        case .streaming(let relay): return try await relay.collect()
        }
    }

    /// A job that failed for good plays no more: 410 with the reason, not a 503 for ever.
    static func checkPlayable(_ record: JobRecord) throws {
        if record.state == .failed && record.gaveUp {
            throw APIError(.gone, "Job '\(record.jobID)' failed and will not run again: \(record.error ?? "no reason given")")
        }
    }

    /// How a segment reaches the player.
    enum SegmentDelivery: Sendable {
        /// Finished on the worker: all its bytes.
        case whole(Data)
        /// Being written: relayed as it arrives.
        case streaming(SegmentRelay)
    }

    /// What one attempt to fetch a segment from the job's worker gave.
    enum SegmentFetch {
        /// The segment, whole or streaming.
        case served(SegmentDelivery)
        /// Not there (yet), or the job has no live worker now.
        case notYet
        /// No answer at all from the job's worker: refused, reset, timed out.
        case unreachable(workerID: String, reason: String)
    }

    private func fetchSegment(_ jobID: String, file: String) async -> SegmentFetch {
        guard let workerID = await pool.job(jobID)?.workerID, let worker = await pool.worker(workerID), worker.isLive else { return .notYet }
        let units = HLSResponse.units(of: file) ?? TSPackets()
        do {
            let response = try await client.segmentStream(file, of: jobID, on: worker)
            guard response.status == 200 else {
                response.body.cancel()
                return .notYet
            }
            if response.header("content-length") != nil || HLSResponse.units(of: file) == nil {
                // Finished there (or not a streamable kind: fMP4, its init). A worker of ours serves only whole
                // segments; a third-party one is checked here.
                let body = try await response.body.collect()
                return SegmentContainer.isWhole(body, file: file) ? .served(.whole(body)) : .notYet
            }
            let opened = try await SegmentRelay.open(response.body, units: units, holdBack: settings.segmentHoldBack) { [cutSegments] reason in
                logger.warning("job \(jobID): \(file) from \(workerID) broke mid-stream (\(reason))")
                if let n = SegmentName.number(file) { await cutSegments.note(jobID, segment: n) }
                if await confirmDead(workerID, reason: reason) { await recover(jobID) }
            }
            switch opened {
            case .whole(let bytes): return .served(.whole(bytes))
            case .streaming(let relay): return .served(.streaming(relay))
            case .nothing: return .notYet
            }
        } catch {
            return .unreachable(workerID: workerID, reason: "\(error)")
        }
    }

    /// A failure to reach a worker while serving counts only when a short `/healthz` probe
    /// fails too: a worker that is merely busy (a slow encode, a segment not ready) answers
    /// it at once, whatever its load. A confirmed worker is OFFLINE now, without waiting for
    /// the heartbeat timeout; its next heartbeat brings it back.
    func confirmDead(_ workerID: String, reason: String) async -> Bool {
        guard let worker = await pool.worker(workerID), worker.isLive else { return false }
        guard !(await client.isAlive(worker)) else { return false }
        return await pool.markUnreachable(workerID, because: reason)
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
                await settle(jobID, after: error)
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
