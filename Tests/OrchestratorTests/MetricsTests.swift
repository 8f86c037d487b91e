import Foundation
import Testing
import TestSupport

/// `GET /metrics` on both services, read by prometheus_client's parser: the series the
/// operator needs, named by Prometheus conventions, behind a token.
@Suite struct MetricsTests {
    static let metricsToken = "scrape-only"

    @Test func bothServicesExportTheirSeriesToTheMetricsToken() async throws {
        // The default heartbeat timeout: nothing here dies, and a 3 s timeout marked the worker
        // offline under the parallel test pass's load, which sent m1 into recovery.
        let orchestrator = try await OrchestratorHarness.start(extra: ["--metrics-token", Self.metricsToken])
        let media = try Sandbox("metrics")
        let source = try await media.makeClip(seconds: 8, size: "320x240")
        let worker = try await WorkerHarness.start(
            ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5", "--media-root", media.media.path,
             "--metrics-token", Self.metricsToken],
            id: "metrics-1"
        )
        let api = orchestrator.api
        #expect(try await eventually { (try await api.object("/v1/workers/metrics-1")["status"] as? String) != nil })
        let created = try await api.call("PUT", "/v1/jobs/m1", body: WorkerHarness.job(source))
        #expect(created.status == 201, "\(created.text)")
        _ = try await api.call("PUT", "/v1/jobs/m2", body: WorkerHarness.job(source, encoder: "h264_nosuch"))
        var job: [String: Any] = [:]
        let produced = try await eventually(timeout: .seconds(60)) {
            job = try await api.object("/v1/jobs/m1")
            return (job.int("last_segment_id") ?? -1) >= 0
        }
        #expect(produced, "\(job)")
        _ = try await api.call("GET", "/v1/jobs/m1/hls/segment0.ts")

        // Without a token: 401; with the scrape-only token: the text; it opens nothing else.
        let scraper = API(orchestrator.service.baseURL, token: Self.metricsToken)
        #expect(try await API(orchestrator.service.baseURL, token: nil).call("GET", "/metrics").status == 401)
        #expect(try await scraper.call("GET", "/v1/workers").status == 401)
        let reply = try await scraper.call("GET", "/metrics")
        #expect(reply.status == 200)
        let o = try await PrometheusText(parsing: reply.text)
        #expect((o.value("transcode_orchestrator_heartbeats_received_total") ?? 0) >= 1)
        #expect(o.families["transcode_orchestrator_heartbeats_received"]?.type == "counter")
        #expect(o.value("transcode_orchestrator_workers", ["status": "OFFLINE"]) == 0)
        let live = ["IDLE", "BUSY", "STRESSED", "ERROR"].compactMap { o.value("transcode_orchestrator_workers", ["status": $0]) }.reduce(0, +)
        #expect(live == 1, "one live worker: \(reply.text)")
        #expect((o.value("transcode_orchestrator_jobs", ["state": "running"]) ?? 0)
            + (o.value("transcode_orchestrator_jobs", ["state": "completed"]) ?? 0) == 1, "\(reply.text)")
        #expect((o.value("transcode_orchestrator_routing_decisions_total", ["outcome": "routed"]) ?? 0) >= 1)
        #expect((o.value("transcode_orchestrator_routing_decisions_total", ["outcome": "refused"]) ?? 0) >= 1)
        #expect(o.families["transcode_orchestrator_segment_fetch_duration_seconds"]?.type == "histogram")
        #expect((o.value("transcode_orchestrator_segment_fetch_duration_seconds_count") ?? 0) >= 1)
        #expect(o.value("transcode_orchestrator_workers_draining") == 0)

        let workerScrape = try await API(worker.service.baseURL, token: Self.metricsToken).call("GET", "/metrics")
        #expect(workerScrape.status == 200)
        let w = try await PrometheusText(parsing: workerScrape.text)
        #expect((w.value("transcode_worker_ffmpeg_spawns_total") ?? 0) >= 1, "\(workerScrape.text)")
        #expect(w.families["transcode_worker_ffmpeg_failures"]?.type == "counter")
        #expect(w.families["transcode_worker_ffmpeg_retries"]?.type == "counter")
        #expect(w.value("transcode_worker_ffmpeg_processes") != nil)
        #expect(w.families["transcode_worker_backend_sessions"]?.samples.contains { $0.labels["backend"] == "x264" } == true)
        #expect(w.families["transcode_worker_encode_speed_ratio"] != nil)
        // The pool token opens it too.
        #expect(try await worker.api.call("GET", "/metrics").status == 200)
        withExtendedLifetime(media) {}
    }

    /// Prometheus convention: every family is there from start-up, each counter at 0 for each
    /// label value it can take, so that `rate()` and alerts work before the first event.
    @Test func aFreshOrchestratorExportsEveryFamilyAtZero() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let reply = try await orchestrator.api.call("GET", "/metrics")
        #expect(reply.status == 200)
        let o = try await PrometheusText(parsing: reply.text)
        let zeros: [(String, [String: String])] = [
            ("transcode_orchestrator_heartbeats_received_total", [:]),
            ("transcode_orchestrator_routing_decisions_total", ["outcome": "routed"]),
            ("transcode_orchestrator_routing_decisions_total", ["outcome": "refused"]),
            ("transcode_orchestrator_failovers_total", ["cause": "worker_lost"]),
            ("transcode_orchestrator_failovers_total", ["cause": "retry"]),
            ("transcode_orchestrator_failovers_total", ["cause": "drain"]),
            ("transcode_orchestrator_segment_fetch_duration_seconds_count", [:]),
            ("transcode_orchestrator_workers_draining", [:]),
        ] + ["IDLE", "BUSY", "STRESSED", "ERROR", "OFFLINE"].map { ("transcode_orchestrator_workers", ["status": $0]) }
            + ["pending", "starting", "running", "completed", "failed", "stopped"].map { ("transcode_orchestrator_jobs", ["state": $0]) }
        for (name, labels) in zeros {
            #expect(o.value(name, labels) == 0, "\(name) \(labels) at 0 on a fresh orchestrator:\n\(reply.text)")
        }
        let types = [
            "transcode_orchestrator_heartbeats_received": "counter", "transcode_orchestrator_routing_decisions": "counter",
            "transcode_orchestrator_failovers": "counter", "transcode_orchestrator_segment_fetch_duration_seconds": "histogram",
            "transcode_orchestrator_workers": "gauge", "transcode_orchestrator_workers_draining": "gauge",
            "transcode_orchestrator_jobs": "gauge",
        ]
        for (family, type) in types { #expect(o.families[family]?.type == type, "\(family) is a \(type)") }
        // Nothing else is there unannounced: a family added later must be added here too.
        let ours = Set(o.families.keys.filter { $0.hasPrefix("transcode_") })
        #expect(ours == Set(types.keys), "families: \(ours.sorted())")
    }

    @Test func noMetricsTurnsTheEndpointOff() async throws {
        let orchestrator = try await OrchestratorHarness.start(extra: ["--no-metrics"])
        let reply = try await orchestrator.api.call("GET", "/metrics")
        #expect(reply.status == 404, "\(reply.text)")
    }
}
