import TranscodeWire

/// Reads the heartbeat every worker sends most of the time, in one pass over the bytes:
/// plain JSON objects with the seed's keys, numbers without exponents, strings without
/// escapes, `jobs` absent, null or empty. For anything else (a key it does not know, an
/// escape, a jobs list, a number it would have to guess at) it gives nil and `JSONDecoder`
/// reads the body, so it never reads a body differently: it only reads the common one sooner
/// (JSONDecoder was 17 % of the orchestrator's time at 10,000 workers).
enum HeartbeatReader {
    /// The heartbeat, or nil to leave the body to `JSONDecoder`.
    static func read(_ bytes: UnsafeRawBufferPointer) -> Heartbeat? {
        var reader = Reader(bytes: bytes)
        guard let beat = reader.heartbeat(), reader.atEnd else { return nil }
        return beat
    }

    /// The keys an object had so far (a duplicate is JSONDecoder's to judge): five at most,
    /// as many as the seed's objects have, kept inline (no allocation per heartbeat).
    private struct Keys {
        var slots: (String?, String?, String?, String?, String?)

        init() { slots = (nil, nil, nil, nil, nil) }

        mutating func first(_ key: String) -> Bool {
            let s = slots
            if s.0 == key || s.1 == key || s.2 == key || s.3 == key || s.4 == key { return false }
            if s.0 == nil { slots.0 = key } else if s.1 == nil { slots.1 = key } else if s.2 == nil { slots.2 = key }
            else if s.3 == nil { slots.3 = key } else if s.4 == nil { slots.4 = key } else { return false }
            return true
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return i == bytes.count
            }
        }

        mutating func heartbeat() -> Heartbeat? {
            var status: WorkerStatus?
            var telemetry = Telemetry(cpuUsage: nil, gpuUsage: nil, ramFreeBytes: nil, tempC: nil)
            var context: JobContext?
            var jobs: [WorkerJob]?
            var seen = Keys()
            let ok = object { reader, key in
                guard seen.first(key) else { return false }
                switch key {
                case "status":
                    guard let raw = reader.string() else { return false }
                    status = WorkerStatus(rawValue: raw.uppercased()) ?? .busy
                case "telemetry":
                    if reader.null() { return true }
                    guard let value = reader.telemetry() else { return false }
                    telemetry = value
                case "job_context":
                    if reader.null() { return true }
                    guard let value = reader.jobContext() else { return false }
                    context = value
                case "jobs":
                    if reader.null() { return true }
                    guard reader.take(UInt8(ascii: "[")), reader.take(UInt8(ascii: "]")) else { return false }
                    jobs = []
                default:
                    return false
                }
                return true
            }
            guard ok, let status else { return nil }
            return Heartbeat(status: status, telemetry: telemetry, jobContext: context, jobs: jobs)
        }

        mutating func telemetry() -> Telemetry? {
            var t = Telemetry(cpuUsage: nil, gpuUsage: nil, ramFreeBytes: nil, tempC: nil)
            var seen = Keys()
            let ok = object { reader, key in
                guard seen.first(key) else { return false }
                switch key {
                case "cpu_usage": return reader.optional(&t.cpuUsage) { $0.double() }
                case "gpu_usage": return reader.optional(&t.gpuUsage) { $0.double() }
                case "temp_c": return reader.optional(&t.tempC) { $0.double() }
                case "gpu_temp_c": return reader.optional(&t.gpuTempC) { $0.double() }
                case "ram_free_bytes": return reader.optional(&t.ramFreeBytes) { $0.integer() }
                default: return false
                }
            }
            return ok ? t : nil
        }

        mutating func jobContext() -> JobContext? {
            var c = JobContext(activeJobID: nil, progress: nil, speed: nil, lastSegmentID: nil)
            var seen = Keys()
            let ok = object { reader, key in
                guard seen.first(key) else { return false }
                switch key {
                case "active_job_id": return reader.optional(&c.activeJobID) { $0.string() }
                case "progress": return reader.optional(&c.progress) { $0.double() }
                case "speed": return reader.optional(&c.speed) { $0.string() }
                case "last_segment_id":
                    var n: Int64?
                    guard reader.optional(&n, { $0.integer() }) else { return false }
                    c.lastSegmentID = n.map(Int.init)
                    return true
                default: return false
                }
            }
            return ok ? c : nil
        }

        /// `null` (nil) or what `read` reads; false when neither.
        mutating func optional<T>(_ value: inout T?, _ read: (inout Reader) -> T?) -> Bool {
            if null() { value = nil; return true }
            guard let read = read(&self) else { return false }
            value = read
            return true
        }

        /// `{ "key": value, ... }`, each value read by `member`; false on anything else.
        mutating func object(_ member: (inout Reader, String) -> Bool) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            if take(UInt8(ascii: "}")) { return true }
            while true {
                guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
            return true
        }

        mutating func null() -> Bool {
            skipSpace()
            guard i + 4 <= bytes.count, bytes[i] == UInt8(ascii: "n"), bytes[i + 1] == UInt8(ascii: "u"),
                  bytes[i + 2] == UInt8(ascii: "l"), bytes[i + 3] == UInt8(ascii: "l")
            else { return false }
            i += 4
            return true
        }

        /// A string of printable ASCII without escapes.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                guard bytes[i] >= 0x20, bytes[i] < 0x7F, bytes[i] != UInt8(ascii: "\\") else { return nil }
                i += 1
            }
            guard i < bytes.count else { return nil }
            defer { i += 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        /// `-?(0|[1-9][0-9]*)`, with `(\.[0-9]+)?` when `fraction`; the text of it, at most 32 bytes.
        mutating func numberText(fraction: Bool) -> String? {
            skipSpace()
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            let digits = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            guard i > digits, !(bytes[digits] == UInt8(ascii: "0") && i - digits > 1) else { return nil }
            if fraction, i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let decimals = i
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > decimals else { return nil }
            }
            // An exponent or anything else glued on: not for this reader.
            if i < bytes.count, [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: ".")].contains(bytes[i]) { return nil }
            guard i - start <= 32 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        mutating func double() -> Double? { numberText(fraction: true).flatMap { Double($0) } }

        mutating func integer() -> Int64? { numberText(fraction: false).flatMap { Int64($0) } }
    }
}
