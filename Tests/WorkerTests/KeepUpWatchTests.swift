import Foundation
import Testing
import TestSupport
import WorkerCore

/// `cannot_keep_up`: FFmpeg's speed below 1.0x for 5 s in a row, and back once it catches up.
@Suite struct KeepUpWatchTests {
    @Test func fiveSecondsBelowRealtimeInARowIsCannotKeepUp() {
        let start = ContinuousClock.now
        var watch = KeepUpWatch()
        for (second, speed) in [(0, 0.5), (1, 0.8), (3, 0.86), (4.9, 0.86)] {
            watch.observe(speed: speed, at: start + .milliseconds(Int(second * 1000)))
            #expect(!watch.cannotKeepUp, "only \(second) s slow")
        }
        watch.observe(speed: 0.86, at: start + .seconds(5))
        #expect(watch.cannotKeepUp)
        watch.observe(speed: 1.0, at: start + .seconds(6))
        #expect(!watch.cannotKeepUp, "caught up")
        // A dip starts the count again from zero.
        watch.observe(speed: 0.9, at: start + .seconds(7))
        watch.observe(speed: 0.9, at: start + .seconds(11))
        #expect(!watch.cannotKeepUp)
        watch.observe(speed: 0.9, at: start + .seconds(12))
        #expect(watch.cannotKeepUp)
    }

    @Test func speedTextAsFFmpegsProgressParserLeavesIt() {
        #expect(KeepUpWatch.factor("0.86x") == 0.86)
        #expect(KeepUpWatch.factor("1480x") == 1480)
        #expect(KeepUpWatch.factor("N/A") == nil)
    }
}

/// The field end to end: a worker whose "ffmpeg" is a stand-in that reports 0.5x for 8 s,
/// then 1.5x; the worker's job and the orchestrator's job view say so, then take it back.
@Suite struct CannotKeepUpTests {
    static let slowFFmpeg = """
        #!/bin/sh
        # Stand-in for ffmpeg: FFmpeg's -progress blocks on stdout, first slow, then fast.
        i=0
        while [ $i -lt 40 ]; do
          i=$((i+1))
          if [ $i -le 16 ]; then speed=0.5x; else speed=1.5x; fi
          printf 'frame=%d\\nout_time_us=%d\\nspeed=%s\\nprogress=continue\\n' $((i*12)) $((i*250000)) $speed
          sleep 0.5
        done
        printf 'progress=end\\n'
        """

    @Test func aRunBelowRealtimeForSecondsIsReportedAndRelayed() async throws {
        let sandbox = try Sandbox("slow")
        let script = sandbox.root.appendingPathComponent("slow-ffmpeg")
        try Data(Self.slowFFmpeg.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let source = try await sandbox.makeClip(seconds: 30, size: "320x240")
        let orchestrator = try await OrchestratorHarness.start()
        let worker = try await WorkerHarness.start(
            ["--ffmpeg", script.path, "--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1", "--media-root", sandbox.media.path],
            sandbox: sandbox, id: "slow"
        )
        #expect(try await eventually { try await orchestrator.worker("slow") != nil })
        let created = try await orchestrator.api.call("PUT", "/v1/jobs/slow", body: WorkerHarness.job(source))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["cannot_keep_up"] as? Bool == false, "no 5 s of progress yet: \(created.text)")

        let behind = try await worker.api.waitForJob("slow", timeout: .seconds(15)) { $0["cannot_keep_up"] as? Bool == true }
        #expect(behind.held, "\(behind.job)")
        #expect(behind.job.string("speed") == "0.5x")
        let relayed = try await orchestrator.api.waitForJob("slow", timeout: .seconds(5)) { $0["cannot_keep_up"] as? Bool == true }
        #expect(relayed.held, "the orchestrator's job view relays it: \(relayed.job)")

        let caughtUp = try await worker.api.waitForJob("slow", timeout: .seconds(15)) { $0.string("speed") == "1.5x" }
        #expect(caughtUp.held && caughtUp.job["cannot_keep_up"] as? Bool == false, "\(caughtUp.job)")
    }
}
