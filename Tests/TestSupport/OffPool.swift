import Foundation

/// Runs blocking work (process start-up waits, `waitUntilExit`, clip generation) on a thread
/// of its own, so that it does not hold one of the few threads of Swift's cooperative pool:
/// on a 2-core machine two blocked tests would otherwise stall every other test's polling.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

extension WorkerHarness {
    /// Starts a worker (see `init`) without blocking the cooperative pool.
    public static func start(_ extra: [String] = [], sandbox: Sandbox? = nil, id: String = "worker-\(UUID().uuidString.prefix(6))") async throws -> WorkerHarness {
        try await offPool { try WorkerHarness(extra, sandbox: sandbox, id: id) }
    }
}

extension Sandbox {
    /// `clip(seconds:size:name:)` without blocking the cooperative pool.
    public func makeClip(
        seconds: Int = 24, size: String = "640x360", name: String = "clip.mkv", rate: String = "24", audioRate: Int = 48_000
    ) async throws -> String {
        try await offPool { try self.clip(seconds: seconds, size: size, name: name, rate: rate, audioRate: audioRate) }
    }
}

extension ServiceProcess {
    /// `stop(signal:timeout:)` without blocking the cooperative pool.
    public func stopped(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async -> Int32? {
        (try? await offPool { self.stop(signal: signal, timeout: timeout) }) ?? nil
    }
}

extension OrchestratorHarness {
    /// Starts an orchestrator (see `init`) without blocking the cooperative pool.
    public static func start(heartbeatTimeout: Double = 45, port: Int = 0, extra: [String] = []) async throws -> OrchestratorHarness {
        try await offPool { try OrchestratorHarness(heartbeatTimeout: heartbeatTimeout, port: port, extra: extra) }
    }
}
