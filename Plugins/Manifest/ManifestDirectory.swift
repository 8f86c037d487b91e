import Foundation
import TranscodeBackend

/// Every manifest of a `--backends-dir`, loaded at start-up: the backends that passed and,
/// for each file that did not, the sentence that says why. One bad file never stops the others.
public struct ManifestDirectory: Sendable {
    /// The default `--backends-dir`.
    public static let defaultPath = "/etc/transcode/backends.d"

    /// Backends built from valid manifests, in file-name order.
    public var backends: [ManifestEncoderBackend]
    /// Files refused, in file-name order.
    public var refusals: [ManifestRefusal]

    /// Reads every `*.toml` in `path` (a missing folder holds no manifests). `takenIDs` are
    /// the compiled backends' ids, which no manifest may reuse; `host` probes this machine
    /// for what the manifests require (tests pass recorded facts).
    public static func load(
        _ path: String, takenIDs: [String], host: ([BackendManifest]) -> HostFacts = HostFacts.probe(for:)
    ) -> ManifestDirectory {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .init(backends: [], refusals: []) }
        guard isDirectory.boolValue else {
            return .init(backends: [], refusals: [ManifestRefusal(file: path, key: nil, fault: "--backends-dir must be a folder of *.toml files, not a file")])
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        var manifests: [BackendManifest] = []
        var refusals: [ManifestRefusal] = []
        var owners = Dictionary(uniqueKeysWithValues: takenIDs.map { ($0, "a compiled backend") })
        for name in names where !name.hasPrefix(".") && !name.hasPrefix("README") {
            let file = (path as NSString).appendingPathComponent(name)
            guard name.hasSuffix(".toml") else {
                refusals.append(ManifestRefusal(file: file, key: nil, fault: "not read: only *.toml files in --backends-dir are manifests"))
                continue
            }
            do {
                let manifest = try parse(file: file)
                if let owner = owners[manifest.id] {
                    throw ManifestRefusal(file: file, key: "id", fault: "'\(manifest.id)' is already the id of \(owner); ids must be unique")
                }
                owners[manifest.id] = file
                manifests.append(manifest)
            } catch let refusal as ManifestRefusal {
                refusals.append(refusal)
            } catch {
                refusals.append(ManifestRefusal(file: file, key: nil, fault: "\(error)"))
            }
        }
        let facts = host(manifests)
        return .init(backends: manifests.map { ManifestEncoderBackend(manifest: $0, host: facts) }, refusals: refusals)
    }

    /// Reads and parses one file.
    public static func parse(file: String) throws(ManifestRefusal) -> BackendManifest {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ManifestRefusal(file: file, key: nil, fault: "cannot be read (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ManifestRefusal(file: file, key: nil, fault: "malformed: not UTF-8 text")
        }
        return try ManifestParser.parse(text, file: file)
    }
}
