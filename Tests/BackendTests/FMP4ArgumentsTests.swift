import Testing
import TranscodeBackend
import X264Backend

/// The HLS tail of an fMP4 job: the same timestamp scheme as TS plus the fMP4 muxer options.
@Suite struct FMP4ArgumentsTests {
    static func fmp4(_ request: EncodeRequest) -> EncodeRequest {
        var request = request
        request.container = .fmp4
        return request
    }

    /// `Fixtures.hls(start:)` as an fMP4 job has it.
    static func hls(start: Int) -> [String] {
        [
            "-output_ts_offset", "\(start)", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled:movflags=+frag_discont",
            "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-start_number", "\(start / 4)", "-hls_segment_filename", "/transcode/job1/segment%d.m4s",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ]
    }

    @Test func anH264RunWritesInitAndM4SSegmentsWithTheSameTimestampScheme() {
        let ts = X264Backend().arguments(for: Fixtures.request("libx264", start: 5), inventory: Fixtures.bare)
        let fmp4 = X264Backend().arguments(for: Self.fmp4(Fixtures.request("libx264", start: 5)), inventory: Fixtures.bare)
        #expect(Array(ts.dropLast(Fixtures.hls(start: 20).count)) == Array(fmp4.dropLast(Self.hls(start: 20).count)), "all but the tail as TS")
        #expect(Array(fmp4.suffix(Self.hls(start: 20).count)) == Self.hls(start: 20))
        #expect(!fmp4.contains("-tag:v"), "H.264 keeps FFmpeg's avc1")
    }

    @Test func hevcIsTaggedHvc1AlsoOnARemux() {
        let hevc = Fixtures.source.with(videoCodec: "hevc")
        for request in [Fixtures.request("libx265"), Fixtures.request("libx264", remux: true, source: hevc)] {
            let args = X264Backend().arguments(for: Self.fmp4(request), inventory: Fixtures.bare)
            let tag = args.firstIndex(of: "-tag:v")
            #expect(tag.map { args[$0 + 1] } == "hvc1" && tag.map { $0 < (args.firstIndex(of: "-f") ?? 0) } == true, "\(args)")
        }
        let tsHEVC = X264Backend().arguments(for: Fixtures.request("libx265"), inventory: Fixtures.bare)
        #expect(!tsHEVC.contains("-tag:v"), "TS has no sample entry to tag")
    }
}

extension SourceInfo {
    func with(videoCodec: String) -> SourceInfo {
        var copy = self
        copy.videoCodec = videoCodec
        return copy
    }
}
