#if canImport(Glibc)
import Glibc
#endif
import NVIDIAInventory
import TranscodeBackend

/// GPU utilisation and temperature from NVML (`libnvidia-ml.so.1`), loaded with dlopen on
/// first use so that machines without the NVIDIA driver need nothing.
enum NVMLReader {
    private typealias InitFn = @convention(c) () -> Int32
    private typealias HandleFn = @convention(c) (UInt32, UnsafeMutableRawPointer) -> Int32
    private typealias UtilizationFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer) -> Int32
    private typealias TemperatureFn = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<UInt32>) -> Int32

    private struct Library: @unchecked Sendable {
        let handleByIndex: HandleFn
        let utilization: UtilizationFn
        let temperature: TemperatureFn
    }

    private static let library: Library? = {
        guard let handle = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL),
              let initSym = dlsym(handle, "nvmlInit_v2"),
              let byIndex = dlsym(handle, "nvmlDeviceGetHandleByIndex_v2"),
              let util = dlsym(handle, "nvmlDeviceGetUtilizationRates"),
              let temp = dlsym(handle, "nvmlDeviceGetTemperature")
        else { return nil }
        guard unsafeBitCast(initSym, to: InitFn.self)() == 0 else { return nil }
        return Library(
            handleByIndex: unsafeBitCast(byIndex, to: HandleFn.self),
            utilization: unsafeBitCast(util, to: UtilizationFn.self),
            temperature: unsafeBitCast(temp, to: TemperatureFn.self)
        )
    }()

    /// The busiest GPU's utilisation and the hottest GPU's temperature, nil when NVML is absent.
    static func reading(deviceCount: Int) -> GPUReading? {
        guard let library, deviceCount > 0 else { return nil }
        var usage: Double?
        var temperature: Double?
        for index in 0..<deviceCount {
            var device: OpaquePointer?
            guard library.handleByIndex(UInt32(index), &device) == 0 else { continue }
            var rates: (UInt32, UInt32) = (0, 0)  // nvmlUtilization_t { gpu, memory }
            if library.utilization(device, &rates) == 0 { usage = max(usage ?? 0, Double(rates.0)) }
            var celsius: UInt32 = 0
            if library.temperature(device, 0, &celsius) == 0 { temperature = max(temperature ?? 0, Double(celsius)) }
        }
        return usage == nil && temperature == nil ? nil : GPUReading(usage: usage, temperature: temperature)
    }
}

extension NVENCBackend {
    /// NVML's view of the NVIDIA GPUs.
    public func gpuReading(inventory: HardwareInventory) -> GPUReading? {
        inventory.nvidia.nvml ? NVMLReader.reading(deviceCount: inventory.nvidia.devices.count) : nil
    }
}
