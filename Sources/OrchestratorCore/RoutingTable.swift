import TranscodeWire

/// The routing view of the pool: one small slot per worker in a contiguous array, so that a
/// decision over 10,000 workers scans plain numbers instead of copying every worker record.
///
/// A decision picks a live worker that offers the encoder (for `auto`, an H.264 one) and is under its
/// `max_jobs`; IDLE before BUSY, STRESSED and ERROR only when nothing else fits; for `auto`, then
/// a worker with a hardware H.264 encoder before one with only software; then the fewest active
/// jobs, then the earliest registered.
struct RoutingTable: Sendable {
    /// Plain numbers only, so that scanning copies no reference-counted field.
    struct Slot: Sendable {
        /// Bits of the encoder names it offers (interned).
        var encoders: UInt64
        /// For a worker that sent no `encoders`: bits of its API families.
        var families: UInt64
        /// Nanoseconds after `origin` (an Instant here would make every copy of a slot go
        /// through the value witness table: `ContinuousClock.Instant` is resilient).
        var lastHeartbeat: Int64
        var maxJobs: Int32
        /// 0 IDLE, 1 BUSY, 2 STRESSED, 3 ERROR, 4 OFFLINE.
        var preference: UInt8
        /// Has names past the 64 interned ones (rare), checked one by one in `extraEncoders`.
        var hasExtraEncoders: Bool
        /// Draining: live (still swept when silent) but not eligible for new jobs.
        var draining = false
        /// Bits of the encoders whose backend tone-maps, and of those that burn in subtitles
        /// (both kinds); every bit for a worker that reports no backend features.
        var toneMap = UInt64.max
        var burnIn = UInt64.max
        /// Offers a hardware-named H.264 encoder (`EncoderName.isHardwareNamed`), or is seed-only
        /// with an API family (it offers `h264_<api>`): preferred for `auto`.
        var hardwareH264 = false
    }

    /// Picture work a job needs of the backend that runs it.
    struct Needs: OptionSet, Sendable {
        let rawValue: UInt8
        static let toneMap = Needs(rawValue: 1)
        static let burnIn = Needs(rawValue: 2)
    }

    private let origin = ContinuousClock.now

