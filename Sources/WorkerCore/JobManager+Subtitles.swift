import Foundation
import MediaProbe
import ServiceSupport
import TranscodeBackend
import TranscodeWire

extension JobManager {
    /// The key of a track's extracted cues: one extraction serves every run of every job
    /// that shows that track of that file.
    static func cueKey(_ spec: JobSpec, _ track: MediaTrack) -> String {
        "\(spec.sourcePath)#\(track.streamIndex)"
    }

    /// Starts extracting the run's WebVTT rendition in the background (once per track while
    /// some job shows it), so that its segments are ready when a player asks.
    func prepareSubtitles(for spec: JobSpec) {
        pruneSubtitleCues()
        guard let track = spec.subtitleRendition else { return }
        let key = Self.cueKey(spec, track)
        guard subtitleCues[key] == nil else { return }
        do {
            subtitleCues[key] = try SubtitleExtraction(ffmpeg: settings.ffmpeg, source: spec.sourcePath, track: track.index, wholeFile: track.codec == "webvtt")
            logger.info("job \(spec.jobID): extracting subtitle track \(track.index) (\(track.codec)) as WebVTT")
        } catch {
            logger.warning("job \(spec.jobID): cannot start the subtitle extraction: \(error)")
        }
    }

    /// Forgets (and stops) the extractions no job shows any more.
    func pruneSubtitleCues() {
        let wanted = Set(jobs.values.compactMap { job in job.spec.subtitleRendition.map { Self.cueKey(job.spec, $0) } })
        for (key, extraction) in subtitleCues where !wanted.contains(key) {
            extraction.cancel()
            subtitleCues[key] = nil
        }
    }

    /// How long a request waits on this worker for the extraction to pass a segment (the
    /// orchestrator waits longer, asking again).
    static let subtitleWait = Duration.seconds(8)

    /// `subtitles<N>.vtt` of a job: 404 for a job without a rendition, past the movie's end,
    /// or not extracted that far yet (within `subtitleWait`).
    public func subtitleSegment(_ id: String, number n: Int) async throws -> String {
        guard let job = jobs[id] else { throw APIError.notFound("No job '\(id)' on this worker.") }
        guard let track = job.spec.subtitleRendition else {
            throw APIError.notFound("Job '\(id)' has no subtitle rendition (its configuration names no text subtitles to show).")
        }
        let t = job.spec.request.segmentSeconds
        let count = max(1, Int((job.spec.request.source.duration / Double(t)).rounded(.up)))
        guard n < count else { throw APIError.notFound("Job '\(id)' has \(count) segments; there is no subtitle segment \(n).") }
        let key = Self.cueKey(job.spec, track)
        if subtitleCues[key] == nil { prepareSubtitles(for: job.spec) }
        let deadline = ContinuousClock.now + Self.subtitleWait
        while true {
            guard let extraction = subtitleCues[key] else { throw APIError.notFound("Job '\(id)' has no subtitles (yet).") }
            do {
                if let cues = try extraction.cues(from: n * t * 1000, to: (n + 1) * t * 1000) {
                    return WebVTT.segment(n, of: cues, segmentSeconds: t)
                }
            } catch {
                subtitleCues[key] = nil
                throw APIError.unprocessable("FFmpeg could not extract subtitle track \(track.index) of '\(job.spec.sourcePath)': \(error)")
            }
            guard ContinuousClock.now < deadline else {
                throw APIError.notFound("Subtitle segment \(n) of job '\(id)' is not extracted yet; ask again.")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
