import Testing
@testable import WorkerCore

/// Cutting a track's cues into HLS subtitle segments: movie time in, the same bytes out for
/// every run.
@Suite struct WebVTTTests {
    static let ffmpegOutput = """
        WEBVTT

        00:01.021 --> 00:02.521
        First cue

        00:03.521 --> 00:05.221 align:start line:90%
        Across a boundary

        cue-id
        01:00:09.271 --> 01:00:10.021
        Third <i>cue</i>
        line two

        NOTE a comment --> with an arrow but no times is no cue

        """

    @Test func parsesFFmpegsWebVTTWithSettingsIdentifiersAndHours() {
        let cues = WebVTT.parse(Self.ffmpegOutput)
        #expect(cues == [
            WebVTTCue(start: 1_021, end: 2_521, settings: "", text: ["First cue"]),
            WebVTTCue(start: 3_521, end: 5_221, settings: "align:start line:90%", text: ["Across a boundary"]),
            WebVTTCue(start: 3_609_271, end: 3_610_021, settings: "", text: ["Third <i>cue</i>", "line two"]),
        ])
    }

    @Test func timestampsRoundTripAndBadOnesAreRefused() {
        for ms in [0, 1, 999, 1_000, 59_999, 3_599_999, 3_600_000, 36_000_123] {
            #expect(WebVTT.milliseconds(WebVTT.timestamp(ms)) == ms)
        }
        #expect(WebVTT.timestamp(3_609_271) == "01:00:09.271")
        for bad in ["", "1.5", "00:61.000", "00:01.5", "aa:01.000", "00:00:01,000"] {
            #expect(WebVTT.milliseconds(bad) == nil, "\(bad)")
        }
    }

    @Test func aSegmentHoldsEveryCueOverlappingItsSpanWithTheMapOfMovieTimeZero() {
        let cues = WebVTT.parse(Self.ffmpegOutput)
        let header = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n"
        #expect(WebVTT.segment(0, of: cues, segmentSeconds: 4) == header
            + "\n00:00:01.021 --> 00:00:02.521\nFirst cue\n"
            + "\n00:00:03.521 --> 00:00:05.221 align:start line:90%\nAcross a boundary\n")
        // The cue across 4 s is in both segments it touches; an empty span is a bare header.
        #expect(WebVTT.segment(1, of: cues, segmentSeconds: 4) == header
            + "\n00:00:03.521 --> 00:00:05.221 align:start line:90%\nAcross a boundary\n")
        #expect(WebVTT.segment(2, of: cues, segmentSeconds: 4) == header)
        #expect(WebVTT.segment(902, of: cues, segmentSeconds: 4).contains("01:00:09.271 --> 01:00:10.021\nThird <i>cue</i>\nline two\n"))
        // A cue that ends exactly on a boundary does not spill into the next segment.
        let edge = [WebVTTCue(start: 0, end: 4_000, settings: "", text: ["edge"])]
        #expect(!WebVTT.segment(1, of: edge, segmentSeconds: 4).contains("edge"))
    }

    @Test func ffmpegsLinesAreReadAsTheyComeAndTheLastCueWaitsForTheNextTimingLine() {
        var state = SubtitleExtraction.State()
        // The line reader drops blank lines: a timing line is what ends a cue.
        for line in ["WEBVTT", "00:01.021 --> 00:02.521", "First cue", "00:03.521 --> 00:05.221 align:start", "Across", "a boundary"] {
            SubtitleExtraction.feed(line, into: &state)
        }
        #expect(state.cues == [WebVTTCue(start: 1_021, end: 2_521, settings: "", text: ["First cue"])])
        #expect(state.pending == WebVTTCue(start: 3_521, end: 5_221, settings: "align:start", text: ["Across", "a boundary"]))
        SubtitleExtraction.feed("00:09.271 --> 00:10.021", into: &state)
        #expect(state.cues.count == 2 && state.cues[1].text == ["Across", "a boundary"] && state.pending?.start == 9_271)
    }
}
