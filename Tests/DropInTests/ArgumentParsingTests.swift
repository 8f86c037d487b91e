import FFmpegDropIn
import Testing
import TestSupport
import Foundation
import TranscodeWire

/// Reading FFmpeg command lines as FFmpeg does, and what an HLS one asks of the pool.
@Suite("Drop-in: reading FFmpeg command lines")
struct ArgumentParsingTests {
    @Test("Options belong to the next input or output; -filter_complex and switches are global")
    func filesAndOptions() {
        let args = FFmpegArguments([
            "-hide_banner", "-ss", "00:01:00.000", "-i", "file:/m/a.mkv", "-filter_complex", "[0:3]scale[s];[0:0][s]overlay",
            "-map", "0:0", "-map", "0:1", "-codec:v:0", "libx264", "-copyts", "-f", "hls", "/t/x.m3u8",
        ])
        #expect(args.inputs.map(\.path) == ["file:/m/a.mkv"])
        #expect(args.inputs.first?.value("ss") == "00:01:00.000")
        #expect(args.outputs.map(\.path) == ["/t/x.m3u8"])
        #expect(args.outputs.first?.values("map") == ["0:0", "0:1"])
        #expect(args.outputs.first?.options.contains { $0.name == "copyts" && $0.value == nil } == true)
        #expect(args.has("hide_banner") && args.globalValue("filter_complex") == "[0:3]scale[s];[0:0][s]overlay")
    }

    @Test("Queries have no files: -version, -hide_banner -encoders, -h filter=x")
    func queries() {
        #expect(Queries.isQuery(FFmpegArguments(["-version"])))
        let encoders = FFmpegArguments(["-hide_banner", "-encoders"])
        #expect(Queries.isQuery(encoders) && encoders.has("encoders"))
        let help = FFmpegArguments(["-h", "filter=tonemap_opencl"])
        #expect(Queries.isQuery(help) && help.globalValue("h") == "filter=tonemap_opencl")
        #expect(!Queries.isQuery(FFmpegArguments(["-i", "/m/a.mkv", "-f", "null", "-"])))
    }

    @Test("Segment names follow the command's own pattern, %d and %0Nd")
    func patterns() throws {
        let plan = try HLSTranscode(FFmpegArguments([
            "-i", "/m/a.mkv", "-c:v", "libx264", "-f", "hls", "-hls_time", "3", "-start_number", "5",
            "-hls_segment_filename", "/t/abc%05d.ts", "/t/abc.m3u8",
        ]))
        #expect(plan.segmentPath(7) == "/t/abc00007.ts")
        #expect(plan.segmentSeconds == 3 && plan.startNumber == 5 && plan.playlist == "/t/abc.m3u8")
        var plain = plan
        plain.segmentPattern = "/t/x%d.ts"
        #expect(plain.segmentPath(12) == "/t/x12.ts")
    }

    @Test("Not for the pool: no HLS output, a sidecar subtitle file, a URL input")
    func notMappable() {
        let cases: [[String]] = [
            ["-i", "/m/a.mkv", "-frames:v", "1", "/t/thumb.jpg"],
            ["-i", "/m/a.mkv", "-vf", "subtitles=f='/m/a.en.srt'", "-c:v", "libx264", "-f", "hls", "-hls_segment_filename", "/t/a%d.ts", "/t/a.m3u8"],
            ["-i", "http://x/a.mkv", "-c:v", "libx264", "-f", "hls", "-hls_segment_filename", "/t/a%d.ts", "/t/a.m3u8"],
        ]
        for argv in cases {
            #expect(throws: NotMappable.self, "\(argv)") { try HLSTranscode(FFmpegArguments(argv)) }
        }
    }

