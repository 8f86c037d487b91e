/// Heartbeat timing of the failover scenarios: one switch for the lead to flip.
///
/// The target is production timing (heartbeat every 10 s, timeout 45 s) with the
/// orchestrator noticing a dead worker on its fetch path, so that a player waits at most
/// 5 s. Until that fast-failure path exists, only a short heartbeat timeout moves a job in a
/// time a test can wait for; the player's bound stays the same in both.
enum FailoverTiming {
    /// Whether the orchestrator notices a dead worker where a fetch fails (issue 10,
    /// deliverable 3). Flip to true once it does: the tests then run at production timing.
    static let fetchPathDetection = true

    /// Seconds between a worker's heartbeats.
    static let heartbeatInterval: Double = fetchPathDetection ? 10 : 0.5
    /// Seconds of silence before the orchestrator declares a worker dead.
    static let heartbeatTimeout: Double = fetchPathDetection ? 45 : 2
    /// The longest a player may stand still when its worker dies (the target: 5 s
    /// for any segment).
    static let longestStall: Double = 5
}
