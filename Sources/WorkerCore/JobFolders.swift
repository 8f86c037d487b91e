import MediaProbe
import Foundation

/// Creates, clears and removes job output folders, never anything outside the transcode root.
struct JobFolders: Sendable {
    /// Real path of the transcode root.
    let root: String
    /// File that marks a folder as a job folder, so a restarted worker knows what is stale.
    static let marker = ".transcode-job"

    /// Makes `path` an empty job folder (creating it and missing parents).
    func prepare(_ path: String) throws {
        precondition(PathPolicy.isInside(path, root, allowEqual: false), "job folder outside the transcode root")
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CocoaError(.fileWriteFileExists) }
            for entry in try fm.contentsOfDirectory(atPath: path) {
                try fm.removeItem(atPath: path + "/" + entry)
            }
        } else {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        fm.createFile(atPath: path + "/" + Self.marker, contents: Data())
    }

    /// Removes the job folder and any parents left empty, up to (not including) the root.
    func remove(_ path: String) {
        guard PathPolicy.isInside(path, root, allowEqual: false) else { return }
        try? FileManager.default.removeItem(atPath: path)
        var parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        while PathPolicy.isInside(parent, root, allowEqual: false), rmdir(parent) == 0 {
            parent = URL(fileURLWithPath: parent).deletingLastPathComponent().path
        }
    }

    /// Job folders left by an earlier run of the worker: marked folders anywhere under the root.
    func stale() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let entry = walker.nextObject() as? String {
            if entry.hasSuffix("/" + Self.marker) {
                found.append(root + "/" + entry.dropLast(Self.marker.count + 1))
            }
        }
        return found
    }
}
