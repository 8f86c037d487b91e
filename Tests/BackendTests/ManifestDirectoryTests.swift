import ManifestBackend
import Testing
import TestSupport

/// A folder of manifests: good ones load, each bad one is refused alone, ids never clash.
@Suite struct ManifestDirectoryTests {
    static let compiledIDs = ["cuda", "nvenc", "vaapi", "x264"]

    static func manifest(id: String, encoder: String = "libx265") -> String {
        "id = \"\(id)\"\nencoders = [\"\(encoder)\"]\nrank = 1\n[arguments]\nkeyframes = \"forced\"\n"
    }

    @Test func anIDClashWithACompiledBackendOrAnEarlierFileIsRefused() throws {
        let sandbox = try Sandbox("manifests")
        let folder = try Manifests.folder([
            "a.toml": Self.manifest(id: "hevc"),
            "b.toml": Self.manifest(id: "hevc"),
            "c.toml": Self.manifest(id: "x264", encoder: "libx264"),
        ], in: sandbox)
        let loaded = ManifestDirectory.load(folder, takenIDs: Self.compiledIDs) { _ in HostFacts() }
        #expect(loaded.backends.map(\.id) == ["hevc"])
        #expect(loaded.refusals.map(\.description) == [
            "\(folder)/b.toml: key 'id': 'hevc' is already the id of \(folder)/a.toml; ids must be unique.",
            "\(folder)/c.toml: key 'id': 'x264' is already the id of a compiled backend; ids must be unique.",
        ])
    }

    @Test func aBadFileCostsOnlyItself() throws {
        let sandbox = try Sandbox("manifests")
        let folder = try Manifests.folder([
            "good.toml": Self.manifest(id: "good"),
            "broken.toml": "id = [",
            "notes.txt": "not a manifest",
            ".hidden.toml": "ignored",
        ], in: sandbox)
        let loaded = ManifestDirectory.load(folder, takenIDs: Self.compiledIDs) { _ in HostFacts() }
        #expect(loaded.backends.map(\.id) == ["good"])
        #expect(loaded.refusals.map(\.file) == ["\(folder)/broken.toml", "\(folder)/notes.txt"])
        #expect(loaded.refusals.first?.fault.hasPrefix("malformed TOML at line 1") == true)
        #expect(loaded.refusals.last?.fault == "not read: only *.toml files in --backends-dir are manifests")
    }

    @Test func aMissingFolderHoldsNoManifests() {
        let loaded = ManifestDirectory.load("/nonexistent/backends.d", takenIDs: Self.compiledIDs)
        #expect(loaded.backends.isEmpty && loaded.refusals.isEmpty)
    }

    @Test func theShippedManifestsAllLoad() {
        let loaded = ManifestDirectory.load(Manifests.shippedFolder, takenIDs: Self.compiledIDs)
        #expect(loaded.refusals.isEmpty, "\(loaded.refusals)")
        #expect(Set(loaded.backends.map(\.id)) == ["x265", "qsv", "v4l2m2m"])
    }
}
