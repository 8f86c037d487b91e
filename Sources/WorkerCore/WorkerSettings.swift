import MediaProbe
import ServiceSupport
import TranscodeWire
import Foundation

/// Everything a worker is configured with.
public struct WorkerSettings: Sendable {
    /// Worker id, default the host name.
    public var id: String
    /// Address to bind.
    public var host: String = "0.0.0.0"
    /// Port to bind; 0 picks a free one (printed on start).
    public var port: Int = 8701
    /// Every `source_path` must lie inside one of these (real paths).
    public var mediaRoots: [String]
    /// `--path-map FROM=TO`: source paths as the orchestrator names them, translated to where
    /// this worker mounts them (then confined to the media roots like any other).
    public var pathMaps: [PathMapping] = []
    /// Every `output_path` lies strictly inside this (real path).
    public var transcodeRoot: String
    /// HLS segment length T in seconds.
    public var segmentSeconds: Int = 4
    /// Concurrent jobs allowed.
    public var maxJobs: Int = 4
    /// Idle timeout and connection cap of the HTTP server.
    public var limits = ServerLimits()
    /// Bytes that must stay free on the transcode root for a job to start.
    public var minFreeBytes: Int64 = 256 << 20
    /// Bearer token; nil only with `--insecure-no-auth`.
    public var token: String?
    /// ffmpeg and ffprobe executables (absolute paths).
    public var ffmpeg: String
    public var ffprobe: String
    /// How long a stopping FFmpeg gets after SIGTERM before SIGKILL.
    public var stopGrace: Duration = .seconds(5)
    /// Orchestrator base URL; nil runs standalone.
    public var orchestratorURL: String?
    /// URL the orchestrator calls back.
    public var advertiseURL: String?
    /// Seconds between heartbeats.
    public var heartbeatInterval: Double = 10
    /// Run a verification encode through each hardware encoder before offering it.
    public var verifyEncoders = false
    /// A recorded inventory to use instead of running hwdetect.
    public var inventoryFile: String?
    /// Folder of backend manifests (`*.toml`) loaded beside the compiled backends; nil for none.
    public var backendsDir: String?
    /// Seconds without progress after which a running encode counts as hung.
    public var hangTimeout: Double = 60
    /// A token that opens `GET /metrics` only (`--metrics-token`).
    public var metricsToken: String?
    /// Whether metrics are collected (`--no-metrics` turns them off).
    public var metricsEnabled = true

    /// Creates settings with the required values.
    public init(id: String, mediaRoots: [String], transcodeRoot: String, ffmpeg: String, ffprobe: String) {
        self.id = id
        self.mediaRoots = mediaRoots
        self.transcodeRoot = transcodeRoot
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    /// Finds an executable on PATH, or returns nil.
    public static func which(_ name: String) -> String? { Executable.find(name) }
}
