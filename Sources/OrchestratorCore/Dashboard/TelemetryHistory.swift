import Foundation
import TranscodeWire

/// The last ten minutes of each worker's telemetry, for the dashboard's sparklines. Kept by
/// `Pool`, fed by heartbeats; a worker's samples go when it has been silent that long.
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
    }

    /// How far back samples reach.
    static let window: TimeInterval = 600
    /// Points kept per worker at most: one every 5 s over the window (a 1 s heartbeat would
    /// otherwise keep 600 per worker and send them all on every change).
    static let maxPoints = 120

    private(set) var samples: [String: [Sample]] = [:]

    /// Adds a heartbeat's telemetry and drops what is older than the window.
    mutating func record(_ id: String, _ telemetry: Telemetry, at now: Date) {
        let t = now.timeIntervalSince1970
        var list = samples[id] ?? []
        // Thin to one sample per window/maxPoints seconds: the newest replaces a too-close one.
        if let last = list.last, t - last.t < Self.window / Double(Self.maxPoints), list.count > 1 { list.removeLast() }
        list.append(Sample(t: t, cpu: telemetry.cpuUsage, gpu: telemetry.gpuUsage, ramFree: telemetry.ramFreeBytes,
                           temp: telemetry.tempC ?? telemetry.gpuTempC))
        list.removeAll { t - $0.t > Self.window }
        samples[id] = list
        for (other, rest) in samples where other != id && (rest.last.map { t - $0.t > Self.window } ?? true) {
            samples[other] = nil
        }
    }
}