    @Test("fMP4 segments are container fmp4, the init segment beside the playlist under -hls_fmp4_init_filename")
    func fmp4() throws {
        let argv = ["-i", "file:/m/a.mkv", "-c:v", "libx264", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "abc-1.mp4",
                    "-hls_segment_filename", "/t/abc%d.mp4", "/t/abc.m3u8"]
        let plan = try HLSTranscode(FFmpegArguments(argv))
        #expect(plan.container == .fmp4 && plan.initName == "abc-1.mp4" && plan.initPath == "/t/abc-1.mp4" && plan.segmentPath(3) == "/t/abc3.mp4")
        let tracks = MediaTracks(path: "/m/a.mkv", duration: 60, tracks: [])
        #expect(try plan.configuration(tracks: tracks).container == "fmp4")
        let ts = try HLSTranscode(FFmpegArguments(["-i", "/m/a.mkv", "-c:v", "libx264", "-f", "hls", "-hls_segment_filename", "/t/a%d.ts", "/t/a.m3u8"]))
        #expect(ts.container == .ts && ts.initPath == "/t/init.mp4")
        #expect(try ts.configuration(tracks: tracks).container == nil)
        #expect(throws: NotMappable.self) {
            try HLSTranscode(FFmpegArguments(["-i", "/m/a.mkv", "-c:v", "libx264", "-f", "hls", "-hls_segment_type", "webm", "-hls_segment_filename", "/t/a%d", "/t/a.m3u8"]))
        }
    }

    @Test("Streams named by absolute index become track numbers through the listing")
    func absoluteStreams() throws {
        let plan = try HLSTranscode(FFmpegArguments([
            "-ss", "00:10:00.500", "-i", "file:/m/a.mkv", "-filter_complex", "[0:5]scale=1280:720[sub];[0:0][sub]overlay=eof_action=pass[v]",
            "-map", "[v]", "-map", "0:2", "-codec:v:0", "h264_nvenc", "-b:v", "8000k", "-ac", "6", "-f", "hls", "-hls_time", "6",
            "-hls_segment_filename", "/t/s%d.ts", "/t/s.m3u8",
        ]))
        let tracks = MediaTracks(path: "/m/a.mkv", duration: 7200, tracks: [
            MediaTrack(index: 0, streamIndex: 0, type: .video, codec: "hevc"),
            MediaTrack(index: 0, streamIndex: 1, type: .audio, codec: "ac3"),
            MediaTrack(index: 1, streamIndex: 2, type: .audio, codec: "aac"),
            MediaTrack(index: 0, streamIndex: 3, type: .subtitle, codec: "subrip"),
            MediaTrack(index: 1, streamIndex: 4, type: .subtitle, codec: "ass"),
            MediaTrack(index: 2, streamIndex: 5, type: .subtitle, codec: "hdmv_pgs_subtitle"),
        ])
        let configuration = try plan.configuration(tracks: tracks)
        #expect(configuration.seekTime == "00:10:00.500")
        #expect(configuration.encoder == "h264_nvenc" && configuration.bitrateBps == 8_000_000)
        #expect(configuration.audio == AudioChoice(track: 1) && configuration.audioChannels == 6)
        #expect(configuration.subtitles == SubtitleChoice(track: 2, burnIn: true))
        #expect(configuration.toneMap == .off && configuration.segmentSeconds == 6)
    }

    @Test("Text burn-in over the input itself: subtitles=f='input':si=N is the N-th subtitle track")
    func textBurnIn() throws {
        let plan = try HLSTranscode(FFmpegArguments([
            "-i", "file:/m/a b.mkv", "-vf", "setparams=color_primaries=bt709,subtitles=f='/m/a b.mkv':si=1:alpha=1,format=yuv420p",
            "-c:v", "libx264", "-f", "hls", "-hls_segment_filename", "/t/a%d.ts", "/t/a.m3u8",
        ]))
        #expect(plan.burnIn == .text(subtitleIndex: 1) && !plan.toneMap)
        let tracks = MediaTracks(path: "/m/a b.mkv", duration: 60, tracks: [])
        #expect(try plan.configuration(tracks: tracks).subtitles == SubtitleChoice(track: 1, burnIn: true))
    }

    @Test("encoder = codec: H.264 of any vendor is the pool's auto; another codec the pool's encoder for it; as-asked keeps the name")
    func encoderChoice() throws {
        let pool: Set<String> = ["libx264", "libx265", "hevc_vaapi", "h264_vaapi"]
        #expect(EncoderChoice.codec.encoder(for: "libx264", offered: nil) == "auto")
        #expect(EncoderChoice.codec.encoder(for: "h264_nvenc", offered: pool) == "auto")
        #expect(EncoderChoice.codec.encoder(for: "hevc_qsv", offered: pool) == "hevc_vaapi")
        #expect(EncoderChoice.codec.encoder(for: "hevc_qsv", offered: ["libx264", "libx265"]) == "libx265")
        #expect(EncoderChoice.codec.encoder(for: "libx265", offered: pool) == "libx265")
        #expect(EncoderChoice.codec.encoder(for: "libsvtav1", offered: pool) == "libsvtav1", "no AV1 in the pool: asked as is, and refused there")
        #expect(EncoderChoice.asAsked.encoder(for: "h264_qsv", offered: pool) == "h264_qsv")
        #expect(!EncoderChoice.codec.needsOffers(for: "copy") && !EncoderChoice.codec.needsOffers(for: "h264_qsv") && EncoderChoice.codec.needsOffers(for: "hevc_qsv"))
        let sandbox = try Sandbox("encoder-config")
        let file = sandbox.root.appendingPathComponent("ffmpeg.toml").path
        try "encoder = \"as-asked\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try DropInConfig.load(environment: ["TRANSCODE_FFMPEG_CONFIG": file]).encoder == .asAsked)
        #expect(try DropInConfig.load(environment: ["TRANSCODE_FFMPEG_CONFIG": file, "TRANSCODE_ENCODER": "codec"]).encoder == .codec)
        #expect(DropInConfig().encoder == .codec)
        #expect(throws: DropInConfig.ConfigError.self) { try DropInConfig.load(environment: ["TRANSCODE_FFMPEG_CONFIG": file, "TRANSCODE_ENCODER": "nvenc"]) }
    }

    @Test("Path maps take the longest whole-component prefix")
    func pathMaps() {
        var config = DropInConfig()
        config.pathMaps = [("/data", "/mnt/nas"), ("/data/movies", "/mnt/movies")]
        #expect(config.mapped("/data/movies/a.mkv") == "/mnt/movies/a.mkv")
        #expect(config.mapped("/data/movies2/a.mkv") == "/mnt/nas/movies2/a.mkv")
        #expect(config.mapped("/other/a.mkv") == "/other/a.mkv")
    }
}
