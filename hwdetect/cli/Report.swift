import Foundation
import HWProbe
import ManifestBackend
import TranscodeBackend

/// Why the probe's JSON could not be turned into a `HardwareInventory`.
struct ProbeError: Error, CustomStringConvertible {
    /// A sentence for the error JSON.
    let description: String
}

/// Runs the C probe and decodes its JSON.
func probeInventory() throws -> HardwareInventory {
    guard let raw = hwprobe_inventory_json() else {
        throw ProbeError(description: "hwprobe_inventory_json returned no JSON (out of memory)")
    }
    defer { hwprobe_free(raw) }
    let json = Data(bytes: raw, count: strlen(raw))
    do {
        return try JSONDecoder().decode(HardwareInventory.self, from: json)
    } catch {
        let text = String(decoding: json, as: UTF8.self)
        throw ProbeError(description: "the probe's JSON does not decode as HardwareInventory: \(error); JSON: \(text)")
    }
}

/// Decodes an inventory recorded earlier with `hwdetect --inventory-only`.
func loadInventory(from path: String) throws -> HardwareInventory {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ProbeError(description: "cannot read \(path)")
    }
    do {
        return try JSONDecoder().decode(HardwareInventory.self, from: data)
    } catch {
        throw ProbeError(description: "\(path) does not decode as HardwareInventory: \(error)")
    }
}

/// Everything `hwdetect` prints: the inventory and every backend's verdict on it.
struct DetectionReport: Encodable {
    /// What the probe found.
    let inventory: HardwareInventory
    /// Every registered backend, in registration order, then the manifests that passed.
    let backends: [BackendReport]
    /// Every manifest of `--backends-dir` that was refused, with the sentence why.
    let refusedManifests: [RefusalReport]
    /// The `--path-map` mappings given, as the worker registers them (absent when none).
    let pathMaps: [PathMapping]?

    enum CodingKeys: String, CodingKey {
        case inventory, backends
        case refusedManifests = "refused_manifests"
        case pathMaps = "path_maps"
    }
}

/// One refused manifest: file, key and the whole sentence.
struct RefusalReport: Encodable {
    let file: String
    let key: String?
    let reason: String

    init(_ refusal: ManifestRefusal) {
        file = refusal.file
        key = refusal.key
        reason = refusal.description
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(key, forKey: .key) // null for a fault of the whole file
        try container.encode(reason, forKey: .reason)
    }

    enum CodingKeys: String, CodingKey { case file, key, reason }
}

/// One backend as `hwdetect` shows it.
struct BackendReport: Encodable {
    let id: String
    let encoders: [String]
    let hardwareAPI: String?
    let rank: Int
    let available: Bool
    let reason: String
    /// The manifest file of a backend defined as data; nil for a compiled one.
    let manifest: String?

    enum CodingKeys: String, CodingKey {
        case id, encoders, rank, available, reason, manifest
        case hardwareAPI = "hardware_api"
    }

    /// Describes `backend` as it judges `inventory`.
    init(_ backend: any EncoderBackend, on inventory: HardwareInventory) {
        let availability = backend.availability(on: inventory)
        id = backend.id
        encoders = backend.encoders
        hardwareAPI = backend.hardwareAPI
        rank = backend.rank
        available = availability.isAvailable
        reason = availability.reason
        manifest = (backend as? ManifestEncoderBackend)?.manifest.file
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(encoders, forKey: .encoders)
        try container.encode(hardwareAPI, forKey: .hardwareAPI) // null for software, not omitted
        try container.encode(rank, forKey: .rank)
        try container.encode(available, forKey: .available)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(manifest, forKey: .manifest)
    }
}

/// Prints pretty JSON with sorted keys to stdout.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints `{"error": message}` to stdout and exits with status 1.
func failWithJSON(_ message: String) -> Never {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(["error": message])) ?? Data(#"{"error": "hwdetect failed"}"#.utf8)
    print(String(decoding: data, as: UTF8.self))
    exit(1)
}
