import TranscodeWire

/// Picks the worker for a job: live, offering the encoder, under its job limit; IDLE before
/// BUSY, STRESSED and ERROR only when nothing else fits; then fewest active jobs.
enum Routing {
    /// The chosen worker, or a sentence naming the encoder and what the pool offers.
    static func choose(
        encoder: String?, workers: some Collection<WorkerRecord>, activeJobs: [String: Int], excluding: Set<String> = []
    ) -> Result<WorkerRecord, RoutingFailure> {
        let auto = encoder == nil || encoder == "" || encoder == "auto"
        var best: WorkerRecord?
        var bestKey = (Int.max, Int.max, "")
        for worker in workers where worker.isLive && !excluding.contains(worker.id) {
            guard auto || worker.offers(encoder ?? "") else { continue }
            let active = activeJobs[worker.id] ?? 0
            if let limit = worker.maxJobs, active >= limit { continue }
            let key = (preference(worker.status), active, worker.id)
            if key < bestKey {
                best = worker
                bestKey = key
            }
        }
        if let best { return .success(best) }
        return .failure(RoutingFailure(message: sentence(encoder: auto ? "auto" : encoder ?? "", workers: workers, activeJobs: activeJobs)))
    }

    static func preference(_ status: WorkerStatus) -> Int {
        switch status {
        case .idle: 0
        case .busy: 1
        case .stressed: 2
        case .error: 3
        case .offline: 4
        }
    }

    /// "No live worker can run encoder 'E' now; the pool offers: libx264 (2)."
    static func sentence(encoder: String, workers: some Collection<WorkerRecord>, activeJobs: [String: Int]) -> String {
        let live = workers.filter(\.isLive)
        guard !live.isEmpty else {
            return "No live worker can run encoder '\(encoder)': the pool has no live workers (\(workers.count) registered)."
        }
        var counts: [String: Int] = [:]
        for worker in live { for name in worker.offeredEncoders { counts[name, default: 0] += 1 } }
        let offers = counts.keys.sorted().map { "\($0) (\(counts[$0] ?? 0))" }.joined(separator: ", ")
        let capable = live.filter { encoder == "auto" || $0.offers(encoder) }
        let full = capable.isEmpty ? "" : " Every worker that offers it is at its job limit."
        return "No live worker can run encoder '\(encoder)' now; the pool offers: \(offers).\(full)"
    }
}

/// Why no worker fits.
struct RoutingFailure: Error, Sendable {
    var message: String
}
