import CUDADecodeBackend
import NVIDIAInventory
import TestSupport
import Testing
import TranscodeBackend

/// The NVDEC + libx264 pipeline's exact command lines.
@Suite struct CUDADecodeArgumentsTests {
    /// The list every transcode from segment 0 shares after the device options.
    static func tail(_ filter: String = "scale_cuda=format=yuv420p,hwdownload,format=yuv420p") -> [String] {
        [
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", filter,
            "-c:v", "libx264", "-preset", "veryfast",
            "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0",
        ] + Fixtures.audioAndHLS(start: 0)
    }

    @Test func decodesOnTheGPUAndEncodesWithX264() throws {
        let inventory = try Fixtures.inventory(Fixtures.h100)
        let args = CUDADecodeBackend().arguments(for: Fixtures.request("libx264"), inventory: inventory)
        #expect(args == ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-hwaccel", "cuda", "-hwaccel_output_format", "cuda"]
            + Self.tail())
    }

    @Test func decodesOnTheSecondGPUWhenOnlyItTakesTheSource() throws {
        let inventory = try Fixtures.inventory(Fixtures.twoGPUs)
        // GPU 0 (A100) decodes 10-bit HEVC; GPU 1 does not: CUDA's default device is right.
        let deep = SourceInfo(duration: 60, videoCodec: "hevc", frameRate: 24, pixelFormat: "yuv420p10le", hasAudio: true)
        let first = CUDADecodeBackend().arguments(for: Fixtures.request("libx264", source: deep), inventory: inventory)
        #expect(!first.contains("-hwaccel_device"))
        // With GPU 0's NVDEC gone, the same H.264 source goes to GPU 1.
        var second = inventory
        second.nvidia.devices[0].nvdec = NVDECProbe(error: "cannot create a CUDA context on device 0")
        let args = CUDADecodeBackend().arguments(for: Fixtures.request("libx264"), inventory: second)
        #expect(args.prefix(11) == ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                                    "-hwaccel", "cuda", "-hwaccel_output_format", "cuda", "-hwaccel_device", "1"])
    }

    @Test func remuxNeedsNoDevice() throws {
        let inventory = try Fixtures.inventory(Fixtures.h100)
        let args = CUDADecodeBackend().arguments(for: Fixtures.request("libx264", remux: true), inventory: inventory)
        #expect(!args.contains("-hwaccel") && args.containsPair("-c:v", "copy"), "\(args)")
    }
}
