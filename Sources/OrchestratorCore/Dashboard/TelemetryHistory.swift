import Foundation
import TranscodeWire

/// The last ten minutes of each worker's telemetry, for the dashboard's sparklines.
///
/// Sampled on a timer, never per heartbeat: every `interval` the pool's `sampleTelemetry`
/// adds one frame holding the latest telemetry of every worker that sent a heartbeat since
/// the frame before. A heartbeat only stores its telemetry in the worker's record, so a pool
/// of 10,000 workers pays nothing per heartbeat for the history (the first design appended
/// to a per-worker list and scanned every worker's list on each heartbeat). A frame is never
/// changed once made, so a snapshot shares the frames instead of copying them.
struct TelemetryHistory: Sendable {
    /// One heartbeat's numbers (unknown ones stay nil, drawn as gaps).
    struct Sample: Codable, Sendable, Equatable {
        /// Seconds since 1970.
        var t: Double
        var cpu: Double?
        var gpu: Double?
        var ramFree: Int64?
        var temp: Double?

        enum CodingKeys: String, CodingKey {
            case t, cpu, gpu, temp
            case ramFree = "ram_free"
        }

        init(t: Double, _ telemetry: Telemetry) {
            self.t = t
            cpu = telemetry.cpuUsage
            gpu = telemetry.gpuUsage
            ramFree = telemetry.ramFreeBytes
            temp = telemetry.tempC ?? telemetry.gpuTempC
        }
    }

    /// One tick: the telemetry of the workers heard from since the tick before, in two
    /// parallel arrays (48 bytes a worker; a dictionary of `Sample`s took about 115).
    final class Frame: Sendable {
        /// Seconds since 1970.
        let t: Double
        let ids: [String]
        let points: [Point]

        init(t: Double, ids: [String], points: [Point]) {
            self.t = t
            self.ids = ids
            self.points = points
        }
    }

    /// A sample's numbers without its time; NaN (or -1 for RAM) stands for unknown.
    struct Point: Sendable {
        var cpu, gpu, temp: Double
        var ramFree: Int64

        init(_ telemetry: Telemetry) {
            cpu = telemetry.cpuUsage ?? .nan
            gpu = telemetry.gpuUsage ?? .nan
            temp = telemetry.tempC ?? telemetry.gpuTempC ?? .nan
            ramFree = telemetry.ramFreeBytes ?? -1
        }

        func sample(at t: Double) -> Sample {
            var s = Sample(t: t, Telemetry(cpuUsage: nil, gpuUsage: nil, ramFreeBytes: nil, tempC: nil))
            s.cpu = cpu.isNaN ? nil : cpu
            s.gpu = gpu.isNaN ? nil : gpu
            s.temp = temp.isNaN ? nil : temp
            s.ramFree = ramFree < 0 ? nil : ramFree
            return s
        }
    }

    /// How far back samples reach.
    static let window: TimeInterval = 600
    /// Frames kept at most: one every `interval` over the window.
    static let maxPoints = 120
    /// Seconds between frames.
    static let interval: TimeInterval = window / Double(maxPoints)

    /// Oldest first; at most `maxPoints`.
    private(set) var frames: [Frame] = []

    /// Adds a frame made at `t` and drops frames older than the window.
    mutating func add(_ frame: Frame) {
        let t = frame.t
        frames.append(frame)
        let drop = frames.prefix { t - $0.t > Self.window }.count + max(0, frames.count - Self.maxPoints)
        if drop > 0 { frames.removeFirst(min(drop, frames.count)) }
    }

    /// Each worker's samples, oldest first, with `latest` (the newest telemetry, newer than
    /// the last frame) after them; a worker silent for the whole window has none. Built
    /// outside the pool, from frames the pool shares.
    static func series(_ frames: [Frame], latest: [String: Sample], now: Double) -> [String: [Sample]] {
        var out: [String: [Sample]] = [:]
        for frame in frames where now - frame.t <= window {
            for (id, point) in zip(frame.ids, frame.points) { out[id, default: []].append(point.sample(at: frame.t)) }
        }
        for (id, sample) in latest where now - sample.t <= window { out[id, default: []].append(sample) }
        return out
    }
}
