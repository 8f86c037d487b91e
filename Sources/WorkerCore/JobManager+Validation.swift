import MediaProbe
import Foundation
import ServiceSupport
import TranscodeBackend
import TranscodeWire

extension JobManager {
    /// Turns a request into the job's one value: checks paths, bitrate and seek, probes the
    /// source, and picks the backend. Nothing after this re-parses or re-looks-up anything.
    func validate(_ payload: ControllerPayload, id: String, clock: RunClock? = nil) async throws -> JobSpec {
        let source = try policy.source(payload.sourcePath)
        let output = try policy.output(payload.outputPath, jobID: id)
        for (otherID, other) in jobs where otherID != id {
            let theirs = other.spec.outputPath
            if theirs == output || PathPolicy.isInside(output, theirs, allowEqual: false) || PathPolicy.isInside(theirs, output, allowEqual: false) {
                throw APIError.unprocessable("output_path '\(output)' overlaps the folder of job '\(otherID)'.")
            }
        }
        let configuration = payload.configuration
        let bitrate = configuration.bitrateBps ?? Self.defaultBitrate
        guard Self.bitrateRange.contains(bitrate) else {
            throw APIError.unprocessable("bitrate_bps must be between \(Self.bitrateRange.lowerBound) and \(Self.bitrateRange.upperBound); got \(bitrate).")
        }
        let segmentSeconds = configuration.segmentSeconds ?? settings.segmentSeconds
        guard JobConfiguration.segmentSecondsRange.contains(segmentSeconds) else {
            throw APIError.unprocessable("segment_seconds must be between 1 and 60; got \(segmentSeconds).")
        }
        guard let container = configuration.segmentContainer else {
            throw APIError.unprocessable(SegmentContainer.refusal(configuration.container ?? ""))
        }
        var seek = 0.0
        if let text = configuration.seekTime, !text.isEmpty {
            guard let parsed = SeekTime.parse(text) else {
                throw APIError.badRequest("seek_time must be HH:MM:SS or HH:MM:SS.fff; got '\(text)'.")
            }
            seek = parsed
        }
        clock?.mark(.validated)
        let info: SourceInfo
        do {
            info = try await probe(source, clock: clock)
        } catch {
            throw APIError.unprocessable("FFmpeg cannot read the source '\(source)': \(error)")
        }
        clock?.mark(.probed)
        guard seek < info.duration else {
            throw APIError.unprocessable("seek_time \(configuration.seekTime ?? "") is past the end of the movie (\(SeekTime.format(Int(info.duration))) long).")
        }
        let tracks = try TrackSelection(configuration, source: info)
        let choice = try selector.choose(
            encoder: configuration.encoder, source: info, needs: PictureFeatures(toneMap: tracks.toneMap, burnIn: tracks.burnIn)
        )
        var request = EncodeRequest(
            sourcePath: source, outputDirectory: output, encoder: choice.encoder, bitrateBps: bitrate,
            forceRemux: configuration.forceRemux ?? false, segmentSeconds: segmentSeconds, seekSeconds: seek, source: info
        )
        request.audio = tracks.audio
        request.burnIn = tracks.burnIn
        request.toneMap = tracks.toneMap
        request.container = container
        return JobSpec(
            jobID: id, requestedSourcePath: payload.sourcePath, configuration: configuration, isAuto: EncoderName.isAuto(configuration.encoder),
            backend: choice.backend, request: request, subtitleRendition: tracks.rendition, generation: payload.generation
        )
    }

    /// `--min-free-space`: a job must not start on a transcode root that is (nearly) full.
    func checkFreeSpace() throws {
        guard settings.minFreeBytes > 0, let free = OutputAudit.freeBytes(policy.transcodeRoot), free < settings.minFreeBytes else { return }
        throw APIError.unavailable(
            "The transcode root has \(free >> 20) MB free, under this worker's floor of \(settings.minFreeBytes >> 20) MB (--min-free-space); free some space or try another worker."
        )
    }

    /// `--max-jobs` and the backend's session capacity (shared by backends of one session pool).
    func checkCapacity(for spec: JobSpec) throws {
        let active = jobs.values.filter { $0.spec.jobID != spec.jobID && $0.isActive }
        guard active.count < settings.maxJobs else {
            throw APIError.unavailable("This worker already runs \(active.count) jobs, its limit (--max-jobs \(settings.maxJobs)); try another worker or stop a job.")
        }
        guard let capacity = spec.backend.sessionCapacity else { return }
        let pool = spec.backend.sessionPool
        let sameHardware = active.filter { $0.spec.backend.sessionPool == pool }
        guard sameHardware.count < capacity else {
            throw APIError.unavailable("All \(capacity) encoder sessions of '\(pool)' are in use on this worker; try another worker or encoder.")
        }
    }

    /// ffprobe, cached per file while its size and modification time stay the same.
    func probe(_ path: String, clock: RunClock? = nil) async throws -> SourceInfo {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\(attributes?[.size] ?? 0)-\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        let cached = probeCache[path].flatMap { $0.stamp == stamp ? $0.info : nil }
        clock?.noteProbe(cached: cached != nil)
        if let cached { return cached }
        let info = try await prober.probe(path)
        probeCache[path] = (stamp, info)
        return info
    }
}
