import Foundation
import TranscodeBackend

/// GPU load from the kernel where the driver publishes it: `gpu_busy_percent` and the hwmon
/// temperature of amdgpu devices under /sys/class/drm/<node>/device.
enum SysfsGPUReader {
    /// The reading of the busiest render node, nil when no node publishes one.
    static func reading(renderNodes: [String], sysfs: String = "/sys/class/drm") -> GPUReading? {
        var usage: Double?
        var temperature: Double?
        for node in renderNodes {
            let device = "\(sysfs)/\((node as NSString).lastPathComponent)/device"
            if let busy = number(device + "/gpu_busy_percent") { usage = max(usage ?? 0, busy) }
            let hwmons = (try? FileManager.default.contentsOfDirectory(atPath: device + "/hwmon")) ?? []
            for hwmon in hwmons {
                if let milli = number("\(device)/hwmon/\(hwmon)/temp1_input") { temperature = max(temperature ?? 0, milli / 1000) }
            }
        }
        return usage == nil && temperature == nil ? nil : GPUReading(usage: usage, temperature: temperature)
    }

    private static func number(_ path: String) -> Double? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

extension VAAPIBackend {
    /// The kernel's view of the VA-API GPUs (amdgpu publishes busy percent; others may not).
    public func gpuReading(inventory: HardwareInventory) -> GPUReading? {
        SysfsGPUReader.reading(renderNodes: inventory.vaapi.filter { $0.error == nil }.map(\.renderNode))
    }
}
