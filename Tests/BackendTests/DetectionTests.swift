import BackendRegistry
import ManifestBackend
import NVIDIAInventory
import TestSupport
import Testing
import TranscodeBackend

/// Every registered backend's verdict on recorded inventories of real machine types.
@Suite struct DetectionTests {
    /// Each backend's availability on the inventory, by id.
    static func verdicts(_ json: String) throws -> [String: Availability] {
        let inventory = try Fixtures.inventory(json)
        return Dictionary(uniqueKeysWithValues: allBackends.map { ($0.id, $0.availability(on: inventory)) })
    }

    /// The ids of the available backends, best rank first.
    static func available(_ verdicts: [String: Availability]) -> [String] {
        allBackends.sorted { $0.rank > $1.rank }.map(\.id).filter { verdicts[$0]?.isAvailable == true }
    }

    /// What every registered backend must satisfy, whichever backends the registry holds.
    @Test func everyRegisteredBackendKeepsTheContract() {
        #expect(Set(allBackends.map(\.id)).count == allBackends.count, "ids are unique")
        #expect(allBackends.contains { $0.hardwareAPI == nil }, "a software backend is always registered")
        for backend in allBackends {
            #expect(!backend.id.isEmpty && backend.id == backend.id.lowercased(), "\(backend.id)")
            #expect(!backend.encoders.isEmpty, "\(backend.id)")
            for encoder in backend.encoders {
                #expect(ManifestParser.encoderFault(encoder) == nil, "\(backend.id): \(encoder) is <codec>_<api> or known software")
            }
            #expect(backend.hardwareAPI.map { !$0.isEmpty } ?? true, "\(backend.id)")
        }
    }

    @Test func nvidiaDesktop() throws {
        let v = try Self.verdicts(Fixtures.nvidiaDesktop)
        #expect(Self.available(v).starts(with: ["cuda", "nvenc"]) && Self.available(v).contains("x264"))
        #expect(v["vaapi"]?.isAvailable == false)
        // Recorded before hwdetect opened a session: NVENC and NVDEC are on paper (library, codec table).
        #expect(v["cuda-decode"]?.reason == "NVDEC on NVIDIA GeForce RTX 3060, driver 550.54.14 (codec table): libx264")
        #expect(v["nvenc"]?.reason == "NVENC on NVIDIA GeForce RTX 3060, driver 550.54.14: h264_nvenc, hevc_nvenc")
        #expect(v["cuda"]?.reason == "NVDEC + NVENC on NVIDIA GeForce RTX 3060, driver 550.54.14: h264_nvenc, hevc_nvenc")
        #expect(v["vaapi"]?.reason == "vaInitialize failed on /dev/dri/renderD128: unknown libva error")
    }

    @Test func intelIHD() throws {
        let v = try Self.verdicts(Fixtures.intelIHD)
        #expect(v["vaapi"]?.isAvailable == true && v["x264"]?.isAvailable == true)
        #expect(v["vaapi"]?.reason == "VA-API on /dev/dri/renderD128 (Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()): h264_vaapi, hevc_vaapi")
        let noDriver = "no NVIDIA driver: cannot load libcuda.so.1: libcuda.so.1: cannot open shared object file: No such file or directory"
        #expect(v["nvenc"]?.reason == noDriver)
        #expect(v["cuda"]?.reason == noDriver)
        #expect(v["cuda-decode"]?.reason == noDriver)
    }

    @Test func amdRadeonsi() throws {
        let v = try Self.verdicts(Fixtures.amdRadeonsi)
        #expect(v["vaapi"]?.isAvailable == true && v["nvenc"]?.isAvailable == false && v["cuda"]?.isAvailable == false)
        #expect(v["vaapi"]?.reason.hasPrefix("VA-API on /dev/dri/renderD128 (Mesa Gallium driver 22.3.6 for AMD Radeon RX 6700 XT") == true)
        #expect(v["vaapi"]?.reason.hasSuffix("h264_vaapi, hevc_vaapi") == true)
    }

