import Foundation
import ServiceSupport

/// Decides which paths a job may touch: sources inside the media roots, output folders
/// strictly inside the transcode root, after resolving `..` and symbolic links.
public struct PathPolicy: Sendable {
    /// Real paths of the media roots.
    public let mediaRoots: [String]
    /// Real path of the transcode root.
    public let transcodeRoot: String

    /// Creates a policy; roots are resolved to real paths.
    public init(mediaRoots: [String], transcodeRoot: String) {
        self.mediaRoots = mediaRoots.map { Self.realPath($0) ?? $0 }
        self.transcodeRoot = Self.realPath(transcodeRoot) ?? transcodeRoot
    }

    /// The real path of an existing regular file inside a media root, or a 403/422.
    public func source(_ path: String) throws -> String {
        // A NUL ends a C string: the file system would see a shorter path than the one checked.
        guard !path.contains("\0") else { throw APIError.badRequest("source_path must not contain a NUL character.") }
        guard path.hasPrefix("/") else {
            throw APIError.unprocessable("source_path must be an absolute path; got '\(path)'.")
        }
        guard let real = Self.realPath(path) else {
            throw APIError.unprocessable("source_path '\(path)' does not exist.")
        }
        guard mediaRoots.contains(where: { Self.isInside(real, $0, allowEqual: false) }) else {
            throw APIError.forbidden("source_path '\(path)' is outside the media roots (\(mediaRoots.joined(separator: ", "))).")
        }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw APIError.unprocessable("source_path '\(path)' is not a regular file.")
        }
        return real
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
