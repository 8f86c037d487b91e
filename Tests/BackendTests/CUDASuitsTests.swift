import CUDABackend
import Testing
import TranscodeBackend

/// When the all-GPU pipeline takes a source: NVDEC must decode its codec and pixel format.
@Suite struct CUDASuitsTests {
    static func source(_ codec: String?, _ pixelFormat: String?) -> SourceInfo {
        SourceInfo(duration: 60, videoCodec: codec, frameRate: 24, pixelFormat: pixelFormat, hasAudio: true)
    }

    @Test(arguments: [
        ("h264", "yuv420p"), ("h264", "yuvj420p"), ("hevc", "yuv420p10le"), ("vp9", "yuv420p"),
        ("av1", "yuv420p10le"), ("mpeg2video", "yuv420p"), ("mpeg4", "yuv420p"), ("vc1", "yuv420p"),
        ("vp8", "yuv420p"), ("h264", nil),
    ] as [(String, String?)])
    func takesWhatNVDECDecodes(codec: String, pixelFormat: String?) {
        #expect(CUDABackend().suits(Self.source(codec, pixelFormat)))
    }

    @Test(arguments: [
        ("prores", "yuv422p10le"), ("prores", nil), ("dnxhd", "yuv422p"), ("mjpeg", "yuvj420p"),
        ("h264", "yuv422p"), ("h264", "yuv444p"), ("h264", "yuv420p10le"), ("hevc", "yuv422p10le"),
        ("hevc", "yuv444p"), ("rawvideo", "rgb24"),
    ] as [(String, String?)])
    func leavesTheRestToSoftwareDecode(codec: String, pixelFormat: String?) {
        #expect(!CUDABackend().suits(Self.source(codec, pixelFormat)))
    }

    @Test func noVideoDoesNotSuit() {
        #expect(!CUDABackend().suits(Self.source(nil, nil)))
    }
}
