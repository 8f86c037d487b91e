#if canImport(Glibc)
import Glibc
#endif

/// What this machine has of the device nodes and libraries that manifests require, taken
/// once when the manifests are loaded: availability and arguments stay pure functions of
/// the manifest, these facts and the inventory, and tests hand in facts of their own.
public struct HostFacts: Sendable, Equatable {
    /// Each device glob with the paths that matched it (none: empty).
    public var devices: [String: [String]]
    /// Each library with nil when it loaded, else the loader's message.
    public var libraryErrors: [String: String?]

    /// Facts given as values.
    public init(devices: [String: [String]] = [:], libraryErrors: [String: String?] = [:]) {
        self.devices = devices
        self.libraryErrors = libraryErrors
    }

    /// Paths matching `pattern`, as recorded.
    public func matches(_ pattern: String) -> [String] { devices[pattern] ?? [] }

    /// Nil when `library` loaded; else why not.
    public func loadError(_ library: String) -> String? {
        guard let recorded = libraryErrors[library] else { return "\(library) was not probed" }
        return recorded
    }

    /// Probes this machine for what `manifests` require: `glob` for devices, `dlopen` for libraries.
    public static func probe(for manifests: [BackendManifest]) -> HostFacts {
        var facts = HostFacts()
        for manifest in manifests {
            for pattern in manifest.device?.paths ?? [] where facts.devices[pattern] == nil {
                facts.devices[pattern] = glob(pattern)
            }
            for library in manifest.requirements.libraries + manifest.requirements.oneOfLibraries where facts.libraryErrors[library] == nil {
                facts.libraryErrors[library] = .some(load(library))
            }
        }
        return facts
    }

    /// Sorted paths matching a glob; none when nothing matches.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// Nil when the library loads (it is closed again), else dlerror's message.
    static func load(_ library: String) -> String? {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            return dlerror().map { String(cString: $0) } ?? "cannot load \(library)"
        }
        dlclose(handle)
        return nil
    }
}
