import Testing
import TranscodeBackend
import X264Backend

/// The reference software backend's exact command lines.
@Suite struct X264ArgumentsTests {
    @Test func transcodeFromTheStart() {
        let args = X264Backend().arguments(for: Fixtures.request("libx264"), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
        ] + Fixtures.audioAndHLS(start: 0))
    }

    @Test func seekStartsAtTheSegmentBoundary() {
        let args = X264Backend().arguments(for: Fixtures.request("libx264", start: 5), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
        ] + Fixtures.audioAndHLS(start: 20))
    }

    /// The preset rule (docs/backends.md): pixel rate per core against 720p30 over 2 cores.
    @Test func thePresetFollowsCoresAndPixelRate() {
        func preset(_ cores: Int, _ width: Int, _ height: Int, _ fps: Double) -> String {
            X264Preset.choose(cores: cores, pixelRate: Double(width * height) * fps)
        }
        #expect(preset(2, 1280, 720, 30) == "veryfast", "720p30 on 2 cores: exactly the budget")
        #expect(preset(2, 854, 480, 24) == "veryfast")
        #expect(preset(2, 1920, 1080, 23.976) == "superfast")
        #expect(preset(2, 1920, 1080, 30) == "ultrafast")
        #expect(preset(4, 1920, 1080, 30) == "superfast")
        #expect(preset(4, 1920, 1080, 24) == "veryfast")
        #expect(preset(8, 1920, 1080, 60) == "superfast")
        #expect(preset(10, 1920, 1080, 60) == "veryfast")
        #expect(preset(8, 3840, 2160, 30) == "ultrafast")
        #expect(preset(16, 3840, 2160, 30) == "superfast")
        #expect(X264Preset.choose(cores: 2, pixelRate: nil) == "veryfast", "unknown size: as before")
        #expect(X264Preset.choose(cores: 0, pixelRate: 1920 * 1080 * 24) == "ultrafast", "no cores reported counts as one")
    }

    @Test func a1080pFilmOnTwoCoresGetsSuperfastAndOn16Veryfast() {
        var film = Fixtures.source
        film.tracks = [MediaTrack(index: 0, streamIndex: 0, type: .video, codec: "hevc", width: 1920, height: 1080, frameRate: 23.976)]
        let small = X264Backend().arguments(for: Fixtures.request("libx264", source: film), inventory: Fixtures.bare)
        #expect(small.contains(["-c:v", "libx264", "-preset", "superfast"]), "\(small)")
        let big = HardwareInventory(cpu: CPUInfo(model: "test", threads: 16), ffmpegEncoders: ["libx264"])
        let large = X264Backend().arguments(for: Fixtures.request("libx264", source: film), inventory: big)
        #expect(large.contains(["-c:v", "libx264", "-preset", "veryfast"]), "\(large)")
    }

    @Test func ultrafastIsTaggedHighSoAMoveToABiggerWorkerKeepsTheProfile() {
        var film = Fixtures.source
        film.frameRate = 30
        film.tracks = [MediaTrack(index: 0, streamIndex: 0, type: .video, codec: "hevc", width: 1920, height: 1080, frameRate: 30)]
        let small = X264Backend().arguments(for: Fixtures.request("libx264", source: film), inventory: Fixtures.bare)
        #expect(small.contains(["-preset", "ultrafast", "-profile:v", "high"]), "\(small)")
        let big = HardwareInventory(cpu: CPUInfo(model: "test", threads: 16), ffmpegEncoders: ["libx264"])
        #expect(!X264Backend().arguments(for: Fixtures.request("libx264", source: film), inventory: big).contains("-profile:v"))
    }
}
