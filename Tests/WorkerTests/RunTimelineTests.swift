import Foundation
import Testing
import TestSupport

/// The job view's `timeline` (issue 18): where a run's start time went, stage by stage.
@Suite("Run timeline (real worker, real FFmpeg)")
struct RunTimelineTests {
    /// The stages that follow one another, in order.
    static let ordered = ["validated_ms", "probed_ms", "previous_stopped_ms", "spawned_ms", "first_segment_ms"]

    @Test("A start and a seek each get a timeline whose stages are all reached, in order, after the request")
    func startAndSeek() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 16)
        let before = Date().timeIntervalSince1970

        let created = try await worker.api.call("PUT", "/v1/jobs/clocked", body: WorkerHarness.job(clip))
        #expect(created.status == 201, "\(created.status) \(created.text)")
        let replied = try #require(created.object["timeline"] as? [String: Any], "no timeline in the create reply: \(created.text)")
        #expect(replied.double("spawned_ms") != nil, "the reply comes after the spawn, so its timeline has it: \(replied)")
        let start = try await finishedTimeline(worker, after: before)
        #expect(start.map { $0["probe_cached"] as? Bool } == false, "the first probe of a file is no cache hit: \(String(describing: start))")

        // A seek is a new run: a new timeline, from the seek's own request.
        let seekSent = Date().timeIntervalSince1970
        let seek = try await worker.api.call("PUT", "/v1/jobs/clocked", body: WorkerHarness.job(clip, seek: "00:00:08"))
        #expect(seek.status == 200, "\(seek.status) \(seek.text)")
        let sought = try await finishedTimeline(worker, after: seekSent)
        #expect(sought.map { $0["probe_cached"] as? Bool } == true, "the seek probes the same file again: \(String(describing: sought))")

        // The same request again restarts nothing, and keeps the run's timeline.
        let again = try await worker.api.call("PUT", "/v1/jobs/clocked", body: WorkerHarness.job(clip, seek: "00:00:08"))
        #expect(again.status == 200)
        let kept = again.object["timeline"] as? [String: Any]
        #expect(kept?.double("received_at") == sought?.double("received_at"), "a repeat replaced the run's timeline: \(again.text)")
        _ = try await worker.api.call("DELETE", "/v1/jobs/clocked")
    }

    /// Waits for the job's timeline to reach its first finished segment, and checks it: received
    /// after `after`, every ordered stage reached and not before the one above it, and FFmpeg's
    /// own stages after the spawn and not after the finished segment.
    private func finishedTimeline(_ worker: WorkerHarness, after: Double) async throws -> [String: Any]? {
        let done = try await worker.api.waitForJob("clocked", timeout: .seconds(60)) { job in
            guard let t = job["timeline"] as? [String: Any], let at = t.double("received_at"), at >= after - 0.001 else { return false }
            return t.double("first_segment_ms") != nil
        }
        #expect(done.held, "the timeline never reached first_segment_ms: \(done.job["timeline"] ?? "none"); log: \(worker.service.logText)")
        guard let timeline = done.job["timeline"] as? [String: Any] else { return nil }
        let received = timeline.double("received_at") ?? 0
        #expect(received >= after - 0.001 && received <= Date().timeIntervalSince1970, "received_at \(received), request sent at \(after)")
        var previous = 0.0
        for key in Self.ordered {
            let value = try #require(timeline.double(key), "\(key) missing: \(timeline)")
            #expect(value >= previous, "\(key) \(value) ms comes before the stage above it (\(previous) ms): \(timeline)")
            previous = value
        }
        let spawned = timeline.double("spawned_ms") ?? 0, segment = timeline.double("first_segment_ms") ?? 0
        for key in ["first_progress_ms", "first_bytes_ms"] {
            let value = try #require(timeline.double(key), "\(key) missing: \(timeline)")
            #expect(value >= spawned, "\(key) \(value) ms before the spawn (\(spawned) ms): \(timeline)")
        }
        let bytes = timeline.double("first_bytes_ms") ?? .infinity
        #expect(bytes <= segment, "first bytes (\(bytes) ms) after the finished segment (\(segment) ms): \(timeline)")
        return timeline
    }
}
