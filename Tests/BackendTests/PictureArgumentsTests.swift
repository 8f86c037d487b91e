import BackendRegistry
import CUDABackend
import CUDADecodeBackend
import ManifestBackend
import NVENCBackend
import Testing
import TestSupport
import TranscodeBackend
import VAAPIBackend
import X264Backend

/// Tone mapping and burn-in on every backend: the exact filter chains and graphs, the BT.709
/// tags, and which backends say they can.
@Suite struct PictureArgumentsTests {
    static let pq = PictureFilters.toneMap(ToneMap(from: .pq))
    static let x264Codec = ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000"]
    static let tags = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]

    static func request(_ encoder: String, start: Int = 0, toneMap: DynamicRange? = nil, burnIn: BurnIn? = nil) -> EncodeRequest {
        var request = Fixtures.request(encoder, start: start)
        request.toneMap = toneMap.map(ToneMap.init)
        request.burnIn = burnIn
        return request
    }

    @Test func pqAndHLGChainsNameTheirTransfer() {
        #expect(Self.pq == "zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p")
        #expect(PictureFilters.toneMap(ToneMap(from: .hlg)).hasPrefix("zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:t=linear"))
        #expect(PictureFilters.summary(ToneMap(from: .pq)) == "pq->bt709 (hable)")
        #expect(PictureFilters.summary(ToneMap(from: .hlg)) == "hlg->bt709 (hable)")
        #expect(PictureFilters.summary(nil) == nil)
    }

    @Test func x264ToneMapsAndTagsBT709() {
        let args = X264Backend().arguments(for: Self.request("libx264", toneMap: .pq), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", Self.pq,
        ] + Self.x264Codec + Self.tags + [
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
        ] + Fixtures.audioAndHLS(start: 0))
    }

    @Test func textSubtitlesAreShiftedToMovieTimeAfterASeek() {
        let args = X264Backend().arguments(for: Self.request("libx264", start: 2, burnIn: .text(track: 1)), inventory: Fixtures.bare)
        #expect(args.containsPair("-vf", "format=yuv420p,setpts=PTS+round(8/TB),subtitles=filename=/media/film.mkv:si=1,setpts=PTS-round(8/TB)"))
        #expect(!args.contains("-color_trc"), "an SDR source keeps its tags")
        // From the start no shift is needed.
        let first = X264Backend().arguments(for: Self.request("libx264", burnIn: .text(track: 0)), inventory: Fixtures.bare)
        #expect(first.containsPair("-vf", "format=yuv420p,subtitles=filename=/media/film.mkv:si=0"))
    }

    @Test func toneMapComesBeforeTheSubtitles() {
        let args = X264Backend().arguments(for: Self.request("libx264", toneMap: .hlg, burnIn: .text(track: 0)), inventory: Fixtures.bare)
        #expect(args.containsPair("-vf", PictureFilters.toneMap(ToneMap(from: .hlg)) + ",subtitles=filename=/media/film.mkv:si=0"))
    }

    @Test func bitmapSubtitlesBecomeAGraphWhoseOutputIsMapped() {
        let args = X264Backend().arguments(for: Self.request("libx264", start: 1, burnIn: .bitmap(track: 2)), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "4", "-i", "/media/film.mkv",
            "-filter_complex",
            "[0:v:0]format=yuv420p[main];[0:s:2][main]scale2ref=w=main_w:h=main_h[subs][base];[base][subs]overlay=eof_action=pass,format=yuv420p[vout]",
            "-map", "[vout]", "-map", "0:a:0?",
        ] + Self.x264Codec + [
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
        ] + Fixtures.audioAndHLS(start: 4))
        #expect(!args.contains("-vf"))
    }

    @Test func pathsAreEscapedForTheFilterGraph() {
        #expect(PictureFilters.escapeOption("/m/a b,[x];'q':n\\b.mkv") == "/m/a b\\,\\[x\\]\\;\\\\\\'q\\\\\\'\\\\:n\\\\\\\\b.mkv")
        #expect(PictureFilters.escapeOption("/media/plain.mkv") == "/media/plain.mkv")
    }

    @Test func aRemuxDoesNoPictureWork() {
        var request = Self.request("libx264", toneMap: .pq)
        request.forceRemux = true
        let args = X264Backend().arguments(for: request, inventory: Fixtures.bare)
        #expect(!args.contains("-vf") && !args.contains("-filter_complex") && !args.contains("-color_trc"))
        #expect(PictureFeatures(needsOf: request).isEmpty)
    }

    @Test func nvencRunsTheCPUChainBeforeTheEncoder() {
        let args = NVENCBackend().arguments(for: Self.request("h264_nvenc", toneMap: .pq), inventory: Fixtures.bare)
        #expect(args.containsPair("-vf", Self.pq))
        #expect(args.containsPair("-colorspace", "bt709"))
    }

    @Test func cudaDownloadsTenBitForTheToneMap() throws {
        let inventory = try Fixtures.inventory(Fixtures.rtx4070)
        let args = CUDABackend().arguments(for: Self.request("hevc_nvenc", toneMap: .pq), inventory: inventory)
        #expect(args.containsPair("-vf", "scale_cuda=format=p010le,hwdownload,format=p010le," + Self.pq))
        #expect(args.containsPair("-hwaccel_output_format", "cuda"))
        let text = CUDABackend().arguments(for: Self.request("h264_nvenc", burnIn: .text(track: 0)), inventory: inventory)
        #expect(text.containsPair("-vf", "scale_cuda=format=yuv420p,hwdownload,format=yuv420p,subtitles=filename=/media/film.mkv:si=0"))
        // Without picture work the all-GPU chain is untouched.
        let plain = CUDABackend().arguments(for: Self.request("h264_nvenc"), inventory: inventory)
        #expect(plain.containsPair("-vf", "scale_cuda=format=yuv420p"))
    }

    @Test func cudaDecodeOverlaysBitmapsAfterTheDownload() throws {
        let inventory = try Fixtures.inventory(Fixtures.h100)
        let args = CUDADecodeBackend().arguments(for: Self.request("libx264", burnIn: .bitmap(track: 0)), inventory: inventory)
        #expect(args.containsPair("-filter_complex",
            "[0:v:0]scale_cuda=format=yuv420p,hwdownload,format=yuv420p[main];[0:s:0][main]scale2ref=w=main_w:h=main_h[subs][base];[base][subs]overlay=eof_action=pass,format=yuv420p[vout]"))
        #expect(args.containsPair("-map", "[vout]"))
    }

    @Test func vaapiToneMapsOnIntelAndOnTheCPUElsewhere() throws {
        let intel = try Fixtures.inventory(Fixtures.intelIHD)
        let onGPU = VAAPIBackend().arguments(for: Self.request("h264_vaapi", toneMap: .pq), inventory: intel)
        #expect(onGPU.containsPair("-vf", "format=p010le,hwupload,tonemap_vaapi=format=nv12:t=bt709:m=bt709:p=bt709"))
        #expect(onGPU.containsPair("-color_trc", "bt709"))
        // HLG, subtitles, or a driver without the video processor's tone map: the CPU, then the upload.
        let hlg = VAAPIBackend().arguments(for: Self.request("h264_vaapi", toneMap: .hlg), inventory: intel)
        #expect(hlg.containsPair("-vf", PictureFilters.toneMap(ToneMap(from: .hlg)) + ",format=nv12,hwupload"))
        let amd = try Fixtures.inventory(Fixtures.amdRadeonsi)
        let onCPU = VAAPIBackend().arguments(for: Self.request("h264_vaapi", toneMap: .pq), inventory: amd)
        #expect(onCPU.containsPair("-vf", Self.pq + ",format=nv12,hwupload"))
        let bitmap = VAAPIBackend().arguments(for: Self.request("h264_vaapi", burnIn: .bitmap(track: 1)), inventory: amd)
        #expect(bitmap.containsPair("-filter_complex",
            "[0:v:0]format=yuv420p[main];[0:s:1][main]scale2ref=w=main_w:h=main_h[subs][base];[base][subs]overlay=eof_action=pass,format=yuv420p,format=nv12,hwupload[vout]"))
    }

    @Test func everyCompiledBackendTakesEveryFeature() {
        for backend in allBackends {
            #expect(backend.pictureFeatures == .all, "\(backend.id)")
            #expect(backend.supports(Self.request(backend.encoders[0], toneMap: .pq, burnIn: .bitmap(track: 0))), "\(backend.id)")
        }
        #expect(PictureFeatures.all.wireNames == ["tone_map", "burn_in_text", "burn_in_bitmap"])
        #expect(PictureFeatures(wireNames: ["burn_in_text", "future_thing"]) == .burnInText)
    }
}

