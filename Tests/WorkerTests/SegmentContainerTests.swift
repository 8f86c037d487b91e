import Foundation
import MediaProbe
import Testing
import TranscodeWire

/// What a segment or init file of each container is called, how it is served, and when
/// it is whole: a file caught while FFmpeg writes it must never pass.
@Suite struct SegmentContainerTests {
    /// A box: 32-bit size, type, payload.
    static func box(_ type: String, _ payload: [UInt8] = [0, 0, 0, 0]) -> [UInt8] {
        let size = UInt32(8 + payload.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8) + payload
    }

    @Test func namesTypesAndTheConfiguredValue() {
        #expect(SegmentName.of(12) == "segment12.ts" && SegmentName.of(12, in: .fmp4) == "segment12.m4s")
        #expect(SegmentName.number("segment12.ts") == 12 && SegmentName.number("segment12.m4s") == 12)
        for bad in ["segment.ts", "segment-1.ts", "segment+1.m4s", "segment1.mp4", "init.mp4", "Segment1.ts"] {
            #expect(SegmentName.number(bad) == nil, "\(bad)")
        }
        #expect(SegmentContainer.of(file: "init.mp4") == .fmp4 && SegmentContainer.of(file: "segment3.ts") == .ts)
        #expect(SegmentContainer.contentType(of: "segment3.m4s") == "video/iso.segment")
        #expect(SegmentContainer.contentType(of: "init.mp4") == "video/mp4" && SegmentContainer.contentType(of: "segment3.ts") == "video/mp2t")
        #expect(SegmentContainer(configured: nil) == .ts && SegmentContainer(configured: "fmp4") == .fmp4)
        #expect(SegmentContainer(configured: "") == nil && SegmentContainer(configured: "FMP4") == nil)
        #expect(SegmentContainer.ts.mapTag(query: "?sig=x") == nil)
        #expect(SegmentContainer.fmp4.mapTag(query: "?sig=x") == "#EXT-X-MAP:URI=\"init.mp4?sig=x\"")
    }

    @Test func onlyWholeFilesPass() {
        let media = Self.box("styp") + Self.box("moof", Array(repeating: 1, count: 40)) + Self.box("mdat", Array(repeating: 2, count: 500))
        #expect(SegmentContainer.isWhole(media, file: "segment1.m4s"))
        for cut in [1, 7, 8, 100, media.count - 1] {
            #expect(!SegmentContainer.isWhole(media.prefix(cut), file: "segment1.m4s"), "cut at \(cut)")
        }
        #expect(!SegmentContainer.isWhole(Self.box("styp") + Self.box("moof"), file: "segment1.m4s"), "a moof without its mdat")
        #expect(!SegmentContainer.isWhole(media, file: "segment1.ts"), "fMP4 bytes are no TS segment")
        let header = Self.box("ftyp") + Self.box("moov", Array(repeating: 3, count: 64))
        #expect(SegmentContainer.isWhole(header, file: "init.mp4") && !SegmentContainer.isWhole(header.dropLast(), file: "init.mp4"))
        let ts = [UInt8](repeating: 0x47, count: 188 * 3)
        #expect(SegmentContainer.isWhole(ts, file: "segment0.ts") && !SegmentContainer.isWhole(ts.dropLast(), file: "segment0.ts"))
        // A last box "to the end of the file" (size 0) is what a writer still at work leaves.
        #expect(!SegmentContainer.isWhole(Self.box("moof") + [0, 0, 0, 0] + Array("mdat".utf8) + [9, 9], file: "segment1.m4s"))
    }

    @Test func theH264CodecBytesOfAnInitSegment() {
        // avcC: version 1, High (0x64), no constraints, level 3.1 (0x1f).
        let initSegment = Self.box("ftyp") + Self.box("avcC", [1, 0x64, 0x00, 0x1F, 0xFF])
        let bytes = CodecString.avcConfiguration(inMP4: initSegment)
        #expect(bytes.map { CodecString.avc(profileIDC: $0.0, constraints: $0.1, levelIDC: $0.2) } == "avc1.64001f")
        #expect(CodecString.avcConfiguration(inMP4: Self.box("ftyp")) == nil)
    }
}
