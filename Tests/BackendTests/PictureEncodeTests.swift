import BackendRegistry
import Foundation
import Testing
import TestSupport
import TranscodeBackend
import X264Backend

/// Tone mapping through the real FFmpeg on x264's command line: a PQ and an HLG clip come out
/// tagged BT.709 and clearly unlike a naive pass-through of the same frames.
@Suite(.enabled(if: FFmpegRun.path != nil, "needs ffmpeg"))
struct PictureEncodeTests {
    static func encode(_ clip: String, toneMap: DynamicRange?) throws -> String {
        let output = try FFmpegRun.makeFolder()
        let source = SourceInfo(duration: 3, videoCodec: "hevc", frameRate: 24, pixelFormat: "yuv420p10le", hasAudio: true)
        var request = EncodeRequest(
            sourcePath: clip, outputDirectory: output, encoder: "libx264", bitrateBps: 1_000_000,
            forceRemux: false, segmentSeconds: 1, startSegment: 0, source: source
        )
        request.toneMap = toneMap.map(ToneMap.init)
        let inventory = HardwareInventory(cpu: CPUInfo(model: "test", threads: 2), ffmpegEncoders: ["libx264"])
        let (status, stderr) = try FFmpegRun.run(X264Backend().arguments(for: request, inventory: inventory))
        #expect(status == 0, "\(stderr)")
        return output
    }

    @Test(arguments: [("smpte2084", DynamicRange.pq), ("arib-std-b67", DynamicRange.hlg)])
    func toneMappedDiffersFromPassThroughAndIsTaggedBT709(transfer: String, range: DynamicRange) throws {
        let folder = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = folder + "/hdr.mkv"
        try PictureClips.makeHDR(clip, transfer: transfer)
        let mapped = try Self.encode(clip, toneMap: range)
        let naive = try Self.encode(clip, toneMap: nil)
        defer {
            try? FileManager.default.removeItem(atPath: mapped)
            try? FileManager.default.removeItem(atPath: naive)
        }
        let mappedLuma = try PictureClips.luma(mapped + "/segment0.ts")
        let naiveLuma = try PictureClips.luma(naive + "/segment0.ts")
        try #require(!mappedLuma.isEmpty && !naiveLuma.isEmpty)
        let mappedMean = mappedLuma.map(\.mean).reduce(0, +) / Double(mappedLuma.count)
        let naiveMean = naiveLuma.map(\.mean).reduce(0, +) / Double(naiveLuma.count)
        // PQ code values read as BT.709 are far too bright for this picture (about 121 of 255);
        // mapped to 100-nit SDR it sits near 75.
        #expect(naiveMean - mappedMean > 20, "\(transfer): tone-mapped mean luma \(mappedMean), pass-through \(naiveMean)")
        #expect(try PictureClips.colorTags(mapped + "/segment0.ts") == "yuv420p/bt709/bt709/bt709")
        #expect(try PictureClips.colorTags(naive + "/segment0.ts") != "yuv420p/bt709/bt709/bt709")
    }
}

/// Every hardware backend's tone-map and burn-in lines through the real FFmpeg 5.1: well formed
/// (no rejected option or filter), failing only at the device this machine lacks.
@Suite(.enabled(if: FFmpegRun.path != nil, "needs ffmpeg"))
struct PictureSmokeTests {
    static let clip: String? = {
        guard let folder = try? FFmpegRun.makeFolder() else { return nil }
        let path = folder + "/hdr-subbed.mkv"
        return (try? PictureClips.makeHDR(path, seconds: 2, cue: (0, 1))) != nil ? path : nil
    }()

    @Test(arguments: [
        ("nvenc", "h264_nvenc", "/dev/nvidiactl"), ("cuda", "hevc_nvenc", "/dev/nvidiactl"),
        ("cuda-decode", "libx264", "/dev/nvidiactl"), ("vaapi", "h264_vaapi", "/dev/dri"),
    ])
    func toneMapAndBurnInLinesFailOnlyAtTheDevice(id: String, encoder: String, deviceNode: String) throws {
        let clip = try #require(Self.clip)
        let backend = try #require(allBackends.first { $0.id == id })
        let source = SourceInfo(duration: 2, videoCodec: "hevc", frameRate: 24, pixelFormat: "yuv420p10le", hasAudio: true)
        for (toneMap, burnIn) in [(true, false), (false, true), (true, true)] as [(Bool, Bool)] {
            let output = try FFmpegRun.makeFolder()
            defer { try? FileManager.default.removeItem(atPath: output) }
            var request = EncodeRequest(
                sourcePath: clip, outputDirectory: output, encoder: encoder, bitrateBps: 500_000,
                forceRemux: false, segmentSeconds: 1, startSegment: 1, source: source
            )
            request.toneMap = toneMap ? ToneMap(from: .pq) : nil
            request.burnIn = burnIn ? .text(track: 0) : nil
            let args = backend.arguments(for: request, inventory: try Fixtures.inventory(Fixtures.intelIHD))
            let (status, stderr) = try FFmpegRun.run(args)
            let what = "\(id)/\(encoder) tone map \(toneMap) burn-in \(burnIn)"
            for text in FFmpegSmokeTests.rejectionTexts { #expect(!stderr.contains(text), "\(what): \(stderr)") }
            if !FFmpegRun.exists(deviceNode) { #expect(status != 0, "\(what) succeeded without \(deviceNode)") }
            if status != 0 { #expect(FFmpegSmokeTests.deviceTexts.contains { stderr.contains($0) }, "\(what): \(stderr)") }
        }
    }
}
