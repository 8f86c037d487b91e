import BackendRegistry
import Foundation
import Testing
import TranscodeBackend

/// Each backend's full command line through the real FFmpeg 5.1: hardware lines must fail
/// only at the device (well formed), the software line must finish a playlist.
@Suite(.enabled(if: FFmpegRun.path != nil, "needs ffmpeg"))
struct FFmpegSmokeTests {
    /// What FFmpeg prints when the device is missing (texts seen on a machine without a GPU).
    static let deviceTexts = [
        "Cannot load libcuda.so.1", "Could not dynamically load CUDA", "No device available for decoder",
        "No VA display found", "Device creation failed", "Failed to initialise VAAPI connection",
        "OpenEncodeSessionEx failed", "No capable devices found", "No NVENC capable devices found",
        "Could not find a valid device",
    ]
    /// What FFmpeg prints when it rejects an option, an encoder or a filter. Not "Error parsing":
    /// a failed `-init_hw_device` is reported as "Error parsing global options".
    static let rejectionTexts = [
        "Unrecognized option", "Unknown encoder", "No such filter", "Option not found", "Unable to parse option value",
        "Error setting option", "Error splitting the argument list", "Unknown decoder", "Invalid option",
    ]

    static func request(_ encoder: String, clip: String, output: String, start: Int = 0) -> EncodeRequest {
        let source = SourceInfo(duration: 3, videoCodec: "h264", frameRate: 24, pixelFormat: "yuv420p", hasAudio: true)
        return EncodeRequest(
            sourcePath: clip, outputDirectory: output, encoder: encoder, bitrateBps: 500_000,
            forceRemux: false, segmentSeconds: 1, startSegment: start, source: source
        )
    }

    @Test(arguments: [
        ("nvenc", "h264_nvenc", "/dev/nvidiactl"), ("nvenc", "hevc_nvenc", "/dev/nvidiactl"),
        ("cuda", "h264_nvenc", "/dev/nvidiactl"), ("cuda", "hevc_nvenc", "/dev/nvidiactl"),
        ("vaapi", "h264_vaapi", "/dev/dri"), ("vaapi", "hevc_vaapi", "/dev/dri"),
        ("cuda-decode", "libx264", "/dev/nvidiactl"),
    ])
    func hardwareLineFailsOnlyAtTheDevice(id: String, encoder: String, deviceNode: String) throws {
        let clip = try #require(FFmpegRun.clip)
        let backend = try #require(allBackends.first { $0.id == id })
        let inventory = try Fixtures.inventory(Fixtures.intelIHD)
        let output = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let args = backend.arguments(for: Self.request(encoder, clip: clip, output: output), inventory: inventory)
        let (status, stderr) = try FFmpegRun.run(args)
        for text in Self.rejectionTexts {
            #expect(!stderr.contains(text), "\(id)/\(encoder): \(stderr)")
        }
        if !FFmpegRun.exists(deviceNode) {
            #expect(status != 0, "\(id)/\(encoder) succeeded without \(deviceNode)")
        }
        if status != 0 {
            #expect(Self.deviceTexts.contains { stderr.contains($0) }, "\(id)/\(encoder): \(stderr)")
        }
    }

    @Test(arguments: [0, 1])
    func softwareLineFinishesThePlaylist(start: Int) throws {
        let clip = try #require(FFmpegRun.clip)
        let output = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let backend = try #require(allBackends.first { $0.id == "x264" })
        let inventory = HardwareInventory(cpu: CPUInfo(model: "test", threads: 2), ffmpegEncoders: ["libx264"])
        let args = backend.arguments(for: Self.request("libx264", clip: clip, output: output, start: start), inventory: inventory)
        let (status, stderr) = try FFmpegRun.run(args)
        #expect(status == 0, "\(stderr)")
        let playlist = try String(contentsOfFile: output + "/index.m3u8", encoding: .utf8)
        #expect(playlist.contains("#EXT-X-ENDLIST"))
        #expect(playlist.contains("segment\(start).ts"))
    }
}
