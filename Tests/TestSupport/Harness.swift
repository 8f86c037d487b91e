import Foundation

/// A real worker process on 127.0.0.1 with its own sandbox.
public struct WorkerHarness: Sendable {
    /// The process.
    public let service: ServiceProcess
    /// Its folders.
    public let sandbox: Sandbox
    /// A caller with the right token.
    public let api: API
    /// The token.
    public static let token = "test-token"

    /// Starts a worker; `extra` adds flags (e.g. `--max-jobs 1`, `--orchestrator URL`). Without
    /// `--backends-dir` it reads the sandbox's (absent) folder, never the machine's own.
    public init(_ extra: [String] = [], sandbox: Sandbox? = nil, id: String = "worker-\(UUID().uuidString.prefix(6))") throws {
        let sandbox = try sandbox ?? Sandbox("worker")
        self.sandbox = sandbox
        var extra = extra
        if !extra.contains("--backends-dir") { extra += ["--backends-dir", sandbox.root.appendingPathComponent("backends.d").path] }
        service = try ServiceProcess("transcode-worker", [
            "--id", id, "--host", "127.0.0.1", "--port", "0",
            "--media-root", sandbox.media.path, "--transcode-root", sandbox.transcode.path,
            "--token", Self.token, "--segment-seconds", "4", "--stop-grace", "2",
        ] + extra)
        api = API(service.baseURL, token: Self.token)
    }

    /// A PUT body for a job on `source`.
    public static func job(
        _ source: String, seek: String? = nil, encoder: String? = "libx264", bitrate: Int = 1_000_000, remux: Bool = false,
        output: String? = nil, jobID: String? = nil
    ) -> String {
        var configuration: [String: Any] = ["bitrate_bps": bitrate, "force_remux": remux]
        if let seek { configuration["seek_time"] = seek }
        if let encoder { configuration["encoder"] = encoder }
        var body: [String: Any] = ["source_path": source, "configuration": configuration]
        if let output { body["output_path"] = output }
        if let jobID { body["job_id"] = jobID }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A real orchestrator process on 127.0.0.1.
public struct OrchestratorHarness: Sendable {
    /// The process.
    public let service: ServiceProcess
    /// A caller with the right token.
    public let api: API

    /// Starts an orchestrator; `port` 0 picks a free one.
    public init(heartbeatTimeout: Double = 45, port: Int = 0, extra: [String] = []) throws {
        service = try ServiceProcess("transcode-orchestrator", [
            "--host", "127.0.0.1", "--port", "\(port)", "--token", WorkerHarness.token,
            "--heartbeat-timeout", "\(heartbeatTimeout)",
        ] + extra)
        api = API(service.baseURL, token: WorkerHarness.token)
    }

    /// Statuses of a live worker with no job: IDLE, or STRESSED when the machine itself is
    /// saturated (as a shared 2-core test machine often is).
    public static let liveWithoutJobs: Set<String> = ["IDLE", "STRESSED"]

    /// The orchestrator's view of one worker, or nil.
    public func worker(_ id: String) async throws -> [String: Any]? {
        let response = try await api.call("GET", "/v1/workers/\(id)")
        return response.status == 200 ? response.object : nil
    }
}
