/// What `hwdetect` found on a machine: the input of every backend's availability check.
///
/// This is the JSON that the `hwdetect` probe prints (snake_case keys). Recorded
/// inventories of other machines decode into it, so detection logic is testable anywhere.
public struct HardwareInventory: Sendable, Equatable, Codable {
    /// The CPU.
    public var cpu: CPUInfo
    /// Encoders this FFmpeg build (libavcodec) has. Proves the build, never the hardware.
    public var ffmpegEncoders: [String]
    /// DRM devices from libdrm.
    public var drmDevices: [DRMDevice]
    /// VA-API displays opened on render nodes.
    public var vaapi: [VAAPIDevice]
    /// The NVIDIA driver libraries, loaded with dlopen.
    public var nvidia: NVIDIAInfo
    /// Filters of the FFmpeg build (libavfilter); nil when not probed (older recordings).
    public var ffmpegFilters: [String]?
    /// Hardware device types of the FFmpeg build (libavutil: `cuda`, `vaapi`, `qsv`, ...); nil when not probed.
    public var ffmpegHWAccels: [String]?

    enum CodingKeys: String, CodingKey {
        case cpu, vaapi, nvidia
        case ffmpegEncoders = "ffmpeg_encoders"
        case drmDevices = "drm_devices"
        case ffmpegFilters = "ffmpeg_filters"
        case ffmpegHWAccels = "ffmpeg_hwaccels"
    }

    /// Creates an inventory.
    public init(
        cpu: CPUInfo, ffmpegEncoders: [String], drmDevices: [DRMDevice] = [], vaapi: [VAAPIDevice] = [], nvidia: NVIDIAInfo = NVIDIAInfo(),
        ffmpegFilters: [String]? = nil, ffmpegHWAccels: [String]? = nil
    ) {
        self.cpu = cpu
        self.ffmpegEncoders = ffmpegEncoders
        self.drmDevices = drmDevices
        self.vaapi = vaapi
        self.nvidia = nvidia
        self.ffmpegFilters = ffmpegFilters
        self.ffmpegHWAccels = ffmpegHWAccels
    }

    /// Whether this FFmpeg build has the encoder.
    public func hasEncoder(_ name: String) -> Bool { ffmpegEncoders.contains(name) }
}

/// CPU model and hardware threads.
public struct CPUInfo: Sendable, Equatable, Codable {
    /// Model name from /proc/cpuinfo.
    public var model: String
    /// Online hardware threads.
    public var threads: Int

    /// Creates a CPU description.
    public init(model: String, threads: Int) {
        self.model = model
        self.threads = threads
    }
}

/// A DRM device as libdrm reports it.
public struct DRMDevice: Sendable, Equatable, Codable {
    /// Render node path, e.g. `/dev/dri/renderD129`; nil when the device has none.
    public var renderNode: String?
    /// PCI vendor id (0x8086 Intel, 0x1002 AMD, 0x10de NVIDIA), nil when not PCI.
    public var vendorID: Int?
    /// PCI device id.
    public var deviceID: Int?
    /// Kernel driver name (`i915`, `amdgpu`, `nvidia`), when known.
    public var driver: String?

    enum CodingKeys: String, CodingKey {
        case driver
        case renderNode = "render_node"
        case vendorID = "vendor_id"
        case deviceID = "device_id"
    }

    /// Creates a device description.
    public init(renderNode: String?, vendorID: Int?, deviceID: Int?, driver: String?) {
        self.renderNode = renderNode
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.driver = driver
    }
}

/// One VA-API display opened on a render node.
public struct VAAPIDevice: Sendable, Equatable, Codable {
    /// The render node it was opened on.
    public var renderNode: String
    /// `vaQueryVendorString`, nil when initialisation failed.
    public var vendor: String?
    /// Codecs (`h264`, `hevc`, ...) with an encode entrypoint.
    public var encodeCodecs: [String]
    /// Why the display could not be used, nil when it could.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case vendor, error
        case renderNode = "render_node"
        case encodeCodecs = "encode_codecs"
    }

    /// Creates a display description.
    public init(renderNode: String, vendor: String?, encodeCodecs: [String], error: String? = nil) {
        self.renderNode = renderNode
        self.vendor = vendor
        self.encodeCodecs = encodeCodecs
        self.error = error
    }
}

/// What the NVIDIA driver libraries said.
public struct NVIDIAInfo: Sendable, Equatable, Codable {
    /// `libcuda.so.1` loaded and `cuInit` succeeded.
    public var cudaAvailable: Bool
    /// Why CUDA is not usable, when it is not.
    public var cudaError: String?
    /// Driver version as the driver reports it (e.g. `550.54.14` from NVML, or the CUDA `12040`).
    public var driverVersion: String?
    /// GPUs CUDA enumerates.
    public var devices: [NVIDIADevice]
    /// `libnvidia-encode.so.1` could be loaded.
    public var encodeLibrary: Bool
    /// Why the encode library could not be loaded.
    public var encodeLibraryError: String?
    /// `libnvidia-ml.so.1` could be loaded and initialised.
    public var nvml: Bool

    enum CodingKeys: String, CodingKey {
        case devices, nvml
        case cudaAvailable = "cuda_available"
        case cudaError = "cuda_error"
        case driverVersion = "driver_version"
        case encodeLibrary = "encode_library"
        case encodeLibraryError = "encode_library_error"
    }

    /// Creates a description; the default is "no NVIDIA driver".
    public init(
        cudaAvailable: Bool = false, cudaError: String? = "libcuda.so.1 not loaded", driverVersion: String? = nil,
        devices: [NVIDIADevice] = [], encodeLibrary: Bool = false, encodeLibraryError: String? = nil, nvml: Bool = false
    ) {
        self.cudaAvailable = cudaAvailable
        self.cudaError = cudaError
        self.driverVersion = driverVersion
        self.devices = devices
        self.encodeLibrary = encodeLibrary
        self.encodeLibraryError = encodeLibraryError
        self.nvml = nvml
    }
}

/// One NVIDIA GPU.
public struct NVIDIADevice: Sendable, Equatable, Codable {
    /// CUDA device ordinal.
    public var index: Int
    /// Marketing name, e.g. `NVIDIA GeForce RTX 3060`.
    public var name: String
    /// GPU utilisation in percent from NVML, nil when unknown.
    public var utilization: Double?
    /// Temperature in °C from NVML, nil when unknown.
    public var temperature: Double?

    /// Creates a GPU description.
    public init(index: Int, name: String, utilization: Double? = nil, temperature: Double? = nil) {
        self.index = index
        self.name = name
        self.utilization = utilization
        self.temperature = temperature
    }
}
