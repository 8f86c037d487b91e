import BackendRegistry
import ServiceSupport
import TranscodeBackend
import TranscodeWire

/// The backends of this build, which of them can run here, and how a job's encoder
/// request maps to one of them.
public struct BackendSelector: Sendable {
    /// What hwdetect found.
    public let inventory: HardwareInventory
    /// Every backend with its availability, best rank first.
    public let all: [(backend: any EncoderBackend, availability: Availability)]
    /// Encoders that failed their verification encode (`--verify-encoders`), with the reason.
    public let disabledEncoders: [String: String]

    /// Evaluates `backends` against the inventory. `disabledEncoders` maps `backend/encoder`
    /// to why it must not be used; a backend with none left counts as unavailable.
    public init(inventory: HardwareInventory, backends: [any EncoderBackend] = allBackends, disabledEncoders: [String: String] = [:]) {
        self.inventory = inventory
        self.disabledEncoders = disabledEncoders
        all = backends
            .sorted { $0.rank > $1.rank }
            .map { backend in
                var availability = backend.availability(on: inventory)
                let failed = backend.encoders.compactMap { disabledEncoders[Self.key(backend, $0)] }
                if availability.isAvailable, failed.count == backend.encoders.count, let reason = failed.first {
                    availability = .unavailable("verification encode failed: \(reason)")
                }
                return (backend, availability)
            }
    }

    /// Key of `disabledEncoders`.
    public static func key(_ backend: any EncoderBackend, _ encoder: String) -> String { "\(backend.id)/\(encoder)" }

    /// The encoders of a backend that may be used.
    public func usableEncoders(of backend: any EncoderBackend) -> [String] {
        backend.encoders.filter { disabledEncoders[Self.key(backend, $0)] == nil }
    }

    /// Backends that can run here, best first.
    public var available: [any EncoderBackend] { all.filter(\.availability.isAvailable).map(\.backend) }

    /// Encoder names this worker can run, best backend first, without repeats.
    public var encoders: [String] {
        var seen = Set<String>()
        return available.flatMap(usableEncoders).filter { seen.insert($0).inserted }
    }

    /// `hardware_acceleration` tags of the available backends.
    public var hardwareAPIs: [String] {
        var seen = Set<String>()
        return available.compactMap(\.hardwareAPI).filter { seen.insert($0).inserted }
    }

    /// The backend and encoder for a job: exactly the named encoder, or for `auto` the best
    /// available backend that makes `codec` (H.264: what every player plays) and suits the
    /// source, by output codec first, then rank. `candidates` defaults to the available ones;
    /// `plan` passes every backend.
    public func choose(
        encoder: String?, source: SourceInfo?, backendID: String? = nil, candidates: [any EncoderBackend]? = nil,
        codec: String = VideoCodec.playsEverywhere
    ) throws -> (backend: any EncoderBackend, encoder: String) {
        var pool = candidates ?? available
        if let backendID {
            pool = pool.filter { $0.id == backendID }
            guard !pool.isEmpty else {
                throw APIError.unprocessable("Backend '\(backendID)' is not available; backends: \(all.map(\.backend.id).joined(separator: ", ")).")
            }
        }
        let names = { (backend: any EncoderBackend) in candidates == nil ? usableEncoders(of: backend) : backend.encoders }
        if EncoderName.isAuto(encoder) {
            // Codec first: a backend that makes only HEVC never serves `auto`, whatever its rank.
            let makers = pool.compactMap { backend in
                names(backend).first { backend.outputCodec(of: $0) == codec }.map { (backend: backend, encoder: $0) }
            }
            guard let pick = makers.first(where: { pick in source.map { pick.backend.suits($0, on: inventory) } ?? true }) ?? makers.first else {
                throw APIError.unprocessable(
                    "No encoder backend here makes \(codec) for 'auto'\(pool.isEmpty ? "" : " (available encoders: \(encoders.joined(separator: ", ")); name one)"); see hwdetect for the reasons."
                )
            }
            return pick
        }
        let name = encoder ?? ""
        let offering = pool.filter { names($0).contains(name) }
        guard let backend = offering.first(where: { backend in source.map { backend.suits($0, on: inventory) } ?? true }) ?? offering.first else {
            let offered = Set(pool.flatMap(\.encoders)).sorted().joined(separator: ", ")
            let knownBy = all.filter { $0.backend.encoders.contains(name) }
            guard !knownBy.isEmpty else {
                throw APIError.unprocessable("Encoder '\(name)' is unknown: no backend of this worker drives it; available encoders: \(offered), or 'auto'.")
            }
            let why = knownBy.map { "\($0.backend.id): \(disabledEncoders[Self.key($0.backend, name)] ?? $0.availability.reason)" }
            throw APIError.unprocessable(
                "Encoder '\(name)' is not available on this worker (\(why.joined(separator: "; "))); available encoders: \(offered), or 'auto'."
            )
        }
        return (backend, name)
    }

    /// For an `auto` job whose backend failed before its first segment: the best available
    /// backend after it on other hardware (another session pool and device API: a second
    /// pipeline over the same chip would fail the same way) that makes `codec`, with its encoder.
    public func fallback(
        after failed: any EncoderBackend, source: SourceInfo, codec: String = VideoCodec.playsEverywhere
    ) -> (backend: any EncoderBackend, encoder: String)? {
        let pool = available
        guard let index = pool.firstIndex(where: { $0.id == failed.id }) else { return nil }
        // Nor one over the same device API (a decode-only pipeline after a full one): a missing or
        // broken device fails it the same way, and only one fallback is tried.
        let rest = pool[(index + 1)...].filter {
            $0.sessionPool != failed.sessionPool && ($0.hardwareAPI == nil || $0.hardwareAPI != failed.hardwareAPI)
        }
        let makers = rest.compactMap { backend in
            usableEncoders(of: backend).first { backend.outputCodec(of: $0) == codec }.map { (backend: backend, encoder: $0) }
        }
        return makers.first { $0.backend.suits(source, on: inventory) } ?? makers.first
    }

    /// GPU load for heartbeats: the busiest and hottest reading among the available
    /// backends' GPUs; nil where none can tell.
    public func gpuReading() -> GPUReading? {
        let readings = available.compactMap { $0.gpuReading(inventory: inventory) }
        guard !readings.isEmpty else { return nil }
        return GPUReading(usage: readings.compactMap(\.usage).max(), temperature: readings.compactMap(\.temperature).max())
    }
}
