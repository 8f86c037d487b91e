import Foundation
import NVIDIAInventory
import TestSupport
import Testing
import TranscodeBackend

/// The inventory keeps vendor sections as the probe printed them, and hands each backend its own.
@Suite struct InventorySectionsTests {
    @Test(arguments: RecordedInventories.all.map(\.name))
    func everyRecordingSurvivesARoundTrip(name: String) throws {
        let json = try #require(RecordedInventories.all.first { $0.name == name }?.json)
        let inventory = try Fixtures.inventory(json)
        let again = try JSONDecoder().decode(HardwareInventory.self, from: JSONEncoder().encode(inventory))
        #expect(again == inventory)
        #expect(inventory.sections["nvidia"] != nil)
    }

    @Test func theNVIDIASectionDecodesWithAndWithoutTheNewKeys() throws {
        let old = try Fixtures.inventory(Fixtures.nvidiaDesktop).nvidia
        #expect(old.devices.first?.name == "NVIDIA GeForce RTX 3060")
        #expect(old.devices.first?.nvenc == nil && old.probeError == nil)
        let probed = try Fixtures.inventory(Fixtures.rtx4070).nvidia
        let codecs = probed.devices.first?.nvenc?.codecs ?? []
        #expect(codecs.map(\.name) == ["h264", "hevc", "av1"])
        #expect(codecs.first?.maxBFrames == 4 && codecs.first?.lookahead == true && codecs.first?.tenBit == false)
        #expect(probed.devices.first?.encoderSessions == 0 && probed.devices.first?.encoderCapacity == 100)
        #expect(probed.devices.first?.nvdec?.decodes(codec: "hevc", bitDepth: 12) == true)
    }

    @Test func unknownSectionsAreKeptAndAMissingOneMeansNoDriver() throws {
        let json = #"{"cpu": {"model": "x", "threads": 1}, "ffmpeg_encoders": [], "drm_devices": [], "vaapi": [], "acme": {"cores": 3, "ok": true}}"#
        let inventory = try Fixtures.inventory(json)
        #expect(inventory.sections["acme"] == .object(["cores": .integer(3), "ok": .bool(true)]))
        #expect(inventory.nvidia == NVIDIAInfo())
        #expect(!inventory.nvidia.cudaAvailable)
        let printed = String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)
        #expect(printed.contains(#""acme":{"#), "\(printed)")
    }

    @Test func aSectionOfAnotherShapeIsNil() throws {
        struct Other: Decodable { var cores: String }
        let json = #"{"cpu": {"model": "x", "threads": 1}, "ffmpeg_encoders": [], "drm_devices": [], "vaapi": [], "acme": {"cores": 3}}"#
        #expect(try Fixtures.inventory(json).section("acme", as: Other.self) == nil)
    }
}
