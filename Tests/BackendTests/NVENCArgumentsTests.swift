import NVENCBackend
import Testing
import TranscodeBackend

/// NVENC's exact command lines: software decode, fixed GOP instead of forced keyframes.
@Suite struct NVENCArgumentsTests {
    @Test func transcodeFromTheStart() throws {
        let inventory = try Fixtures.inventory(Fixtures.nvidiaDesktop)
        let args = NVENCBackend().arguments(for: Fixtures.request("h264_nvenc"), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "h264_nvenc", "-preset", "p4", "-tune", "ll", "-rc", "vbr",
            "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-g", "96", "-keyint_min", "96",
        ] + Fixtures.audioAndHLS(start: 0))
        #expect(!args.contains("-force_key_frames"))
    }

    @Test func seekWithHEVC() {
        let args = NVENCBackend().arguments(for: Fixtures.request("hevc_nvenc", start: 5), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "hevc_nvenc", "-preset", "p4", "-tune", "ll", "-rc", "vbr",
            "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-g", "96", "-keyint_min", "96",
        ] + Fixtures.audioAndHLS(start: 20))
    }

    @Test(arguments: [
        (4, 24.0 as Double?, 96), (4, 23.976, 96), (4, 25, 100), (6, 29.97, 180),
        (4, 59.94, 240), (4, nil, 96), (2, 0, 48), (4, .nan, 96),
    ] as [(Int, Double?, Int)])
    func keyframeIntervalIsCeilOfSegmentTimesFrameRate(seconds: Int, fps: Double?, frames: Int) {
        #expect(FFmpegCommand.framesPerSegment(seconds: seconds, frameRate: fps) == frames)
        if seconds == 4 { // the fixture's segment length
            let source = SourceInfo(duration: 60, videoCodec: "h264", frameRate: fps, pixelFormat: "yuv420p", hasAudio: true)
            #expect(NVENCBackend.keyframes(for: Fixtures.request("h264_nvenc", source: source)) == ["-g", "\(frames)", "-keyint_min", "\(frames)"])
        }
    }

    @Test func sessionCapacityIsConfigurable() {
        #expect(NVENCBackend().sessionCapacity == 8)
        #expect(NVENCBackend(sessionCapacity: 3).sessionCapacity == 3)
        #expect(NVENCBackend(sessionCapacity: nil).sessionCapacity == nil)
    }
}
