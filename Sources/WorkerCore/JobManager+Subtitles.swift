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
        let ffmpeg = settings.ffmpeg, source = spec.sourcePath, logger = logger
        subtitleCues[key] = Task {
            let started = ContinuousClock.now
            let cues = try await Self.extractCues(ffmpeg: ffmpeg, source: source, track: track.index)
            logger.info("subtitle track \(track.index) of \(source): \(cues.count) cues extracted in \(ContinuousClock.now - started)")
            return cues
        }
    }

    /// Forgets the cues no job shows any more.
    func pruneSubtitleCues() {
        let wanted = Set(jobs.values.compactMap { job in job.spec.subtitleRendition.map { Self.cueKey(job.spec, $0) } })
        for key in subtitleCues.keys where !wanted.contains(key) { subtitleCues[key] = nil }
    }

    /// `ffmpeg -ss 0 -i SRC -map 0:s:N -c:s webvtt`: the track's cues in movie time. The same
    /// `-ss 0` as every video run means the same origin (the source's start time).
    static func extractCues(ffmpeg: String, source: String, track: Int) async throws -> [WebVTTCue] {
        let file = FileManager.default.temporaryDirectory.path + "/transcode-subtitles-\(UUID().uuidString).vtt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await HelperProgram.output(ffmpeg, [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", "0", "-i", source,
            "-map", "0:s:\(track)", "-c:s", "webvtt", "-f", "webvtt", file,
        ])
        return WebVTT.parse(try String(contentsOfFile: file, encoding: .utf8))
    }

    /// `subtitles<N>.vtt` of a job: 404 for a job without a rendition or past the movie's end.
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
        guard let task = subtitleCues[key] else { throw APIError.notFound("Job '\(id)' has no subtitles (yet).") }
        do {
            return WebVTT.segment(n, of: try await task.value, segmentSeconds: t)
        } catch {
            subtitleCues[key] = nil
            throw APIError.unprocessable("FFmpeg could not extract subtitle track \(track.index) of '\(job.spec.sourcePath)': \(error)")
        }
    }
}