    private func nanos(_ instant: ContinuousClock.Instant) -> Int64 {
        let d = instant - origin
        return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    private(set) var slots: [Slot] = []
    /// Worker id of each slot.
    private var ids: [String] = []
    private var extraEncoders: [Int: [String]] = [:]
    private var slotOf: [String: Int] = [:]
    private var encoderBits = BitNames()
    private var familyBits = BitNames()
    /// Every encoder name a registered worker has ever offered, and the API families of
    /// seed-only workers: what the pool knows. Never shrinks (an offline worker may come back).
    private var everOffered: Set<String> = []
    private var everFamilies: Set<String> = []
    /// Bits of the interned names that make H.264 (`VideoCodec`): an `auto` job goes only to a
    /// worker with one of them, since `auto` makes H.264.
    private var h264Bits: UInt64 = 0

    static func preference(_ status: WorkerStatus) -> UInt8 {
        switch status {
        case .idle: 0
        case .busy: 1
        case .stressed: 2
        case .error: 3
        case .offline: 4
        }
    }

    /// The status of a preference number (the inverse of `preference(_:)`).
    static func status(preference: Int) -> WorkerStatus {
        [WorkerStatus.idle, .busy, .stressed, .error, .offline][min(max(preference, 0), 4)]
    }

    /// Adds or replaces a worker's slot.
    mutating func upsert(_ worker: WorkerRecord) {
        var slot = Slot(
            encoders: 0, families: 0, lastHeartbeat: nanos(worker.lastHeartbeat),
            maxJobs: Int32(clamping: worker.maxJobs ?? Int(Int32.max)), preference: Self.preference(worker.status), hasExtraEncoders: false
        )
        var extra: [String] = []
        for name in worker.specs.encoders ?? ["libx264"] {
            if let bit = encoderBits.intern(name) {
                slot.encoders |= bit
                if VideoCodec.of(encoder: name) == VideoCodec.playsEverywhere { h264Bits |= bit }
            } else {
                extra.append(name)
            }
            everOffered.insert(name)
        }
        slot.hardwareH264 = worker.specs.encoders.map {
            $0.contains { VideoCodec.of(encoder: $0) == VideoCodec.playsEverywhere && EncoderName.isHardwareNamed($0) }
        } ?? !worker.specs.hardwareAcceleration.isEmpty
        if worker.specs.encoders == nil {
            for family in worker.specs.hardwareAcceleration {
                slot.families |= familyBits.intern(family) ?? 0
                everFamilies.insert(family)
            }
        }
        slot.hasExtraEncoders = !extra.isEmpty
        slot.draining = worker.draining
        setFeatures(of: &slot, from: worker.specs.backends)
        let index: Int
        if let existing = slotOf[worker.id] {
            index = existing
            slots[index] = slot
        } else {
            index = slots.count
            slotOf[worker.id] = index
            slots.append(slot)
            ids.append(worker.id)
        }
        extraEncoders[index] = extra.isEmpty ? nil : extra
    }

    /// Per-feature encoder bits from the available backends that report their features. A
    /// worker that reports none (seed-only, or older) is assumed able: its own check still
    /// refuses a job its backend cannot do, with a 422 that says so.
    private func setFeatures(of slot: inout Slot, from backends: [BackendSummary]?) {
        let reporting = (backends ?? []).filter { $0.available && $0.features != nil && $0.encoders != nil }
        guard !reporting.isEmpty else { return }
        slot.toneMap = 0
        slot.burnIn = 0
        for backend in reporting {
            let features = backend.features ?? []
            let toneMaps = features.contains(BackendSummary.toneMap)
            let burnsIn = BackendSummary.burnIn.allSatisfy(features.contains)
            for name in backend.encoders ?? [] {
                // Names past the 64 interned ones are not checked (rare): the worker refuses.
                guard let bit = encoderBits.bit(name) else { continue }
                if toneMaps { slot.toneMap |= bit }
                if burnsIn { slot.burnIn |= bit }
            }
        }
    }

    /// Records a status, and the time of a heartbeat when there was one.
    mutating func setStatus(_ id: String, _ status: WorkerStatus, heartbeat: ContinuousClock.Instant? = nil) {
        guard let index = slotOf[id] else { return }
        slots[index].preference = Self.preference(status)
        if let heartbeat { slots[index].lastHeartbeat = nanos(heartbeat) }
    }

    /// Marks a worker draining (no new job) or eligible again.
    mutating func setDraining(_ id: String, _ draining: Bool) {
        guard let index = slotOf[id] else { return }
        slots[index].draining = draining
    }

    /// Live workers whose last heartbeat is older than `deadline`.
    func silent(since deadline: ContinuousClock.Instant) -> [String] {
        let limit = nanos(deadline)
        return slots.indices.filter { slots[$0].preference < 4 && slots[$0].lastHeartbeat < limit }.map { ids[$0] }
    }

    /// Live workers whose last heartbeat is at or after `instant`.
    func heard(since instant: ContinuousClock.Instant) -> [String] {
        let limit = nanos(instant)
        return slots.indices.filter { slots[$0].preference < 4 && slots[$0].lastHeartbeat >= limit }.map { ids[$0] }
    }

    /// Workers by preference (0 IDLE ... 4 OFFLINE), and how many are draining: plain numbers,
    /// so that a scrape of a pool of 10,000 copies no record.
    func statusCounts() -> (byPreference: [Int], draining: Int) {
        var counts = [Int](repeating: 0, count: 5)
        var draining = 0
        slots.withUnsafeBufferPointer { slots in
            for slot in slots {
                counts[Int(slot.preference)] += 1
                if slot.draining { draining += 1 }
            }
        }
        return (counts, draining)
    }

    /// Whether the worker in slot `index` offers `encoder` (nil or `auto`: an H.264 encoder).
    private func offers(_ slot: Slot, at index: Int, encoder: String?, bit: UInt64, familyBit: UInt64) -> Bool {
        guard let encoder else {
            return slot.encoders & h264Bits != 0
                || (extraEncoders[index]?.contains { VideoCodec.of(encoder: $0) == VideoCodec.playsEverywhere } ?? false)
        }
        if slot.encoders & bit != 0 || slot.families & familyBit != 0 { return true }
        return slot.hasExtraEncoders && (extraEncoders[index]?.contains(encoder) ?? false)
    }

    /// The id of the best worker for `encoder`, or nil when none fits. With `needs`, only a
    /// worker whose backend for that encoder (any, for `auto`) can do them.
    func choose(encoder requested: String?, activeJobs: [String: Int], excluding: Set<String> = [], needs: Needs = []) -> String? {
        let encoder = EncoderName.isAuto(requested) ? nil : requested
        let bit = encoder.flatMap(encoderBits.bit) ?? 0
        // An encoder matched by family or past the interned names has no bit: not checked here.
        let featureBit = encoder == nil ? UInt64.max : bit
        let toneMapBit = needs.contains(.toneMap) ? featureBit : 0
        let burnInBit = needs.contains(.burnIn) ? featureBit : 0
        let familyBit = encoder.flatMap { familyBits.bit(WorkerRecord.family(of: $0)) } ?? 0
        var active = [Int32](repeating: 0, count: activeJobs.isEmpty ? 0 : slots.count)
        for (id, count) in activeJobs { if let index = slotOf[id] { active[index] = Int32(clamping: count) } }
        var best = -1
        var bestPreference = UInt8.max
        var bestJobs = Int32.max
        // For `auto`: 0 for a worker with a hardware H.264 encoder, 1 for one with only software.
        var bestSoftware: UInt8 = 1
        let anyEncoder = encoder == nil
        slots.withUnsafeBufferPointer { slots in
            for index in slots.indices {
                let slot = slots[index]
                guard slot.preference < 4, !slot.draining, slot.preference <= bestPreference else { continue }
                guard (anyEncoder && slot.encoders & h264Bits != 0) || slot.encoders & bit != 0 || slot.families & familyBit != 0
                    || (slot.hasExtraEncoders && offers(slot, at: index, encoder: encoder, bit: bit, familyBit: familyBit))
                else { continue }
                guard toneMapBit == 0 || slot.toneMap & toneMapBit != 0, burnInBit == 0 || slot.burnIn & burnInBit != 0 else { continue }
                let jobs = active.isEmpty ? 0 : active[index]
                let software: UInt8 = anyEncoder && !slot.hardwareH264 ? 1 : 0
                guard jobs < slot.maxJobs, slot.preference < bestPreference || software < bestSoftware
                    || (software == bestSoftware && jobs < bestJobs) else { continue }
                if !excluding.isEmpty && excluding.contains(ids[index]) { continue }
                best = index
                bestPreference = slot.preference
                bestSoftware = software
                bestJobs = jobs
            }
        }
        return best >= 0 ? ids[best] : nil
    }

    /// Whether a job for `encoder` can ever run here: a name some registered worker has offered
    /// (by name, or by API family for a seed-only worker), or for `auto` any H.264 encoder. With
    /// no worker registered yet nothing is known either way, and the answer is true (wait, 503).
    func knows(encoder requested: String?) -> Bool {
        guard !slots.isEmpty else { return true }
        guard !EncoderName.isAuto(requested), let encoder = requested else {
            return everOffered.contains { VideoCodec.of(encoder: $0) == VideoCodec.playsEverywhere }
        }
        return everOffered.contains(encoder) || everFamilies.contains(WorkerRecord.family(of: encoder))
    }

    /// "No live worker can run encoder 'E' now; the pool offers: libx264 (2)." For an encoder
    /// no registered worker ever offered (`knows` false): "No worker has ever offered ...".
    func refusal(encoder requested: String?) -> String {
        let encoder = EncoderName.isAuto(requested) ? "auto" : requested ?? ""
        var encoderCounts = [Int](repeating: 0, count: 64)
        var familyCounts = [Int](repeating: 0, count: 64)
        var extra: [String: Int] = [:]
        var live = 0
        slots.withUnsafeBufferPointer { slots in
            for index in slots.indices where slots[index].preference < 4 && !slots[index].draining {
                let slot = slots[index]
                live += 1
                Self.count(slot.encoders, into: &encoderCounts)
                Self.count(slot.families, into: &familyCounts)
                if slot.hasExtraEncoders { for name in extraEncoders[index] ?? [] { extra[name, default: 0] += 1 } }
            }
        }
        guard live > 0 else {
            if !knows(encoder: requested) {
                return "No worker has ever offered encoder '\(encoder)', so no job for it can run; the pool has no live workers (\(slots.count) registered)."
            }
            return "No live worker can run encoder '\(encoder)': the pool has no live workers (\(slots.count) registered)."
        }
        var counts = extra
        for (bit, n) in encoderCounts.enumerated() where n > 0 { counts[encoderBits.name(bit), default: 0] += n }
        for (bit, n) in familyCounts.enumerated() where n > 0 {
            for codec in ["h264", "hevc"] { counts["\(codec)_\(familyBits.name(bit))", default: 0] += n }
        }
        let offers = counts.keys.sorted().map { "\($0) (\(counts[$0] ?? 0))" }.joined(separator: ", ")
        guard knows(encoder: requested) else {
            return "No worker has ever offered encoder '\(encoder)', so no job for it can run; the pool offers: \(offers), or 'auto'."
        }
        let capable = encoder == "auto"
            ? counts.keys.contains { VideoCodec.of(encoder: $0) == VideoCodec.playsEverywhere } : counts[encoder] != nil
        let full = capable ? " Every worker that offers it is at its job limit." : ""
        return "No live worker can run encoder '\(encoder)' now; the pool offers: \(offers).\(full)"
    }

    private static func count(_ mask: UInt64, into counts: inout [Int]) {
        var rest = mask
        while rest != 0 {
            counts[rest.trailingZeroBitCount] += 1
            rest &= rest - 1
        }
    }
}

/// Names interned to bits of a 64-bit mask.
struct BitNames: Sendable {
    private var bits: [String: UInt64] = [:]
    private var names: [String] = []

    /// The name's bit, assigning the next free one; nil once 64 are taken.
    mutating func intern(_ name: String) -> UInt64? {
        if let bit = bits[name] { return bit }
        guard names.count < 64 else { return nil }
        let bit = UInt64(1) << UInt64(names.count)
        bits[name] = bit
        names.append(name)
        return bit
    }

    /// The name of bit number `index`.
    func name(_ index: Int) -> String { names[index] }

    /// The name's bit, if it has one.
    func bit(_ name: String) -> UInt64? { bits[name] }
}
