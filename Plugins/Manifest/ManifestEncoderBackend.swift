import TranscodeBackend

/// A backend defined by a manifest: just another `EncoderBackend` value, whose arguments
/// fill the same `FFmpegCommand` slots as a compiled backend's.
public struct ManifestEncoderBackend: EncoderBackend {
    /// The validated manifest.
    public let manifest: BackendManifest
    /// This machine's devices and libraries, as probed when the manifest was loaded.
    public let host: HostFacts

    /// Creates the backend.
    public init(manifest: BackendManifest, host: HostFacts) {
        self.manifest = manifest
        self.host = host
    }

    public var id: String { manifest.id }
    public var encoders: [String] { manifest.encoders }
    public var hardwareAPI: String? { manifest.hardwareAPI }
    public var rank: Int { manifest.rank }
    public var sessionCapacity: Int? { manifest.sessionCapacity }
    public var sessionPool: String { manifest.sessionPool ?? manifest.id }
    public var requiresVerification: Bool { manifest.requirements.verify }
    public var pictureFeatures: PictureFeatures { manifest.features }

    /// The device for `{device}`: the first match of the rule (only render nodes hwdetect saw
    /// with an allowed driver, when the rule names drivers); nil when none exists.
    public func device(in inventory: HardwareInventory) -> String? {
        guard let rule = manifest.device else { return nil }
        let matches = rule.paths.flatMap(host.matches)
        guard !rule.drmDrivers.isEmpty else { return matches.first }
        let allowed = Set(inventory.drmDevices.filter { rule.drmDrivers.contains($0.driver ?? "") }.compactMap(\.renderNode))
        return matches.first(where: allowed.contains)
    }

    /// The command: `-c:v <encoder>` and the manifest's fragments with their placeholders
    /// filled, in `FFmpegCommand`'s slots. Without a device (only `plan` on a machine that
    /// lacks it) `{device}` becomes the rule's first path, so the list stays well formed.
    public func arguments(for request: EncodeRequest, inventory: HardwareInventory) -> [String] {
        let values = Placeholders.values(for: request, device: device(in: inventory) ?? manifest.device?.paths.first)
        let slots = manifest.arguments
        var command = FFmpegCommand()
        command.inputOptions = slots.input.map { Placeholders.fill($0, with: values) }
        let filter = slots.videoFilter.map { Placeholders.fill($0, with: values) }
        if PictureFeatures(needsOf: request).isEmpty {
            command.videoFilter = filter
        } else {
            // Only requests the manifest's `features` allow get here (`supports`).
            PictureFilters.fill(&command, for: request, after: filter)
        }
        command.videoCodec = ["-c:v", request.encoder] + slots.codec.map { Placeholders.fill($0, with: values) }
        switch slots.keyframes {
        case .forced: command.keyframes = FFmpegCommand.forcedKeyframes(for: request)
        case .gop: command.keyframes = FFmpegCommand.fixedGOP(every: request.segmentSeconds, frameRate: request.source.frameRate)
        }
        return command.arguments(for: request)
    }
}
