import Foundation

/// Writes a Blu-ray PGS subtitle stream (`.sup`): the bitmap source that FFmpeg can turn into
/// another bitmap format (its encoders cannot draw text into pictures). Each cue is one solid
/// rectangle of palette colour 1 near the bottom of the frame, shown from `start` to `end`.
public enum PGSWriter {
    /// One picture on screen.
    public struct Cue: Sendable {
        public var start: Double
        public var end: Double
        public init(start: Double, end: Double) {
            self.start = start
            self.end = end
        }
    }

    /// The `.sup` bytes for a `width` x `height` video.
    public static func stream(cues: [Cue], width: Int, height: Int, box: (width: Int, height: Int) = (240, 48)) -> Data {
        var out = Data()
        let x = (width - box.width) / 2, y = height - box.height - height / 10
        for (number, cue) in cues.enumerated() {
            let shown = pts(cue.start), cleared = pts(cue.end)
            // Epoch start: composition with one object, its window, palette and bitmap.
            segment(&out, 0x16, shown, composition(width, height, number: number * 2, objects: [(x, y)]))
            segment(&out, 0x17, shown, window(x, y, box.width, box.height))
            segment(&out, 0x14, shown, palette())
            segment(&out, 0x15, shown, object(box.width, box.height))
            segment(&out, 0x80, shown, Data())
            // Clear: a composition without objects.
            segment(&out, 0x16, cleared, composition(width, height, number: number * 2 + 1, objects: []))
            segment(&out, 0x17, cleared, window(x, y, box.width, box.height))
            segment(&out, 0x80, cleared, Data())
        }
        return out
    }

    static func pts(_ seconds: Double) -> UInt32 { UInt32((seconds * 90_000).rounded()) }

    static func segment(_ out: inout Data, _ type: UInt8, _ pts: UInt32, _ body: Data) {
        out.append(contentsOf: [0x50, 0x47])
        be32(&out, pts)
        be32(&out, 0)
        out.append(type)
        be16(&out, body.count)
        out.append(body)
    }

    static func composition(_ width: Int, _ height: Int, number: Int, objects: [(Int, Int)]) -> Data {
        var d = Data()
        be16(&d, width)
        be16(&d, height)
        d.append(0x10)  // frame rate code
        be16(&d, number)
        d.append(objects.isEmpty ? 0x00 : 0x80)  // normal (clear) or epoch start
        d.append(0x00)  // palette update flag
        d.append(0x00)  // palette id
        d.append(UInt8(objects.count))
        for (x, y) in objects {
            be16(&d, 0)  // object id
            d.append(0x00)  // window id
            d.append(0x00)  // not cropped
            be16(&d, x)
            be16(&d, y)
        }
        return d
    }

    static func window(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Data {
        var d = Data([0x01, 0x00])
        be16(&d, x)
        be16(&d, y)
        be16(&d, w)
        be16(&d, h)
        return d
    }

    /// Palette 0: entry 0 transparent, entry 1 opaque yellow (Y, Cr, Cb, A).
    static func palette() -> Data {
        Data([0x00, 0x00, 0x00, 16, 128, 128, 0x00, 0x01, 210, 146, 16, 255])
    }

    /// A `w` x `h` bitmap of colour 1, run-length coded line by line.
    static func object(_ w: Int, _ h: Int) -> Data {
        var rle = Data()
        for _ in 0..<h {
            // 0x00, 0b11LLLLLL LLLLLLLL, colour: a run of L pixels of that colour; 0x00 0x00 ends the line.
            rle.append(contentsOf: [0x00, UInt8(0xC0 | (w >> 8)), UInt8(w & 0xFF), 0x01, 0x00, 0x00])
        }
        var d = Data()
        be16(&d, 0)  // object id
        d.append(0x00)  // version
        d.append(0xC0)  // first and last fragment
        let length = rle.count + 4
        d.append(contentsOf: [UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)])
        be16(&d, w)
        be16(&d, h)
        d.append(rle)
        return d
    }

    static func be16(_ d: inout Data, _ v: Int) { d.append(contentsOf: [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }
    static func be32(_ d: inout Data, _ v: UInt32) {
        d.append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
