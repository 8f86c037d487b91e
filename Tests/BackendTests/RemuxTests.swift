import BackendRegistry
import Testing
import TranscodeBackend

/// A remux copies the streams: every backend produces the software remux list, no device options.
@Suite struct RemuxTests {
    static let encoderFor = ["x264": "libx264", "nvenc": "h264_nvenc", "cuda": "h264_nvenc", "vaapi": "h264_vaapi"]

    @Test(arguments: ["x264", "nvenc", "cuda", "vaapi"])
    func remuxFromTheStart(id: String) throws {
        let backend = try #require(allBackends.first { $0.id == id })
        let inventory = try Fixtures.inventory(Fixtures.twoNodes)
        let args = backend.arguments(for: Fixtures.request(Self.encoderFor[id]!, remux: true), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-c:v", "copy", "-c:a", "copy",
            "-output_ts_offset", "0", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled",
            "-start_number", "0", "-hls_segment_filename", "/transcode/job1/segment%d.ts",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ])
    }

    @Test(arguments: ["x264", "nvenc", "cuda", "vaapi"])
    func remuxWithSeek(id: String) throws {
        let backend = try #require(allBackends.first { $0.id == id })
        let args = backend.arguments(for: Fixtures.request(Self.encoderFor[id]!, start: 5, remux: true), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-c:v", "copy", "-c:a", "copy",
            "-output_ts_offset", "20", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled",
            "-start_number", "5", "-hls_segment_filename", "/transcode/job1/segment%d.ts",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ])
    }
}
