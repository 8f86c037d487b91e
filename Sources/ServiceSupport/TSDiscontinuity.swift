import Foundation

/// Marks the start of an MPEG-TS segment as a legal continuity break.
///
/// Each run of FFmpeg numbers the 4-bit continuity counters of its packets from its own
/// start, so where a player goes from one run's segment to another's (a failover, an
/// on-demand restart) the counters jump and demuxers drop or flag packets ("Packet corrupt").
/// Before the first packet of each PID this puts one adaptation-only packet whose
/// discontinuity_indicator allows the jump (ISO/IEC 13818-1 2.4.3.5). It carries no payload,
/// so it changes no timestamp and no counter that follows.
public enum TSDiscontinuity {
    static let packetSize = 188
    static let nullPID = 0x1FFF

    /// The segment with a marker before each PID's first packet; unchanged when it is not
    /// whole TS packets or is already marked.
    public static func markSegmentStart(_ segment: Data) -> Data {
        let bytes = [UInt8](segment)
        guard !bytes.isEmpty, bytes.count % packetSize == 0, !isMarker(bytes, at: 0) else { return segment }
        var seen = Set<Int>()
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 4 * packetSize)
        var offset = 0
        while offset < bytes.count {
            guard bytes[offset] == 0x47 else { return segment }
            let pid = (Int(bytes[offset + 1] & 0x1F) << 8) | Int(bytes[offset + 2])
            if pid != nullPID, seen.insert(pid).inserted {
                let counter = bytes[offset + 3] & 0x0F
                let hasPayload = bytes[offset + 3] & 0x10 != 0
                // An adaptation-only packet does not advance the counter: it carries the one
                // the next payload packet follows.
                out += marker(pid: pid, counter: hasPayload ? (counter &+ 15) & 0x0F : counter)
            }
            out += bytes[offset..<(offset + packetSize)]
            offset += packetSize
        }
        return Data(out)
    }

    /// An adaptation-only packet: discontinuity_indicator set, the rest stuffing.
    static func marker(pid: Int, counter: UInt8) -> [UInt8] {
        var packet = [UInt8](repeating: 0xFF, count: packetSize)
        packet[0] = 0x47
        packet[1] = UInt8((pid >> 8) & 0x1F)
        packet[2] = UInt8(pid & 0xFF)
        packet[3] = 0x20 | counter
        packet[4] = UInt8(packetSize - 5)
        packet[5] = 0x80
        return packet
    }

    static func isMarker(_ bytes: [UInt8], at offset: Int) -> Bool {
        bytes.count >= offset + 6 && bytes[offset] == 0x47 && bytes[offset + 3] & 0x30 == 0x20
            && bytes[offset + 4] == UInt8(packetSize - 5) && bytes[offset + 5] == 0x80
    }
}
