import CUDABackend
import CUDADecodeBackend
import Testing
import TranscodeBackend

/// Which sources the NVDEC pipelines take, judged from the decoder caps hwdetect read.
@Suite struct CUDADecodeSuitsTests {
    static func source(_ codec: String?, _ pixelFormat: String?) -> SourceInfo {
        SourceInfo(duration: 60, videoCodec: codec, frameRate: 24, pixelFormat: pixelFormat, hasAudio: true)
    }

    @Test(arguments: [
        ("h264", "yuv420p"), ("hevc", "yuv420p10le"), ("hevc", "yuv420p12le"), ("vp9", "yuv420p10le"), ("vp9", "yuv420p"),
        ("mpeg2video", "yuv420p"), ("vc1", "yuv420p"), ("vp8", "yuv420p"), ("h264", nil),
    ] as [(String, String?)])
    func theH100DecodesWhatItsCapsList(codec: String, pixelFormat: String?) throws {
        let inventory = try Fixtures.inventory(Fixtures.h100)
        #expect(CUDADecodeBackend().suits(Self.source(codec, pixelFormat), on: inventory))
    }

    @Test(arguments: [
        // The lent H100's NVDEC listed no AV1 at all.
        ("h264", "yuv420p10le"), ("hevc", "yuv422p10le"), ("hevc", "yuv444p"), ("av1", "yuv420p"), ("av1", "yuv420p10le"),
        ("prores", "yuv422p10le"),
    ] as [(String, String?)])
    func theH100RefusesWhatItsCapsLack(codec: String, pixelFormat: String?) throws {
        let inventory = try Fixtures.inventory(Fixtures.h100)
        #expect(!CUDADecodeBackend().suits(Self.source(codec, pixelFormat), on: inventory))
    }

    @Test func withoutCapsTheCodecTableDecides() throws {
        let inventory = try Fixtures.inventory(Fixtures.nvidiaDesktop)
        #expect(CUDADecodeBackend().suits(Self.source("vc1", "yuv420p"), on: inventory))
        #expect(!CUDADecodeBackend().suits(Self.source("h264", "yuv420p10le"), on: inventory))
        #expect(!CUDADecodeBackend().suits(Self.source("h264", "yuv420p"), on: Fixtures.bare), "no NVIDIA GPU at all")
    }

    @Test func theAllGPUPipelineNeedsDecodeAndEncodeOnOneGPU() throws {
        let inventory = try Fixtures.inventory(Fixtures.twoGPUs)
        // Only the A100 decodes 10-bit HEVC, and it has no NVENC.
        #expect(!CUDABackend().suits(Self.source("hevc", "yuv420p10le"), on: inventory))
        #expect(CUDABackend().suits(Self.source("hevc", "yuv420p"), on: inventory))
        let args = CUDABackend().arguments(
            for: Fixtures.request("h264_nvenc", source: Self.source("h264", "yuv420p")), inventory: inventory)
        #expect(args.prefix(11).suffix(2) == ["-hwaccel_device", "1"], "\(args)")
        let h100 = try Fixtures.inventory(Fixtures.h100)
        #expect(!CUDABackend().suits(Self.source("h264", "yuv420p"), on: h100))
    }
}
