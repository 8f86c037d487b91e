import Testing
import TranscodeBackend
import VAAPIBackend

/// VA-API's exact command lines: the render node comes from the inventory, never a constant.
@Suite struct VAAPIArgumentsTests {
    @Test func transcodeOnTheDetectedNode() throws {
        let inventory = try Fixtures.inventory(Fixtures.twoNodes)
        let args = VAAPIBackend().arguments(for: Fixtures.request("h264_vaapi"), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-init_hw_device", "vaapi=va:/dev/dri/renderD129", "-filter_hw_device", "va",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=nv12,hwupload",
            "-c:v", "h264_vaapi", "-rc_mode", "VBR", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)",
        ] + Fixtures.audioAndHLS(start: 0))
    }

    @Test func seekWithHEVCOnAMD() throws {
        let inventory = try Fixtures.inventory(Fixtures.amdRadeonsi)
        let args = VAAPIBackend().arguments(for: Fixtures.request("hevc_vaapi", start: 5), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-init_hw_device", "vaapi=va:/dev/dri/renderD128", "-filter_hw_device", "va",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", "format=nv12,hwupload",
            "-c:v", "hevc_vaapi", "-rc_mode", "VBR", "-b:v", "4000000", "-maxrate", "4000000", "-bufsize", "8000000",
            "-force_key_frames", "expr:gte(t,n_forced*4)",
        ] + Fixtures.audioAndHLS(start: 20))
    }

    @Test func renderNodeFallsBackToDRMThenLastResort() throws {
        // A display that encodes the codec wins over list order.
        let two = try Fixtures.inventory(Fixtures.twoNodes)
        #expect(VAAPIDetection.renderNode(for: "hevc", in: two) == "/dev/dri/renderD129")
        // No display encodes: the first DRM render node (the list stays well formed).
        let nvidia = try Fixtures.inventory(Fixtures.nvidiaDesktop)
        #expect(VAAPIDetection.renderNode(for: "h264", in: nvidia) == "/dev/dri/renderD128")
        var swapped = HardwareInventory(cpu: CPUInfo(model: "test", threads: 2), ffmpegEncoders: [])
        swapped.drmDevices = [
            DRMDevice(renderNode: nil, vendorID: nil, deviceID: nil, driver: "simpledrm"),
            DRMDevice(renderNode: "/dev/dri/renderD130", vendorID: 0x8086, deviceID: nil, driver: "i915"),
        ]
        #expect(VAAPIDetection.renderNode(for: "h264", in: swapped) == "/dev/dri/renderD130")
        // Nothing at all: only `plan` on a bare machine gets the last resort.
        #expect(VAAPIDetection.renderNode(for: "h264", in: Fixtures.bare) == VAAPIDetection.lastResortNode)
    }
}
