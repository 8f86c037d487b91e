/// Whether an FFmpeg run keeps ahead of a viewer. FFmpeg's `speed` is output time over wall
/// time since the run began, so below 1.0x the output falls behind someone watching from
/// the start: after `hold` of that in a row, the run cannot keep up and the viewer stalls.
/// Back at 1.0x or above, it has caught up again.
public struct KeepUpWatch: Sendable, Equatable {
    /// How long the speed must stay below 1.0x before the run counts as not keeping up.
    public static let hold: Duration = .seconds(5)

    private var slowSince: ContinuousClock.Instant?
    /// True once the speed has been below 1.0x for `hold` without a break.
    public private(set) var cannotKeepUp = false

    /// Creates a watch that has seen nothing yet.
    public init() {}

    /// Takes one speed reading (`"0.86x"` as `0.86`) taken at `now`.
    public mutating func observe(speed: Double, at now: ContinuousClock.Instant) {
        guard speed < 1.0 else {
            slowSince = nil
            cannotKeepUp = false
            return
        }
        let since = slowSince ?? now
        slowSince = since
        cannotKeepUp = now - since >= Self.hold
    }

    /// `"0.86x"` -> 0.86; nil for anything else.
    public static func factor(_ speed: String) -> Double? {
        guard speed.hasSuffix("x") else { return nil }
        return Double(speed.dropLast())
    }
}
