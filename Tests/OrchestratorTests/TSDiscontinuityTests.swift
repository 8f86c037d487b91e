import Foundation
import ServiceSupport
import Testing

/// The continuity marker the orchestrator puts at the start of every relayed segment.
@Suite struct TSDiscontinuityTests {
    /// A payload packet of `pid` with continuity counter `cc`.
    func packet(pid: Int, cc: UInt8) -> [UInt8] {
        var p = [UInt8](repeating: 0xAB, count: 188)
        p[0] = 0x47
        p[1] = UInt8(pid >> 8) | 0x40
        p[2] = UInt8(pid & 0xFF)
        p[3] = 0x10 | cc
        return p
    }

    @Test func eachPIDGetsOneAdaptationOnlyMarkerCarryingThePreviousCounter() {
        let segment = Data(packet(pid: 0x100, cc: 0) + packet(pid: 0x101, cc: 7) + packet(pid: 0x100, cc: 1) + packet(pid: 0x1FFF, cc: 0))
        let marked = [UInt8](TSDiscontinuity.markSegmentStart(segment))
        #expect(marked.count == segment.count + 2 * 188)
        // Marker for 0x100, its first packet, marker for 0x101, ...; the null PID gets none.
        let pids = stride(from: 0, to: marked.count, by: 188).map { (Int(marked[$0 + 1] & 0x1F) << 8) | Int(marked[$0 + 2]) }
        #expect(pids == [0x100, 0x100, 0x101, 0x101, 0x100, 0x1FFF])
        for (offset, counter) in [(0, UInt8(15)), (2 * 188, UInt8(6))] {
            #expect(marked[offset + 3] == 0x20 | counter, "adaptation only, the counter before the first payload packet")
            #expect(marked[offset + 4] == 183 && marked[offset + 5] == 0x80, "discontinuity_indicator set")
        }
        // Marking twice changes nothing; what is not whole TS packets is left alone.
        #expect(TSDiscontinuity.markSegmentStart(Data(marked)) == Data(marked))
        #expect(TSDiscontinuity.markSegmentStart(Data(segment.prefix(300))) == Data(segment.prefix(300)))
    }
}
