import Foundation
import Testing
import TestSupport

/// `transcode-worker plan`: the FFmpeg argument list as JSON, for any backend, here.
@Suite("transcode-worker plan (real binary)")
struct PlanCommandTests {
    static var binary: String { ServiceProcess.binDirectory.appendingPathComponent("transcode-worker").path }

    /// Runs `plan` and decodes its JSON array.
    static func plan(_ arguments: [String]) async throws -> (args: [String], result: ProgramResult) {
        let result = try await runProgramAsync(binary, ["plan"] + arguments)
        let decoded = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String]
        return (decoded ?? [], result)
    }

    @Test("libx264 with seek 00:00:10: -ss 8, -start_number 2, the movie's timestamps, segment names in the folder")
    func transcodeWithSeek() async throws {
        let sandbox = try Sandbox("plan")
        let clip = try await sandbox.makeClip(seconds: 24)
        let out = sandbox.transcode.appendingPathComponent("job").path
        let (args, result) = try await Self.plan(["--encoder", "libx264", "--source", clip, "--output", out, "--seek", "00:00:10"])
        #expect(result.status == 0, "plan failed: \(result.stderr)")
        #expect(!args.isEmpty, "not a JSON string array: \(result.stdout)")
        #expect(args.first?.hasSuffix("ffmpeg") == true, "first element: \(String(describing: args.first))")
        #expect(args.containsPair("-ss", "8"))
        #expect(args.containsPair("-start_number", "2"))
        #expect(args.containsPair("-output_ts_offset", "8"))
        #expect(args.containsPair("-i", clip))
        #expect(args.containsPair("-c:v", "libx264"))
        #expect(args.containsPair("-hls_time", "4"))
        #expect(args.containsPair("-hls_playlist_type", "event"))
        #expect(args.containsPair("-hls_segment_filename", out + "/segment%d.ts"))
        #expect(args.containsPair("-progress", "pipe:1"))
        #expect(args.contains("-force_key_frames"))
        #expect(args.last == out + "/index.m3u8")
        // The input seek comes before the input.
        if let ss = args.firstIndex(of: "-ss"), let input = args.firstIndex(of: "-i") { #expect(ss < input) }

        let start = try await Self.plan(["--encoder", "libx264", "--source", clip, "--output", out])
        #expect(start.result.status == 0)
        // Every run seeks and offsets, also at 0: one timestamp scheme for every run.
        #expect(start.args.containsPair("-ss", "0") && start.args.containsPair("-output_ts_offset", "0"), "\(start.args)")
        #expect(start.args.containsPair("-start_number", "0"), "no seek: \(start.args)")
    }

    @Test("--remux copies the streams")
    func remux() async throws {
        let sandbox = try Sandbox("plan")
        let clip = try await sandbox.makeClip(seconds: 24)
        let (args, result) = try await Self.plan(["--encoder", "libx264", "--source", clip, "--output", sandbox.transcode.path + "/r", "--remux"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(args.containsPair("-c:v", "copy"), "\(args)")
        #expect(args.containsPair("-c:a", "copy"), "\(args)")
        #expect(!args.contains("libx264") && !args.contains("-force_key_frames"), "\(args)")
    }

    @Test("Hardware plans: cuda decodes on the GPU, nvenc alone does not, vaapi sets up its device")
    func hardwarePlans() async throws {
        let sandbox = try Sandbox("plan")
        let clip = try await sandbox.makeClip(seconds: 24)
        let out = sandbox.transcode.path + "/hw"
        let cuda = try await Self.plan(["--encoder", "h264_nvenc", "--backend", "cuda", "--source", clip, "--output", out])
        #expect(cuda.result.status == 0, "\(cuda.result.stderr)")
        #expect(cuda.args.containsPair("-hwaccel", "cuda"), "\(cuda.args)")
        #expect(cuda.args.containsPair("-c:v", "h264_nvenc"), "\(cuda.args)")

        let nvenc = try await Self.plan(["--encoder", "h264_nvenc", "--backend", "nvenc", "--source", clip, "--output", out])
        #expect(nvenc.result.status == 0, "\(nvenc.result.stderr)")
        #expect(!nvenc.args.containsPair("-hwaccel", "cuda"), "\(nvenc.args)")
        #expect(nvenc.args.containsPair("-c:v", "h264_nvenc"), "\(nvenc.args)")

        let vaapi = try await Self.plan(["--encoder", "h264_vaapi", "--source", clip, "--output", out])
        #expect(vaapi.result.status == 0, "\(vaapi.result.stderr)")
        #expect(vaapi.args.contains("-init_hw_device"), "\(vaapi.args)")
        #expect(vaapi.args.containsPair("-c:v", "h264_vaapi"), "\(vaapi.args)")
    }

    @Test(
        "plan works for every encoder through every backend that offers it, whatever hardware is here",
        arguments: [
            ("libx264", "x264"), ("h264_nvenc", "nvenc"), ("hevc_nvenc", "nvenc"), ("h264_nvenc", "cuda"),
            ("hevc_nvenc", "cuda"), ("h264_vaapi", "vaapi"), ("hevc_vaapi", "vaapi"),
        ]
    )
    func everyEncoderThroughEveryBackend(encoder: String, backend: String) async throws {
        let sandbox = try Sandbox("plan")
        let clip = try await sandbox.makeClip(seconds: 24)
        let out = sandbox.transcode.path + "/every"
        let (args, result) = try await Self.plan(["--encoder", encoder, "--backend", backend, "--source", clip, "--output", out, "--seek", "00:00:10"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(args.first?.hasSuffix("ffmpeg") == true)
        #expect(args.containsPair("-c:v", encoder), "\(args)")
        #expect(args.containsPair("-start_number", "2") && args.containsPair("-ss", "8"), "\(args)")
        #expect(args.last == out + "/index.m3u8")
        // The backend that does not offer the encoder refuses it.
        let other = backend == "x264" ? "vaapi" : "x264"
        let refused = try await Self.plan(["--encoder", encoder, "--backend", other, "--source", clip, "--output", out])
        #expect(refused.result.status != 0 && refused.args.isEmpty)
    }

    @Test("Bad plan input: a malformed seek, an unknown encoder, a missing source: non-zero exit, no JSON")
    func badInput() async throws {
        let sandbox = try Sandbox("plan")
        let clip = try await sandbox.makeClip(seconds: 24)
        let out = sandbox.transcode.path + "/bad"
        for arguments in [
            ["--encoder", "libx264", "--source", clip, "--output", out, "--seek", "1:2"],
            ["--encoder", "h265_fake", "--source", clip, "--output", out],
            ["--encoder", "libx264", "--source", sandbox.media.path + "/none.mkv", "--output", out],
        ] {
            let (args, result) = try await Self.plan(arguments)
            #expect(result.status != 0, "plan \(arguments) succeeded: \(result.stdout)")
            #expect(args.isEmpty)
            #expect(!result.stderr.isEmpty)
        }
    }

    @Test("The worker runs exactly what plan prints")
    func workerRunsThePlan() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let created = try await worker.api.call("PUT", "/v1/jobs/planned", body: WorkerHarness.job(clip, seek: "00:00:10", bitrate: 1_000_000))
        #expect(created.status == 201, "\(created.status) \(created.text)")
        let running = try #require(created.object.strings("ffmpeg_args"))
        let source = try #require(created.object.string("source_path"))
        let output = try #require(created.object.string("output_path"))
        let (planned, result) = try await Self.plan([
            "--encoder", "libx264", "--source", source, "--output", output, "--seek", "00:00:10", "--bitrate", "1000000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(planned == running, "plan: \(planned)\nworker: \(running)")
    }
}
