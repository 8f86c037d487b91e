import Foundation
import ServiceSupport
import TranscodeBackend

/// Decides which paths a job may touch: sources inside the media roots, output folders
/// strictly inside the transcode root, after resolving `..` and symbolic links.
public struct PathPolicy: Sendable {
    /// Real paths of the media roots.
    public let mediaRoots: [String]
    /// Real path of the transcode root.
    public let transcodeRoot: String
    /// `--path-map`: where this worker mounts folders that requests name by another path.
    public let pathMaps: [PathMapping]

    /// Creates a policy; roots are resolved to real paths.
    public init(mediaRoots: [String], transcodeRoot: String, pathMaps: [PathMapping] = []) {
        self.mediaRoots = mediaRoots.map { Self.realPath($0) ?? $0 }
        self.transcodeRoot = Self.realPath(transcodeRoot) ?? transcodeRoot
        self.pathMaps = pathMaps
    }

    /// The real path of an existing regular file inside a media root, or a 403/422. A path
    /// under a `--path-map` FROM is translated first (the longest FROM wins), and the result
    /// is confined like any other; the errors then name both paths.
    public func source(_ path: String) throws -> String {
        // A NUL ends a C string: the file system would see a shorter path than the one checked.
        guard !path.contains("\0") else { throw APIError.badRequest("source_path must not contain a NUL character.") }
        guard path.hasPrefix("/") else {
            throw APIError.unprocessable("source_path must be an absolute path; got '\(path)'.")
        }
        let mapped = PathMapping.best(for: path, in: pathMaps)
        let local = mapped?.mapped ?? path
        let named = mapped.map { "'\(path)' (mapped to '\($0.mapped)' by --path-map \($0.mapping.flag))" } ?? "'\(path)'"
        guard let real = Self.realPath(local) else {
            throw APIError.unprocessable("source_path \(named) does not exist.")
        }
        guard mediaRoots.contains(where: { Self.isInside(real, $0, allowEqual: false) }) else {
            throw APIError.forbidden("source_path \(named) is outside the media roots (\(mediaRoots.joined(separator: ", "))).")
        }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw APIError.unprocessable("source_path \(named) is not a regular file.")
        }
        return real
    }

    /// The mappings whose TO lies in no media root: every path through them would be refused.
    public var mappingsOutsideRoots: [PathMapping] {
        pathMaps.filter { mapping in
            let target = Self.realPath(mapping.to) ?? mapping.to
            return !mediaRoots.contains { Self.isInside(target, $0, allowEqual: true) }
        }
    }

    /// The resolved output folder for a job: `output_path` if given, else `<root>/<job_id>`.
    /// It must lie strictly inside the transcode root; the parts that exist are resolved
    /// through symbolic links, the parts that don't may not contain `.` or `..`.
    public func output(_ path: String?, jobID: String) throws -> String {
        guard let path, !path.isEmpty else { return transcodeRoot + "/" + jobID }
        guard !path.contains("\0") else { throw APIError.badRequest("output_path must not contain a NUL character.") }
        guard path.hasPrefix("/") else {
            throw APIError.forbidden("output_path must be an absolute path inside \(transcodeRoot); got '\(path)'.")
        }
        // Resolve the longest prefix that exists (symbolic links and `..` included); what
        // follows does not exist yet and must be plain names.
        var missing = path.split(separator: "/").map(String.init)
        var existing: [String] = []
        while let next = missing.first, Self.realPath("/" + (existing + [next]).joined(separator: "/")) != nil {
            existing.append(missing.removeFirst())
        }
        if missing.contains(where: { $0 == "." || $0 == ".." }) {
            throw APIError.forbidden("output_path '\(path)' must not use '.' or '..' in folders that do not exist yet.")
        }
        let base = Self.realPath("/" + existing.joined(separator: "/")) ?? "/"
        let resolved = ([base == "/" ? "" : base] + missing).joined(separator: "/")
        guard Self.isInside(resolved, transcodeRoot, allowEqual: false) else {
            throw APIError.forbidden("output_path '\(path)' is not strictly inside the transcode root \(transcodeRoot).")
        }
        return resolved
    }

    /// Whether `path` lies inside `root` (component-wise, not by string prefix alone).
    public static func isInside(_ path: String, _ root: String, allowEqual: Bool) -> Bool {
        if path == root { return allowEqual }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix)
    }

    /// `realpath(3)`, or nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
