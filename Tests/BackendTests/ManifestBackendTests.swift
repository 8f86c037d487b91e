import ManifestBackend
import Testing
import TestSupport
import TranscodeBackend

/// The shipped manifests as backends: their command lines fill `FFmpegCommand`'s slots,
/// and their availability names what is missing.
@Suite struct ManifestBackendTests {
    static func shipped(_ name: String, host: HostFacts = HostFacts()) throws -> ManifestEncoderBackend {
        ManifestEncoderBackend(manifest: try ManifestParser.parse(try Manifests.shipped(name), file: name), host: host)
    }

    /// This machine type: no render node, no /dev/video, no Intel runtime.
    static let bareHost = HostFacts(
        devices: ["/dev/dri/renderD*": [], "/dev/video*": []],
        libraryErrors: ["libmfxhw64.so.1": "libmfxhw64.so.1: cannot open shared object file", "libmfx-gen.so.1.2": "libmfx-gen.so.1.2: cannot open shared object file"]
    )

    @Test func x265FillsTheSameSlotsAsACompiledBackend() throws {
        let backend = try Self.shipped("x265.toml")
        let args = backend.arguments(for: Fixtures.request("libx265", start: 5), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=yuv420p",
            "-c:v", "libx265", "-preset", "ultrafast", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-x265-params", "log-level=error",
            "-force_key_frames", "expr:gte(t,n_forced*4)",
        ] + Fixtures.audioAndHLS(start: 20))
        #expect(backend.availability(on: try Fixtures.inventory(Fixtures.noGPU)) == .available("libx265, from manifest x265.toml"))
        #expect(backend.sessionCapacity == 2 && backend.hardwareAPI == nil && backend.rank == 5)
    }

    @Test func qsvTakesTheIntelRenderNodeAndAFixedGOP() throws {
        let host = HostFacts(devices: ["/dev/dri/renderD*": ["/dev/dri/renderD128", "/dev/dri/renderD129"]], libraryErrors: [
            "libmfxhw64.so.1": "libmfxhw64.so.1: cannot open shared object file", "libmfx-gen.so.1.2": nil,
        ])
        let backend = try Self.shipped("qsv.toml", host: host)
        var inventory = try Fixtures.inventory(Fixtures.twoNodes)
        inventory.ffmpegFilters = ["format", "hwupload", "scale"]
        inventory.ffmpegHWAccels = ["cuda", "vaapi", "qsv"]
        #expect(backend.availability(on: inventory) == .available("h264_qsv, hevc_qsv on /dev/dri/renderD129, from manifest qsv.toml"))
        let args = backend.arguments(for: Fixtures.request("hevc_qsv"), inventory: inventory)
        #expect(Array(args[5..<11]) == ["-init_hw_device", "vaapi=va:/dev/dri/renderD129", "-init_hw_device", "qsv=qs@va", "-filter_hw_device", "qs"])
        #expect(args.containsPair("-c:v", "hevc_qsv") && args.containsPair("-vf", "format=nv12,hwupload=extra_hw_frames=64"))
        // 4 s x 23.976 fps = 95.9: 96 frames per segment.
        #expect(args.containsPair("-g", "96") && args.containsPair("-keyint_min", "96") && !args.contains("-force_key_frames"))
    }

    @Test func qsvAndV4L2SayWhatIsMissingOnThisKindOfMachine() throws {
        var inventory = try Fixtures.inventory(Fixtures.noGPU)
        inventory.ffmpegEncoders += ["h264_v4l2m2m"]
        inventory.ffmpegFilters = ["format", "hwupload"]
        inventory.ffmpegHWAccels = ["vaapi", "qsv"]
        let qsv = try Self.shipped("qsv.toml", host: Self.bareHost).availability(on: inventory)
        #expect(qsv == .unavailable("no DRM render node matching /dev/dri/renderD* is driven by i915 or xe; render nodes here: none"))
        let v4l2 = try Self.shipped("v4l2m2m.toml", host: Self.bareHost).availability(on: inventory)
        #expect(v4l2 == .unavailable("no device node matches /dev/video* on this machine"))
        // An AMD card has a render node, but not Intel's.
        let amd = try Fixtures.inventory(Fixtures.amdRadeonsi)
        let onAMD = try Self.shipped("qsv.toml", host: HostFacts(devices: ["/dev/dri/renderD*": ["/dev/dri/renderD128"]])).availability(on: amd)
        #expect(onAMD.reason.hasPrefix("the inventory does not list FFmpeg's filters"), "recorded without filters: \(onAMD.reason)")
    }

    @Test func qsvWithoutTheRuntimeNamesBothLibraries() throws {
        var inventory = try Fixtures.inventory(Fixtures.intelIHD)
        inventory.ffmpegFilters = ["format", "hwupload"]
        inventory.ffmpegHWAccels = ["vaapi", "qsv"]
        var host = Self.bareHost
        host.devices["/dev/dri/renderD*"] = ["/dev/dri/renderD128"]
        let verdict = try Self.shipped("qsv.toml", host: host).availability(on: inventory)
        #expect(verdict.reason.hasPrefix("none of libmfxhw64.so.1, libmfx-gen.so.1.2 loads (libmfxhw64.so.1: cannot open"), "\(verdict.reason)")
        let noQSVBuild = try Self.shipped("qsv.toml", host: host).availability(on: Fixtures.bare)
        #expect(noQSVBuild == .unavailable("this FFmpeg build has no h264_qsv or hevc_qsv encoder"))
    }
}
