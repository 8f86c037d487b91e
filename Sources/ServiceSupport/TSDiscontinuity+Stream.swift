import Foundation

extension TSDiscontinuity {
    /// `markSegmentStart` for a segment that arrives in pieces of whole packets: the same
    /// bytes in the end, put out as they come. Once a piece is not TS (or the segment comes
    /// marked already) the rest passes unchanged.
    public struct StreamMarker: Sendable {
        private var seen = Set<Int>()
        private var started = false
        private var passThrough = false

        public init() {}

        /// `packets` (whole 188-byte packets) with the markers they need.
        public mutating func mark(_ packets: Data) -> Data {
            let bytes = [UInt8](packets)
            if !started {
                started = true
                passThrough = isMarker(bytes, at: 0)
            }
            guard !passThrough, bytes.count % packetSize == 0 else {
                passThrough = true
                return packets
            }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + packetSize)
            var offset = 0
            while offset < bytes.count {
                guard bytes[offset] == 0x47 else {
                    passThrough = true
                    out += bytes[offset...]
                    break
                }
                let pid = (Int(bytes[offset + 1] & 0x1F) << 8) | Int(bytes[offset + 2])
                if pid != nullPID, seen.insert(pid).inserted {
                    let counter = bytes[offset + 3] & 0x0F
                    let hasPayload = bytes[offset + 3] & 0x10 != 0
                    out += marker(pid: pid, counter: hasPayload ? (counter &+ 15) & 0x0F : counter)
                }
                out += bytes[offset..<(offset + packetSize)]
                offset += packetSize
            }
            return Data(out)
        }
    }
}
