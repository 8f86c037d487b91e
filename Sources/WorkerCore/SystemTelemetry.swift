import Foundation
import TranscodeWire

/// Reads the machine's load from /proc and /sys. CPU usage is the busy share of all CPUs
/// between two readings, so the first call compares against the moment of creation.
final class SystemTelemetry: Sendable {
    private let previous: Locked<CPUTimes?>

    struct CPUTimes: Sendable {
        var busy: UInt64
        var total: UInt64
    }

    init() { previous = Locked(Self.cpuTimes()) }

    /// A fresh reading. GPU fields come from the backends' probes (null where unknown).
    func sample(gpuUsage: Double? = nil, gpuTemp: Double? = nil) -> Telemetry {
        Telemetry(cpuUsage: cpuUsage(), gpuUsage: gpuUsage, ramFreeBytes: Self.memAvailable(), tempC: Self.temperature(), gpuTempC: gpuTemp)
    }

    /// Percent of all CPUs busy since the previous call, 0...100; nil when /proc/stat is unreadable.
    func cpuUsage() -> Double? {
        guard let now = Self.cpuTimes() else { return nil }
        let before = previous.withLock { value -> CPUTimes? in
            defer { value = now }
            return value
        }
        guard let before, now.total > before.total else { return nil }
        let busy = Double(now.busy &- before.busy), total = Double(now.total - before.total)
        return (min(100, max(0, 100 * busy / total)) * 10).rounded() / 10
    }

    /// Aggregate jiffies from the `cpu` line of /proc/stat.
    static func cpuTimes(_ text: String? = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) -> CPUTimes? {
        guard let line = text?.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        let total = fields.prefix(8).reduce(0, +)
        return CPUTimes(busy: total - idle, total: total)
    }

    /// MemAvailable from /proc/meminfo, in bytes.
    static func memAvailable(_ text: String? = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) -> Int64? {
        guard let line = text?.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }.map { $0 * 1024 }
    }

    /// MemTotal from /proc/meminfo, in bytes.
    static func memTotal() -> Int64? {
        let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        guard let line = text?.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }.map { $0 * 1024 }
    }

    /// CPU temperature: a CPU hwmon sensor (coretemp, k10temp, zenpower, cpu_thermal) if any,
    /// else the hottest thermal zone; nil when the machine exposes none.
    static func temperature(sys: String = "/sys/class") -> Double? {
        let fm = FileManager.default
        let cpuSensors = ["coretemp", "k10temp", "zenpower", "cpu_thermal", "acpitz"]
        for hwmon in (try? fm.contentsOfDirectory(atPath: sys + "/hwmon"))?.sorted() ?? [] {
            let dir = sys + "/hwmon/" + hwmon
            guard let name = try? String(contentsOfFile: dir + "/name", encoding: .utf8),
                  cpuSensors.contains(name.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let value = readMilli(dir + "/temp1_input")
            else { continue }
            return value
        }
        let zones = ((try? fm.contentsOfDirectory(atPath: sys + "/thermal")) ?? []).filter { $0.hasPrefix("thermal_zone") }
        return zones.compactMap { readMilli(sys + "/thermal/" + $0 + "/temp") }.max()
    }

    /// A sysfs value in thousandths, as a Double.
    private static func readMilli(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return value / 1000
    }
}
