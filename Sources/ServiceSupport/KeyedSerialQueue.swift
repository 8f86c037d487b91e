/// Runs operations one after another per key, and operations on different keys side by side.
/// (A seek storm on one job must not interleave its stop and start steps.)
public actor KeyedSerialQueue {
    private var tails: [String: (id: Int, task: Task<Void, Never>)] = [:]
    private var counter = 0

    /// Creates a queue.
    public init() {}

    /// Runs `body` once every earlier operation on `key` has finished.
    public func run<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tails[key]?.task
        let task = Task {
            await previous?.value
            return try await body()
        }
        counter += 1
        let id = counter
        tails[key] = (id, Task { _ = try? await task.value })
        defer { if tails[key]?.id == id { tails[key] = nil } }
        return try await task.value
    }
}
