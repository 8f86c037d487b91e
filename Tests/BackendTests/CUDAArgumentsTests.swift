import CUDABackend
import NVENCBackend
import Testing
import TranscodeBackend

/// CUDA's exact command lines: NVDEC decode into GPU memory, scale_cuda, NVENC.
@Suite struct CUDAArgumentsTests {
    @Test func transcodeFromTheStart() throws {
        let inventory = try Fixtures.inventory(Fixtures.nvidiaDesktop)
        let args = CUDABackend().arguments(for: Fixtures.request("h264_nvenc"), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-hwaccel", "cuda", "-hwaccel_output_format", "cuda",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "scale_cuda=format=yuv420p",
            "-c:v", "h264_nvenc", "-preset", "p4", "-tune", "ll", "-rc", "vbr",
            "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-g", "96", "-keyint_min", "96",
        ] + Fixtures.audioAndHLS(start: 0))
    }

    @Test func seekWithHEVCAndUnknownFrameRate() {
        let source = SourceInfo(duration: 600, videoCodec: "hevc", frameRate: nil, pixelFormat: "yuv420p10le", hasAudio: false)
        let args = CUDABackend().arguments(for: Fixtures.request("hevc_nvenc", start: 3, source: source), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-hwaccel", "cuda", "-hwaccel_output_format", "cuda",
            "-ss", "12", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "scale_cuda=format=yuv420p",
            "-c:v", "hevc_nvenc", "-preset", "p4", "-tune", "ll", "-rc", "vbr",
            "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-g", "96", "-keyint_min", "96",
        ] + Fixtures.audioAndHLS(start: 12))
    }

    @Test func reusesNVENCEncoderOptionsAndCapacity() {
        let request = Fixtures.request("h264_nvenc")
        let cuda = CUDABackend().arguments(for: request, inventory: Fixtures.bare)
        let nvenc = NVENCBackend().arguments(for: request, inventory: Fixtures.bare)
        let codecOptions = NVENCBackend.videoCodec(for: request) + NVENCBackend.keyframes(for: request)
        #expect(cuda.joined(separator: " ").contains(codecOptions.joined(separator: " ")))
        #expect(nvenc.joined(separator: " ").contains(codecOptions.joined(separator: " ")))
        #expect(CUDABackend().encoders == NVENCBackend().encoders)
        #expect(CUDABackend().sessionCapacity == 8)
        #expect(CUDABackend(sessionCapacity: 5).sessionCapacity == 5)
        // One GPU, one driver limit: both pipelines count against the same sessions.
        #expect(CUDABackend().sessionPool == NVENCBackend().sessionPool)
    }
}
