import Foundation
import Testing
import TestSupport
import TranscodeWire
@testable import WorkerCore

/// An encode whose output time stops moving is killed and ends failed with the reason.
@Suite struct HangTests {
    @Test func aStoppedFFmpegIsKilledAfterTheHangTimeout() async throws {
        let worker = try await WorkerHarness.start(["--hang-timeout", "6"])
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let created = try await worker.api.call("PUT", "/v1/jobs/stuck", body: WorkerHarness.job(clip))
        #expect(created.status == 201)
        let pid = try #require(created.object.pid())
        // 6 s: a loaded machine can take a few seconds to the first progress report.
        #expect(try await eventually(timeout: .seconds(60)) { try await worker.api.object("/v1/jobs/stuck").string("state") == "running" })
        // A frozen FFmpeg: alive, writing nothing.
        #expect(kill(pid, SIGSTOP) == 0)
        let failed = try await eventually(timeout: .seconds(30)) { try await worker.api.object("/v1/jobs/stuck").string("state") == "failed" }
        #expect(failed)
        let reason = try await worker.api.object("/v1/jobs/stuck").string("error") ?? ""
        #expect(reason.contains("No progress"), "\(reason)")
        #expect(!isLiveProcess(pid))
    }
}

/// The STRESSED thresholds of the heartbeat.
@Suite struct StressThresholdTests {
    func telemetry(cpu: Double? = 10, free: Int64? = 8 << 30, temp: Double? = 50, gpuTemp: Double? = nil) -> Telemetry {
        Telemetry(cpuUsage: cpu, gpuUsage: nil, ramFreeBytes: free, tempC: temp, gpuTempC: gpuTemp)
    }

    /// Feeds heartbeats in order and returns the verdict for each.
    func verdicts(_ beats: [Telemetry], totalMemory: Int64? = 16 << 30) -> [Bool] {
        var tracker = StressTracker()
        var result: [Bool] = []
        for beat in beats { result.append(tracker.isStressed(beat, totalMemory: totalMemory)) }
        return result
    }

    @Test func cpuMustStayHotForTwoHeartbeats() {
        #expect(verdicts([telemetry(cpu: 99), telemetry(cpu: 96), telemetry(cpu: 40)]) == [false, true, false])
    }

    @Test func lowMemoryOrHeatIsStressAtOnce() {
        #expect(verdicts([telemetry(free: 100 << 20)]) == [true])
        #expect(verdicts([telemetry(temp: 91)]) == [true])
        #expect(verdicts([telemetry(gpuTemp: 90)]) == [true])
        #expect(verdicts([telemetry(cpu: nil, free: nil, temp: nil)], totalMemory: nil) == [false], "unknown is not stressed")
    }
}
