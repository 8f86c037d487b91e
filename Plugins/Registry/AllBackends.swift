import CUDABackend
import CUDADecodeBackend
import ManifestBackend
import NVENCBackend
import TranscodeBackend
import VAAPIBackend
import X264Backend

/// Every encoder backend compiled into this build, like FFmpeg's allcodecs.c.
/// Adding a compiled backend: its folder under Plugins/, one Package.swift entry, one line here.
/// Adding one without a build: a manifest in `--backends-dir` (docs/backends.md).
public let allBackends: [any EncoderBackend] = [
    CUDABackend(),
    NVENCBackend(),
    VAAPIBackend(),
    CUDADecodeBackend(),
    X264Backend(),
]

/// The compiled backends plus the manifests of a backends folder, and the manifests refused.
public struct BackendCatalog: Sendable {
    /// Compiled backends first, then the manifests that passed.
    public var backends: [any EncoderBackend]
    /// Why each refused manifest was refused, one sentence each.
    public var refusals: [ManifestRefusal]

    /// Loads the manifests of `backendsDir` (nil: none) beside `compiled`.
    public init(backendsDir: String?, compiled: [any EncoderBackend] = allBackends) {
        let manifests = backendsDir.map { ManifestDirectory.load($0, takenIDs: compiled.map(\.id)) }
        backends = compiled + (manifests?.backends ?? [])
        refusals = manifests?.refusals ?? []
    }
}
