import BackendRegistry
import NVIDIAInventory
import Testing
import TranscodeBackend

/// Verdicts on inventories where hwdetect asked NVENC and NVDEC themselves: an RTX card
/// whose session opened, an H100 without an encoder, and a box with one of each.
@Suite struct NVIDIAProbeDetectionTests {
    static let adaCodecs = "h264 up to 4096x4096, hevc 10-bit up to 8192x8192, av1 10-bit up to 8192x8192"
    static let recentDecode = "h264, hevc 8/10/12-bit, vp9 8/10-bit, av1 8/10-bit, mpeg2video"

    @Test func rtxCardListsItsCodecsFromTheSession() throws {
        let v = try DetectionTests.verdicts(Fixtures.rtx4070)
        #expect(DetectionTests.available(v) == ["cuda", "nvenc", "cuda-decode", "x264"])
        #expect(v["nvenc"]?.reason == "NVENC on NVIDIA GeForce RTX 4070 (\(Self.adaCodecs)), driver 550.120: h264_nvenc, hevc_nvenc")
        #expect(v["cuda"]?.reason == "NVDEC + NVENC on NVIDIA GeForce RTX 4070 (\(Self.adaCodecs)), driver 550.120: h264_nvenc, hevc_nvenc")
        #expect(v["cuda-decode"]?.reason == "NVDEC on NVIDIA GeForce RTX 4070 (\(Self.recentDecode)), driver 550.120: libx264")
    }

    @Test func h100HasNoEncoderButDecodes() throws {
        let v = try DetectionTests.verdicts(Fixtures.h100)
        #expect(DetectionTests.available(v) == ["cuda-decode", "x264"])
        #expect(v["nvenc"]?.reason == "this GPU has no NVENC encoder (NVIDIA H100 80GB HBM3)")
        #expect(v["cuda"]?.reason == "this GPU has no NVENC encoder (NVIDIA H100 80GB HBM3)")
        #expect(v["cuda-decode"]?.reason == "NVDEC on NVIDIA H100 80GB HBM3 (h264, hevc 8/10/12-bit, vp9 8/10-bit, mpeg2video, mpeg4, vc1, vp8), driver 580.159.04: libx264")
    }

    @Test func twoGPUsNameTheOneThatEncodes() throws {
        let v = try DetectionTests.verdicts(Fixtures.twoGPUs)
        #expect(DetectionTests.available(v) == ["cuda", "nvenc", "cuda-decode", "x264"])
        #expect(v["nvenc"]?.reason
            == "NVENC on GPU 1 NVIDIA RTX A4000 (h264 up to 4096x4096, hevc 10-bit up to 8192x8192), driver 550.120: h264_nvenc, hevc_nvenc")
        #expect(v["cuda-decode"]?.reason
            == "NVDEC on GPU 0 NVIDIA A100-PCIE-40GB (h264, hevc 8/10-bit), GPU 1 NVIDIA RTX A4000 (h264, hevc), driver 550.120: libx264")
    }

    @Test func everyGPUWithoutAnEncoderIsNamed() throws {
        var inventory = try Fixtures.inventory(Fixtures.twoGPUs)
        inventory.nvidia.devices[1].nvenc = NVENCProbe(verdict: .noEncoder, error: "the encode session lists no codec")
        let nvenc = try #require(allBackends.first { $0.id == "nvenc" })
        #expect(nvenc.availability(on: inventory)
            == .unavailable("these GPUs have no NVENC encoder (NVIDIA A100-PCIE-40GB, NVIDIA RTX A4000)"))
    }

    @Test func busySessionsStillCountAsAnEncoderButOtherErrorsDoNot() throws {
        var inventory = try Fixtures.inventory(Fixtures.rtx4070)
        let nvenc = try #require(allBackends.first { $0.id == "nvenc" })
        let outOfMemory = "nvEncOpenEncodeSessionEx failed: NV_ENC_ERR_OUT_OF_MEMORY (10)"
        inventory.nvidia.devices[0].nvenc = NVENCProbe(verdict: .busy, error: outOfMemory)
        #expect(nvenc.availability(on: inventory) == .available(
            "NVENC on NVIDIA GeForce RTX 4070 (every NVENC session was taken when probed), driver 550.120: h264_nvenc, hevc_nvenc"))
        let version = "the driver's NVENC API is older than 11.1 (update the NVIDIA driver)"
        inventory.nvidia.devices[0].nvenc = NVENCProbe(verdict: .error, error: version)
        #expect(nvenc.availability(on: inventory)
            == .unavailable("NVENC cannot open an encode session (NVIDIA GeForce RTX 4070: \(version))"))
    }

    @Test func nvdecThatCannotLoadLeavesOnlySoftware() throws {
        var inventory = try Fixtures.inventory(Fixtures.h100)
        inventory.nvidia.devices[0].nvdec = NVDECProbe(error: "cannot load libnvcuvid.so.1: not found")
        let decode = try #require(allBackends.first { $0.id == "cuda-decode" })
        #expect(decode.availability(on: inventory)
            == .unavailable("NVDEC cannot decode here (NVIDIA H100 80GB HBM3: cannot load libnvcuvid.so.1: not found)"))
    }
}
