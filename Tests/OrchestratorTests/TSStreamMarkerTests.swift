import Foundation
import ServiceSupport
import Testing

/// The marker for a segment relayed in pieces gives the bytes `markSegmentStart` gives the
/// whole, whatever the pieces.
@Suite struct TSStreamMarkerTests {
    func packet(pid: Int, cc: UInt8) -> [UInt8] {
        var p = [UInt8](repeating: UInt8(truncatingIfNeeded: pid &+ Int(cc)), count: 188)
        p[0] = 0x47
        p[1] = UInt8(pid >> 8) | 0x40
        p[2] = UInt8(pid & 0xFF)
        p[3] = 0x10 | cc
        return p
    }

    @Test func piecesOfWholePacketsAreMarkedAsTheWholeSegmentIs() {
        let pids = [0x0, 0x1000, 0x100, 0x101, 0x100, 0x1FFF, 0x101, 0x102, 0x100]
        let segment = Data(pids.enumerated().flatMap { packet(pid: $0.element, cc: UInt8($0.offset & 0x0F)) })
        let whole = TSDiscontinuity.markSegmentStart(segment)
        for piece in [1, 2, 4, pids.count] {
            var marker = TSDiscontinuity.StreamMarker()
            var out = Data()
            for start in stride(from: 0, to: pids.count, by: piece) {
                let range = (start * 188)..<(min(start + piece, pids.count) * 188)
                out.append(marker.mark(segment.subdata(in: range)))
            }
            #expect(out == whole, "in pieces of \(piece) packets")
        }
        // A segment that comes marked already passes unchanged.
        var again = TSDiscontinuity.StreamMarker()
        #expect(again.mark(whole) == whole)
    }
}

/// Whole units of a segment being read while written.
@Suite struct SegmentUnitsTests {
    @Test func tsPacketsAreWholeAt188Bytes() {
        let units = TSPackets()
        #expect(units.wholePrefix(of: Data(count: 187)) == 0)
        #expect(units.wholePrefix(of: Data(count: 188)) == 188)
        #expect(units.wholePrefix(of: Data(count: 32768)) == 32768 - 32768 % 188)
        #expect(HLSResponse.units(of: "segment3.ts") is TSPackets)
        #expect(HLSResponse.units(of: "index.m3u8") == nil)
    }
}
