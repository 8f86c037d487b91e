import Testing
import TranscodeBackend
import X264Backend

/// Where a run starts on the output's frame grid, and what that changes in a command line.
@Suite struct RunStartTests {
    static let ntsc = FrameGrid(num: 24_000, den: 1_001)

    @Test func onAnIntegerGridOrAtZeroARunStartsOnItsBoundary() {
        #expect(RunStart(boundary: 40, grid: FrameGrid(num: 24, den: 1)).lead == 0)
        #expect(RunStart(boundary: 40, grid: FrameGrid(num: 25, den: 1)).text == "40")
        #expect(RunStart(boundary: 4, grid: FrameGrid(num: 25, den: 2)).lead == 0, "12.5 fps: 4 s is frame 50")
        #expect(RunStart(boundary: 0, grid: Self.ntsc).lead == 0)
        #expect(RunStart(boundary: 40, grid: nil).text == "40")
    }

    @Test func betweenTwoFramesARunStartsOnTheFrameAfterTheBoundary() {
        // 40 s x 24000/1001 = frame 959.04: the run starts at frame 960, 40.04 s.
        let forty = RunStart(boundary: 40, grid: Self.ntsc)
        #expect(abs(forty.lead - 0.04) < 1e-9)
        #expect(forty.text == "40.040000")
        // 16 s = frame 383.6 -> 384 = 16.016 s.
        #expect(abs(RunStart(boundary: 16, grid: Self.ntsc).seconds - 16.016) < 1e-9)
        // 29.97: 4 s = frame 119.88 -> 120 = 4.004 s.
        #expect(abs(RunStart(boundary: 4, grid: FrameGrid(num: 30_000, den: 1_001)).lead - 0.004) < 1e-9)
        // Never a whole frame late, over a long film.
        for boundary in stride(from: 4, through: 4 * 3_600, by: 4) {
            let lead = RunStart(boundary: boundary, grid: Self.ntsc).lead
            #expect(lead >= 0 && lead < 1_001.0 / 24_000.0)
        }
    }

    @Test func theGridIsTheOneFFmpegGuesses() {
        #expect(FrameGrid.guess(real: "24000/1001", average: "24000/1001") == Self.ntsc)
        #expect(FrameGrid.guess(real: "90000/1", average: "24/1") == FrameGrid(num: 24, den: 1), "an implausible real rate gives way")
        #expect(FrameGrid.guess(real: "0/0", average: "0/0") == nil)
        #expect(FrameGrid.guess(real: nil, average: "30/1") == FrameGrid(num: 30, den: 1))
        #expect(FrameGrid("25") == nil && FrameGrid("1/0") == nil && FrameGrid("-24/1") == nil)
    }

    @Test func aRunOffTheBoundaryShiftsItsKeyframesAudioTrimAndCut() {
        var source = Fixtures.source
        source.frameGrid = Self.ntsc
        let args = X264Backend().arguments(for: Fixtures.request("libx264", start: 10, source: source), inventory: Fixtures.bare)
        func value(_ flag: String) -> String? { args.firstIndex(of: flag).map { args[$0 + 1] } }
        #expect(value("-ss") == "40.040000")
        #expect(value("-output_ts_offset") == "40.040000")
        // The boundary 44 s is 3.96 s after the run's first frame.
        #expect(value("-force_key_frames") == "expr:gte(t,n_forced*4-0.040000)")
        #expect(value("-hls_time") == "3.960000")
        // 40.04 s x 48 kHz = 1 921 920 samples = 1876 AAC packets + 896: 128 samples to the next.
        #expect(value("-af") == "aresample=48000,atrim=start_sample=128")
        #expect(value("-start_number") == "10")

        // A remux copies the source's frames: it starts on the boundary.
        let remux = X264Backend().arguments(for: Fixtures.request("libx264", start: 10, remux: true, source: source), inventory: Fixtures.bare)
        #expect(remux.firstIndex(of: "-ss").map { remux[$0 + 1] } == "40")
    }
}
