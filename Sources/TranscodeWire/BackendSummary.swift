/// One backend as a worker reports it at registration (addition to `static_specs`): whether
/// it can run on that machine, and why or why not, for people reading the pool.
public struct BackendSummary: Codable, Sendable, Equatable {
    /// Backend id (`x264`, ...).
    public var id: String
    public var available: Bool
    /// A sentence a person can act on ("available", or what is missing).
    public var reason: String

    /// Creates a summary.
    public init(id: String, available: Bool, reason: String) {
        self.id = id
        self.available = available
        self.reason = reason
    }
}
