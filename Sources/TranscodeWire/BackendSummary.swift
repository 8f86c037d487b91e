/// One backend as a worker reports it at registration (addition to `static_specs`): whether
/// it can run on that machine, and why or why not, for people reading the pool; the encoders
/// it drives and what it can do to the picture, for routing.
public struct BackendSummary: Codable, Sendable, Equatable {
    /// Backend id (`x264`, ...).
    public var id: String
    public var available: Bool
    /// A sentence a person can act on ("available", or what is missing).
    public var reason: String
    /// FFmpeg encoders it drives (nil from a worker before features were reported).
    public var encoders: [String]?
    /// Picture work it takes: `tone_map`, `burn_in_text`, `burn_in_bitmap` (nil: not reported).
    public var features: [String]?

    /// Creates a summary.
    public init(id: String, available: Bool, reason: String, encoders: [String]? = nil, features: [String]? = nil) {
        self.id = id
        self.available = available
        self.reason = reason
        self.encoders = encoders
        self.features = features
    }

    /// Wire name of tone mapping in `features`.
    public static let toneMap = "tone_map"
    /// Wire names of burn-in in `features`: a job's subtitle kind is known only from the
    /// source, so routing asks for both.
    public static let burnIn = ["burn_in_text", "burn_in_bitmap"]
}
