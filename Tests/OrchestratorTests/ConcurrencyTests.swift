import Foundation
import CurlHTTP
import Testing
import TestSupport

/// The pool is the one owner of job records: many requests for the same jobs at once,
/// heartbeats every 0.5 s and a worker's death must leave records that say exactly what
/// the workers run.
@Suite struct ConcurrencyTests {
    @Test func concurrentSeeksDeletesHeartbeatsAndAFailoverLeaveRecordsThatMatchTheWorkers() async throws {
        var pool = try await FailoverPool.start(workers: ["ham-1", "ham-2"], timeout: 2, clipSeconds: 40)
        let ids = ["ham-a", "ham-b", "ham-c"]
        for id in ids { _ = try await pool.startJob(id) }
        let api = pool.api
        let source = pool.source
        let unexpected = Shared<[String]>([])

        // Each job gets seeks and delete/re-create cycles from several clients at once.
        let hammer = Task {
            await withTaskGroup(of: Void.self) { group in
                for (n, id) in ids.enumerated() {
                    for round in 0..<10 {
                        group.addTask {
                            let seek = seekText(((round * 7 + n * 5) % 9) * 4)
                            let response: HTTPResponse?
                            if round % 4 == 3 {
                                response = try? await api.call("DELETE", "/v1/jobs/\(id)")
                            } else {
                                response = try? await api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(source, seek: seek))
                            }
                            // 404: deleted meanwhile; 503: no live worker during the failover.
                            if let status = response?.status, ![200, 201, 204, 404, 503].contains(status) {
                                unexpected.withLock { $0.append("\(id) round \(round): \(status) \(response?.text ?? "")") }
                            }
                        }
                    }
                }
            }
        }
        // A worker dies in the middle of it; a new one joins.
        try await Task.sleep(for: .milliseconds(1500))
        _ = await try #require(pool.workers["ham-1"]).service.stopped(signal: SIGKILL)
        pool.workers["ham-1"] = nil
        try await pool.addWorker("ham-3")
        await hammer.value
        #expect(unexpected.withLock { $0 }.isEmpty, "\(unexpected.withLock { $0 })")

        // Every job exists in the end (the last operation of each may have been a delete).
        for id in ids {
            let put = try await api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(source, seek: "00:00:20"))
            #expect([200, 201].contains(put.status), "\(id): \(put.status) \(put.text)")
        }
        let workers = pool.workers
        let agree = try await eventually(timeout: .seconds(30)) {
            try await disagreements(api: api, workers: workers, jobs: ids).isEmpty
        }
        let left = try await disagreements(api: api, workers: workers, jobs: ids)
        #expect(agree, "records and workers disagree: \(left)")

        // A delete leaves no copy of the job on any worker.
        #expect(try await api.call("DELETE", "/v1/jobs/ham-a").status == 204)
        for worker in workers.values {
            #expect(try await worker.api.call("GET", "/v1/jobs/ham-a").status == 404)
        }
    }

    /// Where the orchestrator's list (what heartbeats and dispatches left, no refresh) and
    /// the live workers' own tables disagree: the worker of record must run the job at the
    /// same start segment, and no other worker may run it.
    private func disagreements(api: API, workers: [String: WorkerHarness], jobs ids: [String]) async throws -> [String] {
        let listed = (try await api.object("/v1/jobs")["jobs"] as? [[String: Any]]) ?? []
        var problems: [String] = []
        for id in ids {
            guard let record = listed.first(where: { $0.string("job_id") == id }) else {
                problems.append("\(id): no record")
                continue
            }
            guard let owner = record.string("worker_id"), let worker = workers[owner] else {
                problems.append("\(id): record on \(record.string("worker_id") ?? "no worker") (\(record.string("state") ?? "?"))")
                continue
            }
            let theirs = try await worker.api.call("GET", "/v1/jobs/\(id)")
            if theirs.status != 200 {
                problems.append("\(id): \(owner) does not have it")
            } else if theirs.object.string("state") != record.string("state") || theirs.object.int("start_segment") != record.int("start_segment") {
                problems.append("\(id): record \(record.string("state") ?? "?")@\(record.int("start_segment") ?? -1), \(owner) \(theirs.object.string("state") ?? "?")@\(theirs.object.int("start_segment") ?? -1)")
            }
            for (other, harness) in workers where other != owner {
                let copy = try await harness.api.call("GET", "/v1/jobs/\(id)")
                if copy.status == 200, ["starting", "running"].contains(copy.object.string("state") ?? "") {
                    problems.append("\(id): also running on \(other)")
                }
            }
        }
        return problems
    }
}
