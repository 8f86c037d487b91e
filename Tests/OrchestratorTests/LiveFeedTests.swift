import Foundation
import Testing
import TestSupport

/// The dashboard's live feed while a big pool heartbeats: heartbeats alone do not make it
/// send (its work does not grow with them), and a new job still goes out on it. How soon is
/// a figure of `bench/run --only ingest`, not an assertion here.
@Suite struct LiveFeedTests {
    static let workers = 1000
    static let lanes = 8

    @Test func aNewJobReachesTheFeedWhileAThousandWorkersHeartbeat() async throws {
        let stub = try await FakeServer.start { request in
            guard request.method == "POST" else { return (204, "") }
            let id = request.object["job_id"] as? String ?? "x"
            return (201, Self.runningJob(id))
        }
        let orchestrator = try await OrchestratorHarness.start(heartbeatTimeout: 600)
        let api = orchestrator.api
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<Self.lanes {
                group.addTask {
                    for i in stride(from: lane, to: Self.workers, by: Self.lanes) {
                        let reply = try await api.call("POST", "/v1/workers", body: Self.registration(i, address: stub.baseURL))
                        #expect(reply.status == 201, "\(reply.text)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let feed = try FeedReader(url: orchestrator.service.baseURL + "/v1/dashboard/events", token: WorkerHarness.token)
        defer { feed.stop() }
        #expect(await eventually(timeout: .seconds(30)) { feed.snapshots.count >= 1 }, "the feed opens with a snapshot")

        // A bounded load: every lane posts heartbeats, each with new telemetry, until told to stop.
        let running = Shared(true), beats = Shared(0), refused = Shared(0)
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for lane in 0..<Self.lanes {
                    group.addTask {
                        var n = lane
                        while running.withLock({ $0 }) && n < 400_000 {
                            let id = String(format: "sim-%05d", n % Self.workers)
                            let reply = try? await api.call("POST", "/v1/workers/\(id)/heartbeats", body: Self.heartbeat(cpu: Double(n % 100)))
                            if reply?.status == 204 { beats.withLock { $0 += 1 } } else { refused.withLock { $0 += 1 } }
                            n += Self.lanes
                        }
                    }
                }
            }
        }
        #expect(await eventually(timeout: .seconds(60)) { beats.withLock { $0 } >= 2 * Self.workers }, "the load runs")

        // Three seconds of heartbeats and nothing else: the feed sends its keep-alive (every
        // 5 s) at most, however many heartbeats came (each changed the telemetry).
        let quietStart = feed.snapshots.count, beatsBefore = beats.withLock { $0 }
        try await Task.sleep(for: .seconds(3))
        let quiet = feed.snapshots.count - quietStart, beatsDuring = beats.withLock { $0 } - beatsBefore
        #expect(beatsDuring > 0)
        #expect(quiet <= 2, "\(quiet) snapshots for \(beatsDuring) heartbeats and no change")

        // A new job goes out on the feed while the heartbeats go on.
        let beatsAtJob = beats.withLock { $0 }
        let created = try await api.call("PUT", "/v1/jobs/feed-probe", body: WorkerHarness.job("/media/holiday.mkv"))
        #expect(created.status == 201, "\(created.text)")
        let shown = await eventually(timeout: .seconds(30)) { feed.snapshots.contains { $0.contains(#""job_id":"feed-probe""#) } }
        let beatsAtShow = beats.withLock { $0 }
        running.withLock { $0 = false }
        await load.value
        #expect(shown, "the job reached the feed; \(feed.snapshots.count) snapshots")
        #expect(beatsAtShow > beatsAtJob, "heartbeats went on while the job went out")
        #expect(refused.withLock { $0 } == 0, "every heartbeat was taken")
    }

    static func registration(_ i: Int, address: String) -> String {
        #"{"id":"sim-\#(String(format: "%05d", i))","address":"\#(address)","static_specs":{"cpu_model":"Simulated","total_threads":8,"hardware_acceleration":[]}}"#
    }

    static func heartbeat(cpu: Double) -> String {
        #"{"status":"IDLE","telemetry":{"cpu_usage":\#(cpu),"gpu_usage":null,"ram_free_bytes":17179869184,"temp_c":48.0},"job_context":null}"#
    }

    /// What a worker answers to a job it started.
    static func runningJob(_ id: String) -> String {
        #"{"job_id":"\#(id)","state":"running","progress":0,"speed":null,"last_segment_id":null,"start_segment":0,"encoder":"libx264","#
            + #""backend":"x264","pid":null,"ffmpeg_args":[],"source_path":"/media/holiday.mkv","output_path":"/x","configuration":{},"#
            + #""error":null,"notes":[],"duration":null,"segment_seconds":4}"#
    }
}

/// The feed read as the page reads it: `curl -N` keeps the stream open; each `data:` line is
/// one snapshot.
final class FeedReader: @unchecked Sendable {
    private let process: Process
    private let lines = Shared<[String]>([])

    init(url: String, token: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "--max-time", "120", "-H", "Authorization: Bearer \(token)", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let pending = Shared(Data())
        let lines = lines
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else { handle.readabilityHandler = nil; return }
            pending.withLock { buffer in
                buffer.append(chunk)
                while let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...end)
                    if line.hasPrefix("data: ") { lines.withLock { $0.append(line) } }
                }
            }
        }
        try process.run()
    }

    /// The snapshots so far, as their JSON lines.
    var snapshots: [String] { lines.withLock { $0 } }

    func stop() {
        if process.isRunning { process.terminate() }
        _ = ProcessExit.wait(process, timeout: .seconds(10))
    }
}
