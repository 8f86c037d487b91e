import Foundation
import Metrics
import Prometheus

/// The process's metrics backend: every swift-metrics handler lands in one Prometheus
/// registry, which `GET /metrics` writes out in the text format.
public enum ServiceMetrics {
    /// The registry this process's metrics land in.
    public static let registry = PrometheusCollectorRegistry()

    /// Histogram buckets of latencies that matter to a player: a segment is 4 s of video, so
    /// anything past a few seconds is a stall.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30),
    ]

    /// Points swift-metrics at the registry; call once, before any metric is first used.
    /// With `enabled` false metrics stay swift-metrics' no-op handlers (`--no-metrics`).
    public static func bootstrap(enabled: Bool) {
        guard enabled else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = latencyBuckets
        MetricsSystem.bootstrap(factory)
    }

    /// The registry in the Prometheus text format.
    public static func exposition() -> String { registry.emitToString() }
}
