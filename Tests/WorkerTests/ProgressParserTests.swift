import Testing
@testable import WorkerCore

/// Real `-progress pipe:1` output captured from FFmpeg 5.1.9 (Debian 12): an HLS x264 run of
/// 6 s from seek 8 of a 1280x720 test clip, exactly as the x264 backend runs it.
let capturedProgress = """
frame=2
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=N/A
out_time_us=63833
out_time_ms=63833
out_time=00:00:00.063833
dup_frames=1
drop_frames=0
speed=0.21x
progress=continue
frame=59
fps=0.00
stream_0_0_q=22.0
bitrate=N/A
total_size=N/A
out_time_us=2474667
out_time_ms=2474667
out_time=00:00:02.474667
dup_frames=1
drop_frames=0
speed=3.07x
progress=continue
frame=130
fps=99.31
stream_0_0_q=23.0
bitrate=N/A
total_size=N/A
out_time_us=5418667
out_time_ms=5418667
out_time=00:00:05.418667
dup_frames=1
drop_frames=0
speed=4.14x
progress=continue
frame=144
fps=96.59
stream_0_0_q=-1.0
bitrate=N/A
total_size=N/A
out_time_us=6015833
out_time_ms=6015833
out_time=00:00:06.015833
dup_frames=1
drop_frames=0
speed=4.04x
progress=end
"""

@Suite struct ProgressParserTests {
    @Test func parsesEveryBlockOfRealOutput() {
        var parser = ProgressParser()
        let reports = capturedProgress.split(separator: "\n").compactMap { parser.feed(String($0)) }
        #expect(reports.count == 4)
        #expect(reports[0].outTime == 0.063833)
        #expect(reports[0].speed == "0.21x")
        #expect(reports[1].outTime == 2.474667)
        #expect(reports[1].speed == "3.07x")
        #expect(reports[1].frame == 59)
        #expect(reports.prefix(3).allSatisfy { !$0.isEnd })
        #expect(reports[3].isEnd)
        #expect(reports[3].outTime == 6.015833)
        #expect(reports[3].speed == "4.04x")
    }

    @Test func notAvailableValuesAndExponentSpeed() {
        var parser = ProgressParser()
        for line in ["out_time_us=N/A", "out_time_ms=N/A", "speed=N/A"] { #expect(parser.feed(line) == nil) }
        let report = parser.feed("progress=continue")
        #expect(report?.outTime == nil && report?.speed == nil)
        _ = parser.feed("out_time_ms=4010667")
        _ = parser.feed("speed=1.48e+03x")
        let next = parser.feed("progress=end")
        #expect(next?.outTime == 4.010667)
        #expect(next?.speed == "1480x")
    }

    @Test func speedQuirks() {
        #expect(ProgressParser.normalizeSpeed(" 5.5x") == "5.5x")
        #expect(ProgressParser.normalizeSpeed("N/A") == nil)
        #expect(ProgressParser.normalizeSpeed("1.48e+03x") == "1480x")
        #expect(ProgressParser.normalizeSpeed("0.999x") == "1x")
    }

    @Test func percentOfTheMovieCountsTheSeek() {
        #expect(FFmpegRun.percent(start: 20, outTime: 10, duration: 60) == 50)
        #expect(FFmpegRun.percent(start: 0, outTime: 90, duration: 60) == 100)
        #expect(FFmpegRun.percent(start: 0, outTime: 1, duration: 0) == 0)
    }
}
