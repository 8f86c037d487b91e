import Foundation
import Metrics
import TranscodeBackend
import TranscodeWire

/// The worker's Prometheus series. Counters count events as they happen; gauges of state
/// (processes, sessions, speed, GPU) are set at each scrape from the job manager.
enum WorkerMetrics {
    /// FFmpeg processes started.
    static let spawns = Counter(label: "transcode_worker_ffmpeg_spawns_total")
    /// FFmpeg runs that ended failed (crash, error, hang).
    static let failures = Counter(label: "transcode_worker_ffmpeg_failures_total")
    /// `auto` jobs retried on other hardware after a failure.
    static let retries = Counter(label: "transcode_worker_ffmpeg_retries_total")

    /// Sets the gauges from the jobs now and the GPU reading.
    static func record(jobs: [JobStatus], backends: [String], gpu: GPUReading?) {
        _ = (spawns, failures, retries)  // a counter shows from the first scrape, at 0
        let active = jobs.filter { $0.state.isActive }
        Gauge(label: "transcode_worker_ffmpeg_processes").record(active.count)
        for backend in backends {
            let mine = active.filter { $0.backend == backend }
            Gauge(label: "transcode_worker_backend_sessions", dimensions: [("backend", backend)]).record(mine.count)
            let speeds = mine.compactMap { $0.speed.flatMap(speedRatio) }
            // No running encode has no speed: NaN, not a made-up 0.
            let mean = speeds.isEmpty ? Double.nan : speeds.reduce(0, +) / Double(speeds.count)
            Gauge(label: "transcode_worker_encode_speed_ratio", dimensions: [("backend", backend)]).record(mean)
        }
        if let usage = gpu?.usage { Gauge(label: "transcode_worker_gpu_usage_ratio").record(usage / 100) }
        if let temperature = gpu?.temperature { Gauge(label: "transcode_worker_gpu_temperature_celsius").record(temperature) }
    }

    /// FFmpeg's `speed=1.52x` as 1.52.
    static func speedRatio(_ text: String) -> Double? {
        Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "x", with: ""))
    }
}
