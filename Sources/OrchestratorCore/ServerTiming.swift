import Hummingbird
import Synchronization

/// The stages of one request at the orchestrator, sent back in a `Server-Timing` header
/// (issue 18): a job's create/update (`routed`, `worker_replied`) and a segment
/// (`restart_sent`, `routed`, `worker_replied`, `ready`, and `polls`, the number of times it
/// asked the worker). Each `dur` is the milliseconds from the request's arrival to that stage
/// (not a duration of its own), `total` the time to the response. A page reads them through
/// Resource Timing (`serverTiming`). Code anywhere under a request marks through the task-local
/// `current`; it observes only.
final class ServerTiming: Sendable {
    @TaskLocal static var current: ServerTiming?

    static let header = HTTPFields.Element.Name("Server-Timing")

    private let origin = ContinuousClock.now
    private let marks = Mutex<[(name: String, ms: Double)]>([])
    private let counts = Mutex<[String: Int]>([:])

    /// Marks `name` now in the current request, unless it was marked already.
    static func mark(_ name: String) { current?.mark(name) }

    /// Counts one more `name` in the current request.
    static func count(_ name: String) { current?.counts.withLock { $0[name, default: 0] += 1 } }

    func mark(_ name: String) {
        let ms = Self.ms(ContinuousClock.now - origin)
        marks.withLock { list in
            if !list.contains(where: { $0.name == name }) { list.append((name, ms)) }
        }
    }

    /// The header's value, with `total` as of now.
    var value: String {
        let total = Self.ms(ContinuousClock.now - origin)
        let entries = marks.withLock { $0 }.map { "\($0.name);dur=\(Self.text($0.ms))" }
        let tallies = counts.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.key);desc=\"\($0.value)\"" }
        return (entries + tallies + ["total;dur=\(Self.text(total))"]).joined(separator: ", ")
    }

    /// Runs `body` with a fresh recorder as `current` and adds its header to the response.
    static func measure(_ body: () async throws -> Response) async throws -> Response {
        let timing = ServerTiming()
        var response = try await $current.withValue(timing) { try await body() }
        if let header { response.headers[header] = timing.value }
        return response
    }

    private static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private static func text(_ ms: Double) -> String {
        String((ms * 100).rounded() / 100)
    }
}
