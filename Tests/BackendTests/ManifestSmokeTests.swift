import Foundation
import ManifestBackend
import Testing
import TestSupport
import TranscodeBackend

/// The shipped manifests' command lines through the real FFmpeg 5.1: x265 finishes an HEVC
/// playlist; QSV and V4L2 M2M are well formed and fail only at the device they lack here.
@Suite(.enabled(if: FFmpegRun.path != nil, "needs ffmpeg"))
struct ManifestSmokeTests {
    static func backend(_ name: String, host: HostFacts = HostFacts()) throws -> ManifestEncoderBackend {
        ManifestEncoderBackend(manifest: try ManifestParser.parse(try Manifests.shipped(name), file: name), host: host)
    }

    @Test(arguments: [0, 1])
    func x265FinishesAnHEVCPlaylist(start: Int) async throws {
        let clip = try #require(FFmpegRun.clip)
        let output = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let request = FFmpegSmokeTests.request("libx265", clip: clip, output: output, start: start)
        let arguments = try Self.backend("x265.toml").arguments(for: request, inventory: Fixtures.bare)
        // Encodes and players run off the cooperative pool: a blocked pool thread stalls other tests.
        let (status, stderr) = try await offPool { try FFmpegRun.run(arguments) }
        #expect(status == 0, "\(stderr)")
        #expect(stderr.isEmpty, "log-level=error keeps libx265 quiet: \(stderr)")
        let playlist = try String(contentsOfFile: output + "/index.m3u8", encoding: .utf8)
        #expect(playlist.contains("#EXT-X-ENDLIST") && playlist.contains("segment\(start).ts"))
        let probe = try await runProgramAsync("/usr/bin/env", [
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,pix_fmt", "-of", "csv=p=0",
            output + "/segment\(start).ts",
        ])
        // A TS segment also lists its program's streams: the first line is the stream itself.
        #expect(probe.stdout.split(separator: "\n").first == "hevc,yuv420p", "\(probe.stdout)")
        // The whole playlist decodes without an error, as a player would read it.
        let decode = try await runProgramAsync("/usr/bin/env", ["ffmpeg", "-v", "error", "-i", output + "/index.m3u8", "-f", "null", "-"])
        #expect(decode.status == 0 && decode.stderr.isEmpty, "\(decode.stderr)")
    }

    @Test(arguments: [("qsv.toml", "h264_qsv", "/dev/dri"), ("qsv.toml", "hevc_qsv", "/dev/dri"), ("v4l2m2m.toml", "h264_v4l2m2m", "/dev/video0")])
    func hardwareLineFailsOnlyAtTheDevice(file: String, encoder: String, deviceNode: String) async throws {
        let clip = try #require(FFmpegRun.clip)
        let output = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        // The recorded Intel laptop: its render node, driven by i915.
        let host = HostFacts(devices: ["/dev/dri/renderD*": ["/dev/dri/renderD128"], "/dev/video*": ["/dev/video11"]])
        let args = try Self.backend(file, host: host).arguments(
            for: FFmpegSmokeTests.request(encoder, clip: clip, output: output), inventory: try Fixtures.inventory(Fixtures.intelIHD)
        )
        let (status, stderr) = try await offPool { try FFmpegRun.run(args) }
        for text in FFmpegSmokeTests.rejectionTexts {
            #expect(!stderr.contains(text), "\(file)/\(encoder): \(stderr)")
        }
        if !FFmpegRun.exists(deviceNode) {
            #expect(status != 0, "\(encoder) succeeded without \(deviceNode)")
        }
        if status != 0 {
            #expect(FFmpegSmokeTests.deviceTexts.contains { stderr.contains($0) }, "\(file)/\(encoder): \(stderr)")
        }
    }

    /// mpv, when installed (`apt-get install mpv`), plays the HEVC playlist to the end.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/mpv"), "needs mpv"))
    func mpvPlaysTheHEVCPlaylist() async throws {
        let clip = try #require(FFmpegRun.clip)
        let output = try FFmpegRun.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let request = FFmpegSmokeTests.request("libx265", clip: clip, output: output)
        let arguments = try Self.backend("x265.toml").arguments(for: request, inventory: Fixtures.bare)
        #expect(try await offPool { try FFmpegRun.run(arguments) }.0 == 0)
        let played = try await runProgramAsync("/usr/bin/mpv", [
            "--no-config", "--vo=null", "--ao=null", "--term-status-msg=", output + "/index.m3u8",
        ])
        #expect(played.status == 0, "\(played.stderr)")
        // mpv names the track it decoded and says why it stopped.
        #expect(played.stdout.contains("(hevc 320x240") && played.stdout.contains("(End of file)"), "\(played.stdout)")
    }
}