/// Manifests declare picture work with `features`; without it they are never chosen for it.
@Suite struct ManifestFeatureTests {
    static let base = """
        id = "soft"
        encoders = ["libx265"]
        rank = 1
        %FEATURES%
        [arguments]
        %INPUT%
        video_filter = "format=yuv420p"
        keyframes = "forced"
        """

    static func manifest(features: String = "", input: String = "") throws -> BackendManifest {
        let text = base.replacingOccurrences(of: "%FEATURES%", with: features).replacingOccurrences(of: "%INPUT%", with: input)
        return try ManifestParser.parse(text, file: "soft.toml")
    }

    @Test func withoutFeaturesItCannot() throws {
        let backend = ManifestEncoderBackend(manifest: try Self.manifest(), host: HostFacts())
        var request = Fixtures.request("libx265")
        #expect(backend.supports(request))
        request.toneMap = ToneMap(from: .pq)
        #expect(!backend.supports(request))
    }

    @Test func featuresPrependTheCPUFilters() throws {
        let backend = ManifestEncoderBackend(manifest: try Self.manifest(features: #"features = ["tone_map", "burn_in"]"#), host: HostFacts())
        #expect(backend.pictureFeatures == .all)
        var request = Fixtures.request("libx265")
        request.toneMap = ToneMap(from: .pq)
        request.burnIn = .text(track: 0)
        #expect(backend.supports(request))
        let args = backend.arguments(for: request, inventory: Fixtures.bare)
        #expect(args.containsPair("-vf", PictureArgumentsTests.pq + ",subtitles=filename=/media/film.mkv:si=0,format=yuv420p"))
        #expect(args.containsPair("-colorspace", "bt709"))
    }

    @Test func unknownFeaturesAndDeviceFramesAreRefused() throws {
        #expect(throws: ManifestRefusal.self) { try Self.manifest(features: #"features = ["denoise"]"#) }
        #expect(throws: ManifestRefusal.self) {
            try Self.manifest(features: #"features = ["tone_map"]"#, input: #"input = ["-hwaccel", "cuda", "-hwaccel_output_format", "cuda"]"#)
        }
    }

    @Test func shippedManifestsDeclareTheirFeatures() throws {
        for name in ["x265", "qsv", "v4l2m2m"] {
            let text = try Manifests.shipped(name + ".toml")
            #expect(try ManifestParser.parse(text, file: name).features == .all, "\(name)")
        }
    }
}
