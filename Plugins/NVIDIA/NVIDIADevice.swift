/// One NVIDIA GPU, as CUDA enumerates it, with what NVML, NVENC and NVDEC said about it.
public struct NVIDIADevice: Sendable, Equatable, Codable {
    /// CUDA device ordinal.
    public var index: Int
    /// Marketing name, e.g. `NVIDIA GeForce RTX 3060`.
    public var name: String
    /// GPU utilisation in percent from NVML, nil when unknown.
    public var utilization: Double?
    /// Temperature in °C from NVML, nil when unknown.
    public var temperature: Double?
    /// NVENC sessions running now (NVML), nil when the driver does not tell.
    public var encoderSessions: Int?
    /// NVENC capacity left for H.264 in percent (NVML), nil when the driver does not tell.
    public var encoderCapacity: Int?
    /// What an NVENC session opened on this GPU said; nil in inventories probed before it was asked.
    public var nvenc: NVENCProbe?
    /// What NVDEC's decoder caps said; nil in inventories probed before they were asked.
    public var nvdec: NVDECProbe?

    enum CodingKeys: String, CodingKey {
        case index, name, utilization, temperature, nvenc, nvdec
        case encoderSessions = "encoder_sessions"
        case encoderCapacity = "encoder_capacity"
    }

    /// Creates a GPU description.
    public init(
        index: Int, name: String, utilization: Double? = nil, temperature: Double? = nil,
        encoderSessions: Int? = nil, encoderCapacity: Int? = nil, nvenc: NVENCProbe? = nil, nvdec: NVDECProbe? = nil
    ) {
        self.index = index
        self.name = name
        self.utilization = utilization
        self.temperature = temperature
        self.encoderSessions = encoderSessions
        self.encoderCapacity = encoderCapacity
        self.nvenc = nvenc
        self.nvdec = nvdec
    }
}
