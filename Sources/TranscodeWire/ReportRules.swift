/// What a worker reports is checked as strictly as a client's request: ids, job ids, paths
/// and numbers. Each check returns the sentence that names the bad entry, or nil.
public enum ReportRules {
    /// The worker id rule (the job id rule: safe in a path and a URL).
    public static func workerIDProblem(_ id: String) -> String? {
        JobID.isSafe(id) ? nil : "worker id must be 1 to 128 letters, digits, '.', '_' or '-'; got '\(id.prefix(140))'"
    }

    /// A registration's problem, naming the field.
    public static func problem(in registration: Registration) -> String? {
        if let problem = workerIDProblem(registration.id) { return problem }
        if let address = registration.address {
            let lower = address.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), address.count <= 2048,
                  !address.contains(where: { $0 == " " || $0.isNewline || $0 == "\0" })
            else { return "address must be an http:// or https:// URL; got '\(address.prefix(140))'" }
        }
        let specs = registration.staticSpecs
        if !(0...1_000_000).contains(specs.totalThreads) { return "static_specs.total_threads must be 0 to 1000000; got \(specs.totalThreads)" }
        for (i, name) in (specs.encoders ?? []).enumerated() where !isName(name) {
            return "static_specs.encoders[\(i)] is not an encoder name: '\(name.prefix(80))'"
        }
        for (i, name) in specs.hardwareAcceleration.enumerated() where !isName(name) {
            return "static_specs.hardware_acceleration[\(i)] is not an API name: '\(name.prefix(80))'"
        }
        for (pool, limit) in specs.sessionLimits ?? [:] where !(0...1_000_000).contains(limit) {
            return "static_specs.session_limits['\(pool.prefix(80))'] must be 0 to 1000000; got \(limit)"
        }
        if let maxJobs = registration.maxJobs, !(1...10_000).contains(maxJobs) { return "max_jobs must be 1 to 10000; got \(maxJobs)" }
        if let t = registration.segmentSeconds, !(1...60).contains(t) { return "segment_seconds must be 1 to 60; got \(t)" }
        return problem(in: registration.jobs ?? [])
    }

    /// A heartbeat's problem, naming the field.
    public static func problem(in beat: Heartbeat) -> String? {
        let t = beat.telemetry
        for (name, value, range) in [
            ("cpu_usage", t.cpuUsage, 0.0...100.0), ("gpu_usage", t.gpuUsage, 0.0...100.0),
            ("temp_c", t.tempC, -100.0...300.0), ("gpu_temp_c", t.gpuTempC, -100.0...300.0),
        ] {
            if let value, !(value.isFinite && range.contains(value)) { return "telemetry.\(name) must be a number in \(range); got \(value)" }
        }
        if let free = t.ramFreeBytes, free < 0 { return "telemetry.ram_free_bytes must not be negative; got \(free)" }
        if let context = beat.jobContext {
            if let id = context.activeJobID, !JobID.isSafe(id) { return "job_context.active_job_id: \(JobID.rule)" }
            if let p = context.progress, !(p.isFinite && (0...100).contains(p)) { return "job_context.progress must be 0 to 100; got \(p)" }
            if let n = context.lastSegmentID, n < 0 { return "job_context.last_segment_id must not be negative; got \(n)" }
        }
        return problem(in: beat.jobs ?? [])
    }

    /// The first bad entry of a `jobs` list.
    public static func problem(in jobs: [WorkerJob]) -> String? {
        for (i, job) in jobs.enumerated() {
            if let problem = problem(in: job) { return "jobs[\(i)]: \(problem)" }
        }
        return nil
    }

    static func problem(in job: WorkerJob) -> String? {
        guard JobID.isSafe(job.jobID) else { return "job_id: \(JobID.rule); got '\(job.jobID.prefix(140))'" }
        guard isAbsolutePath(job.sourcePath) else { return "source_path must be an absolute path; got '\(job.sourcePath.prefix(140))'" }
        if let output = job.outputPath, !isAbsolutePath(output) { return "output_path must be an absolute path; got '\(output.prefix(140))'" }
        if let p = job.progress, !(p.isFinite && (0...100).contains(p)) { return "progress must be 0 to 100; got \(p)" }
        for (name, value) in [("last_segment_id", job.lastSegmentID), ("start_segment", job.startSegment), ("generation", job.generation)] {
            if let value, !(0...100_000_000).contains(value) { return "\(name) must be 0 to 100000000; got \(value)" }
        }
        if let d = job.duration, !(d.isFinite && d > 0 && d < 10_000_000) { return "duration must be a positive number of seconds; got \(d)" }
        if let t = job.segmentSeconds, !(1...60).contains(t) { return "segment_seconds must be 1 to 60; got \(t)" }
        if let encoder = job.configuration.encoder, !encoder.isEmpty, !isName(encoder) { return "configuration.encoder is not an encoder name" }
        if let seek = job.configuration.seekTime, !seek.isEmpty, SeekTime.parse(seek) == nil {
            return "configuration.seek_time must be HH:MM:SS or HH:MM:SS.fff; got '\(seek.prefix(40))'"
        }
        if job.configuration.segmentContainer == nil {
            return "configuration.container must be \(SegmentContainer.choices); got '\((job.configuration.container ?? "").prefix(40))'"
        }
        if let output = job.output {
            if output.codecs.count > 200 || output.resolution.count > 20 { return "output.codecs or output.resolution is too long" }
            if !(output.frameRate.isFinite && (0...1000).contains(output.frameRate)) { return "output.frame_rate must be 0 to 1000; got \(output.frameRate)" }
            if output.bandwidth < 0 || output.averageBandwidth < 0 { return "output bandwidths must not be negative" }
        }
        if let track = job.subtitleTrack, track.index < 0 { return "subtitle_track.index must not be negative; got \(track.index)" }
        return nil
    }

    /// Letters, digits, `_`, `-`, `.`; 1 to 64 of them.
    static func isName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 95 || $0 == 45 || $0 == 46 }
    }

    static func isAbsolutePath(_ path: String) -> Bool {
        // The first byte, not the first Character: "/" followed by an emoji modifier or a
        // combining mark is one Character that does not equal "/".
        path.utf8.first == UInt8(ascii: "/") && path.utf8.count <= 4096 && !path.contains("\0") && !path.contains(where: \.isNewline)
    }
}
