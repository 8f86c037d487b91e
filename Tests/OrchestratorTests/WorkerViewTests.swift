import Foundation
import Testing
import TranscodeWire
@testable import OrchestratorCore

@Suite struct WorkerViewTests {
    @Test func heartbeatAgeIsInSecondsWithMillisecondPrecision() {
        let now = ContinuousClock.now
        let record = WorkerRecord(
            id: "w", specs: StaticSpecs(cpuModel: "cpu", totalThreads: 2, hardwareAcceleration: [], encoders: ["libx264"]),
            address: "http://127.0.0.1:1", maxJobs: 1, segmentSeconds: 4, status: .idle, reason: nil, telemetry: nil,
            jobContext: nil, registeredAt: Date(), lastHeartbeat: now - .milliseconds(5_250)
        )
        #expect(WorkerView(record, activeJobs: 0, now: now).lastHeartbeatAgeSeconds == 5.25)
    }
}
