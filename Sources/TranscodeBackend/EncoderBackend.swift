/// An encoder backend: one vendor's knowledge of how to run FFmpeg on its hardware.
///
/// Every implementation must:
/// - offer FFmpeg encoder names (`<codec>_<api>`, e.g. `h264_<api>`) in `encoders`;
/// - answer `availability(on:)` with a value, never a crash or a throw, when hardware is missing;
/// - build arguments as a pure function of the request and the inventory.
public protocol EncoderBackend: Sendable {
    /// Stable identifier, e.g. `x264`, used by `--backend` and in logs.
    var id: String { get }
    /// FFmpeg encoder names this backend can drive.
    var encoders: [String] { get }
    /// Tag it contributes to `hardware_acceleration` in registration; nil for software.
    var hardwareAPI: String? { get }
    /// Preference among available backends for `auto`: higher wins.
    var rank: Int { get }
    /// Concurrent encodes this backend's hardware allows, counted across jobs; nil means unlimited.
    var sessionCapacity: Int? { get }
    /// Backends that share hardware sessions (two pipelines over one encoder chip) return
    /// the same pool name, and `sessionCapacity` counts across them. Default: the backend's id.
    var sessionPool: String { get }
    /// True when the worker must run a verification encode through this backend at start-up
    /// before offering it, whatever `--verify-encoders` says. Default: false.
    var requiresVerification: Bool { get }
    /// The video codec `encoder` makes (`h264`, `hevc`, `av1`): `auto` takes only backends
    /// that make `VideoCodec.playsEverywhere`. Default: `VideoCodec.of(encoder:)`.
    func outputCodec(of encoder: String) -> String
    /// Whether this backend can run on the machine described by the inventory.
    func availability(on inventory: HardwareInventory) -> Availability
    /// Whether this backend suits a particular source (e.g. a decoder exists for its codec).
    func suits(_ source: SourceInfo) -> Bool
    /// Whether this backend suits the source on this machine, where the answer depends on
    /// what the hardware reported (e.g. NVDEC's decoder caps). Default: `suits(source)`.
    func suits(_ source: SourceInfo, on inventory: HardwareInventory) -> Bool
    /// The FFmpeg argument list (without the program name) for the request.
    func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String]
    /// A live reading of the backend's GPU for heartbeats; nil where it has none or cannot tell.
    func gpuReading(inventory: HardwareInventory) -> GPUReading?
}

/// GPU load and temperature, each nil when unknown (never a made-up 0).
public struct GPUReading: Sendable, Equatable {
    /// Percent busy.
    public var usage: Double?
    /// Degrees Celsius.
    public var temperature: Double?

    /// Creates a reading.
    public init(usage: Double?, temperature: Double?) {
        self.usage = usage
        self.temperature = temperature
    }
}

extension EncoderBackend {
    public var sessionCapacity: Int? { nil }
    public var sessionPool: String { id }
    public var requiresVerification: Bool { false }
    public func outputCodec(of encoder: String) -> String { VideoCodec.of(encoder: encoder) }
    public func suits(_ source: SourceInfo) -> Bool { true }
    public func suits(_ source: SourceInfo, on inventory: HardwareInventory) -> Bool { suits(source) }
    public func gpuReading(inventory: HardwareInventory) -> GPUReading? { nil }
}

/// Whether a backend can run here, and if not, why.
public struct Availability: Sendable, Equatable, Codable {
    /// True when the backend can run.
    public var isAvailable: Bool
    /// A sentence saying why not (or what it found), for logs and `hwdetect`.
    public var reason: String

    /// An available backend, with what was found.
    public static func available(_ detail: String = "available") -> Availability {
        Availability(isAvailable: true, reason: detail)
    }

    /// An unavailable backend, with the reason.
    public static func unavailable(_ reason: String) -> Availability {
        Availability(isAvailable: false, reason: reason)
    }
}
