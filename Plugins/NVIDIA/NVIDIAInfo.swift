import TranscodeBackend

/// What the NVIDIA driver libraries said: the probe's `nvidia` section, which only the
/// NVIDIA backends read (`inventory.nvidia`).
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
    /// The probe's child (CUDA, NVENC and NVDEC queries) crashed or hung: what happened.
    public var probeError: String?

    enum CodingKeys: String, CodingKey {
        case devices, nvml
        case cudaAvailable = "cuda_available"
        case cudaError = "cuda_error"
        case driverVersion = "driver_version"
        case encodeLibrary = "encode_library"
        case encodeLibraryError = "encode_library_error"
        case probeError = "probe_error"
    }

    /// Creates a description; the default is "no NVIDIA driver".
    public init(
        cudaAvailable: Bool = false, cudaError: String? = "libcuda.so.1 not loaded", driverVersion: String? = nil,
        devices: [NVIDIADevice] = [], encodeLibrary: Bool = false, encodeLibraryError: String? = nil, nvml: Bool = false,
        probeError: String? = nil
    ) {
        self.cudaAvailable = cudaAvailable
        self.cudaError = cudaError
        self.driverVersion = driverVersion
        self.devices = devices
        self.encodeLibrary = encodeLibrary
        self.encodeLibraryError = encodeLibraryError
        self.nvml = nvml
        self.probeError = probeError
    }
}

extension HardwareInventory {
    /// The probe's `nvidia` section; "no NVIDIA driver" when the inventory has none.
    public var nvidia: NVIDIAInfo {
        get { section("nvidia", as: NVIDIAInfo.self) ?? NVIDIAInfo() }
        // Encoding plain strings, numbers and arrays cannot fail.
        set { try? setSection("nvidia", newValue) }
    }
}
