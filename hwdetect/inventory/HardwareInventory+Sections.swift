import Foundation

/// Vendor sections: every top-level key of the probe's JSON that `HardwareInventory` does
/// not model itself is kept in `sections`, and a backend reads its own with
/// `section(_:as:)`. So vendor knowledge (what NVENC said, say) lives beside that vendor's
/// backends, and the shared inventory holds vendor-neutral facts only.
extension HardwareInventory {
    /// The vendor section under `key` decoded as `T`; nil when absent or of another shape.
    public func section<T: Decodable>(_ key: String, as type: T.Type) -> T? {
        guard let value = sections[key], let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    /// Stores `value` as the vendor section under `key` (recorded inventories, tests).
    public mutating func setSection<T: Encodable>(_ key: String, _ value: T) throws {
        let data = try JSONEncoder().encode(value)
        sections[key] = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes the modelled keys, and keeps every other top-level key as a section.
    public init(from decoder: any Decoder) throws {
        let known = try decoder.container(keyedBy: CodingKeys.self)
        // Each stored property is assigned here: a new one without a default fails to compile
        // until it is decoded too.
        cpu = try known.decode(CPUInfo.self, forKey: .cpu)
        ffmpegEncoders = try known.decode([String].self, forKey: .ffmpegEncoders)
        drmDevices = try known.decode([DRMDevice].self, forKey: .drmDevices)
        vaapi = try known.decode([VAAPIDevice].self, forKey: .vaapi)
        ffmpegFilters = try known.decodeIfPresent([String].self, forKey: .ffmpegFilters)
        ffmpegHWAccels = try known.decodeIfPresent([String].self, forKey: .ffmpegHWAccels)
        sections = [:]
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            sections[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
        }
    }

    /// Encodes the modelled keys and the sections side by side, as the probe printed them.
    public func encode(to encoder: any Encoder) throws {
        var known = encoder.container(keyedBy: CodingKeys.self)
        try known.encode(cpu, forKey: .cpu)
        try known.encode(ffmpegEncoders, forKey: .ffmpegEncoders)
        try known.encode(drmDevices, forKey: .drmDevices)
        try known.encode(vaapi, forKey: .vaapi)
        try known.encodeIfPresent(ffmpegFilters, forKey: .ffmpegFilters)
        try known.encodeIfPresent(ffmpegHWAccels, forKey: .ffmpegHWAccels)
        var all = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in sections where CodingKeys(stringValue: key) == nil {
            try all.encode(value, forKey: AnyKey(stringValue: key))
        }
    }
}
