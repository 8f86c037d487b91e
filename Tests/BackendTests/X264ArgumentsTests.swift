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
}
