import Foundation
import ServiceSupport
import TranscodeBackend
import TranscodeWire

extension JobManager {
    /// Checks paths, bitrate and seek format; the source is probed afterwards.
    func validate(_ payload: ControllerPayload, id: String) throws -> JobSpec {
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
        var seek = 0.0
        if let text = configuration.seekTime, !text.isEmpty {
            guard let parsed = SeekTime.parse(text) else {
                throw APIError.badRequest("seek_time must be HH:MM:SS or HH:MM:SS.fff; got '\(text)'.")
            }
            seek = parsed
        }
        let requested = configuration.encoder
        return JobSpec(
            jobID: id, sourcePath: source, outputPath: output, configuration: configuration,
            encoder: requested ?? "auto", backendID: "", isAuto: BackendSelector.isAuto(requested),
            bitrateBps: bitrate, forceRemux: configuration.forceRemux ?? false,
            startSegment: Int(seek) / settings.segmentSeconds, source: nil
        )
    }

    /// The seek must fall inside the movie.
    func checkSeek(_ text: String?, spec: JobSpec, source: SourceInfo) throws {
        let seek = text.flatMap(SeekTime.parse) ?? 0
        guard seek < source.duration else {
            throw APIError.unprocessable("seek_time \(text ?? "") is past the end of the movie (\(SeekTime.format(Int(source.duration))) long).")
        }
    }

    /// `--max-jobs` and the backend's session capacity (shared by backends of one session pool).
    func checkCapacity(for spec: JobSpec) throws {
        let active = jobs.values.filter { $0.spec.jobID != spec.jobID && $0.isActive }
        guard active.count < settings.maxJobs else {
            throw APIError.unavailable("This worker already runs \(active.count) jobs, its limit (--max-jobs \(settings.maxJobs)); try another worker or stop a job.")
        }
        guard let backend = selector.all.first(where: { $0.backend.id == spec.backendID })?.backend,
              let capacity = backend.sessionCapacity else { return }
        let pool = backend.sessionPool
        let sameHardware = active.filter { job in
            selector.all.first { $0.backend.id == job.spec.backendID }?.backend.sessionPool == pool
        }
        guard sameHardware.count < capacity else {
            throw APIError.unavailable("All \(capacity) encoder sessions of '\(pool)' are in use on this worker; try another worker or encoder.")
        }
    }

    /// ffprobe, cached per file while its size and modification time stay the same.
    func probe(_ path: String) async throws -> SourceInfo {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = "\(attributes?[.size] ?? 0)-\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        if let cached = probeCache[path], cached.stamp == stamp { return cached.info }
        let info = try await prober.probe(path)
        probeCache[path] = (stamp, info)
        return info
    }
}