    @Test func twoRenderNodesPickTheOneThatEncodes() throws {
        let v = try Self.verdicts(Fixtures.twoNodes)
        #expect(v["vaapi"]?.isAvailable == true && v["nvenc"]?.isAvailable == false)
        // CUDA works on the GTX 1660 without the encode library: NVDEC can still decode for x264.
        #expect(v["cuda-decode"]?.isAvailable == true)
        #expect(v["vaapi"]?.reason.hasPrefix("VA-API on /dev/dri/renderD129 (Intel iHD") == true)
        let missing = "libnvidia-encode.so.1 is missing: install the NVIDIA encode library of the driver's version"
            + " (cannot load libnvidia-encode.so.1: libnvidia-encode.so.1: cannot open shared object file: No such file or directory)"
        #expect(v["nvenc"]?.reason == missing)
        #expect(v["cuda"]?.reason == missing)
    }

    @Test func noGPULeavesOnlySoftware() throws {
        let v = try Self.verdicts(Fixtures.noGPU)
        #expect(Self.available(v) == allBackends.filter { $0.hardwareAPI == nil }.map(\.id), "only software without a GPU")
        #expect(v["x264"]?.reason == "libx264 in this FFmpeg build")
        #expect(v["vaapi"]?.reason == "no VA-API render node found")
        #expect(v["nvenc"]?.reason.hasPrefix("no NVIDIA driver: cannot load libcuda.so.1") == true)
        #expect(v["cuda"]?.reason.hasPrefix("no NVIDIA driver: cannot load libcuda.so.1") == true)
    }

    @Test func everyReasonIsASentenceThatNamesTheCause() throws {
        for (_, json) in RecordedInventories.all {
            for (id, verdict) in try Self.verdicts(json) {
                #expect(verdict.reason.count > 20, "\(id): \(verdict.reason)")
                #expect(!verdict.reason.contains("not implemented"), "\(id): \(verdict.reason)")
                #expect(verdict.reason != "available" && verdict.reason != "unavailable", "\(id)")
            }
        }
    }

    @Test func encodersMissingFromTheBuild() {
        let inventory = HardwareInventory(cpu: CPUInfo(model: "test", threads: 2), ffmpegEncoders: [])
        let reasons = Dictionary(uniqueKeysWithValues: allBackends.map { ($0.id, $0.availability(on: inventory)) })
        #expect(reasons["x264"] == .unavailable("this FFmpeg build has no libx264 encoder"))
        #expect(reasons["nvenc"] == .unavailable("this FFmpeg build has no h264_nvenc or hevc_nvenc encoder"))
        #expect(reasons["cuda"] == .unavailable("this FFmpeg build has no h264_nvenc or hevc_nvenc encoder"))
        #expect(reasons["vaapi"] == .unavailable("this FFmpeg build has no h264_vaapi or hevc_vaapi encoder"))
        #expect(reasons["cuda-decode"] == .unavailable("this FFmpeg build has no libx264 encoder"))
    }

    @Test func driverWithoutGPUsOrEncodeEntrypoints() throws {
        var inventory = try Fixtures.inventory(Fixtures.nvidiaDesktop)
        inventory.nvidia.devices = []
        inventory.vaapi = [VAAPIDevice(renderNode: "/dev/dri/renderD128", vendor: "VA-API NVDEC driver [direct backend]", encodeCodecs: [])]
        let nvenc = allBackends.first { $0.id == "nvenc" }!.availability(on: inventory)
        let vaapi = allBackends.first { $0.id == "vaapi" }!.availability(on: inventory)
        #expect(nvenc == .unavailable("the NVIDIA driver is loaded but CUDA finds no GPU"))
        #expect(vaapi == .unavailable(
            "VA driver VA-API NVDEC driver [direct backend] on /dev/dri/renderD128 has no H.264/HEVC encode entrypoint"))
        inventory.nvidia.cudaAvailable = false
        inventory.nvidia.cudaError = "cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)"
        #expect(allBackends.first { $0.id == "cuda" }!.availability(on: inventory) == .unavailable(
            "the NVIDIA driver cannot run CUDA: cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)"))
    }
}
