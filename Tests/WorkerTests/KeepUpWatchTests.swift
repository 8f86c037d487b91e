import Testing
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
