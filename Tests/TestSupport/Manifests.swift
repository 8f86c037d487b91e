import Foundation

/// The repository's shipped manifests (`backends.d/`) and folders of manifests for tests.
public enum Manifests {
    /// The repository root, from this file's place in it.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `backends.d/` of the repository.
    public static var shippedFolder: String { repositoryRoot.appendingPathComponent("backends.d").path }

    /// The text of a shipped manifest, e.g. `x265.toml`.
    public static func shipped(_ name: String) throws -> String {
        try String(contentsOfFile: shippedFolder + "/" + name, encoding: .utf8)
    }

    /// A new folder under `sandbox` holding `files` (name -> text), as a user would drop them.
    public static func folder(_ files: [String: String], in sandbox: Sandbox, name: String = "backends.d") throws -> String {
        let folder = sandbox.root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (file, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(file)) }
        return folder.path
    }
}
