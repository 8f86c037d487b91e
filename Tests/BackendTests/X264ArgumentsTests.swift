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
            "-af", "aresample=48000", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
            "-output_ts_offset", "0", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled",
            "-start_number", "0", "-hls_segment_filename", "/transcode/job1/segment%d.ts",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ])
    }

    @Test func seekStartsAtTheSegmentBoundary() {
        let args = X264Backend().arguments(for: Fixtures.request("libx264", start: 5), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
            "-af", "aresample=48000,atrim=start_sample=512", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
            "-output_ts_offset", "20", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled",
            "-start_number", "5", "-hls_segment_filename", "/transcode/job1/segment%d.ts",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ])
    }
}
