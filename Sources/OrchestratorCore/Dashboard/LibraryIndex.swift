import Foundation

/// The files under the orchestrator's `--media-root` folders, for the dashboard's library.
/// Confined as on the worker: symbolic links are resolved, and a file whose real path lies
/// outside its root is not listed.
struct LibraryIndex: Sendable {
    /// One file a job can be started on.
    struct Entry: Codable, Sendable, Equatable {
        var path: String
        var size: Int64
    }

    /// Real paths of the roots (symbolic links resolved).
    let roots: [String]
    /// At most this many files are listed, so a huge share cannot stall the page.
    static let limit = 5000

    init(roots: [String]) {
        self.roots = roots.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path }
    }

    /// Regular, non-hidden files under the roots, sorted by path.
    func entries() -> [Entry] {
        var result: [Entry] = []
        for root in roots {
            let base = URL(fileURLWithPath: root, isDirectory: true)
            guard let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [.skipsHiddenFiles]
            ) else { continue }
            for case let url as URL in walker {
                guard result.count < Self.limit else { break }
                let real = url.resolvingSymlinksInPath().standardizedFileURL
                guard Self.contains(root, real.path),
                      let values = try? real.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true
                else { continue }
                result.append(Entry(path: url.standardizedFileURL.path, size: Int64(values.fileSize ?? 0)))
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Whether `path` lies strictly inside `root`.
    static func contains(_ root: String, _ path: String) -> Bool {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix)
    }
}
