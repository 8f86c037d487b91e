import ServiceSupport
/// Everything an orchestrator is configured with.
public struct OrchestratorSettings: Sendable {
    /// Address to bind.
    public var host = "0.0.0.0"
    /// Port to bind; 0 picks a free one (printed on start).
    public var port = 8700
    /// Bearer token; nil only with `--insecure-no-auth`.
    public var token: String?
    /// Seconds without a heartbeat after which a worker is OFFLINE.
    public var heartbeatTimeout: Double = 45
    /// Port assumed for a worker that registers without an `address`.
    public var defaultWorkerPort = 8701
    /// Idle timeout and connection cap of the HTTP server.
    public var limits = ServerLimits()
    /// Restarts of a job whose FFmpeg failed before the orchestrator gives up.
    public var maxRetries = 2
    /// How long a player's segment request may wait for the segment to be encoded.
    public var segmentWait: Duration = .seconds(20)
    /// How long a segment the worker streams while writing is held back before its first byte
    /// goes to the player, hoping it ends (`SegmentRelay`): one that ends in time goes whole.
    public var segmentHoldBack: Duration = .milliseconds(300)
    /// Timeout of one call to a worker.
    public var workerCallTimeout: Duration = .seconds(30)

    /// Base URL of playback links (`--public-url`); nil: the request's Host.
    public var publicURL: String?
    /// Seconds a signed playback URL stays valid.
    public var playbackTTL = 86_400

    /// A token that opens `GET /metrics` only (`--metrics-token`); the pool token opens it too.
    public var metricsToken: String?
    /// Whether metrics are collected (`--no-metrics` turns them off).
    public var metricsEnabled = true
    /// Folders the dashboard's library lists (`--media-root`).
    public var mediaRoots: [String] = []

    /// Creates default settings.
    public init() {}
}
