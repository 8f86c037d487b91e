import BackendRegistry
import ManifestBackend
import Testing
import TestSupport
import TranscodeBackend

/// A remux copies the streams: every backend, compiled or manifest, produces the software
/// remux list with no device options, because `FFmpegCommand` drops them itself.
@Suite struct RemuxTests {
    /// Every compiled backend and every shipped manifest, each with its first encoder.
    static let backends: [any EncoderBackend] = allBackends
        + ManifestDirectory.load(Manifests.shippedFolder, takenIDs: allBackends.map(\.id)) { _ in HostFacts() }.backends
    static let ids = backends.map(\.id)

    static func backend(_ id: String) throws -> any EncoderBackend {
        try #require(backends.first { $0.id == id })
    }

    @Test func everyShippedManifestTakesPart() {
        #expect(Set(["x265", "qsv", "v4l2m2m"]).isSubset(of: Set(Self.ids)))
    }

    @Test(arguments: ids)
    func remuxFromTheStart(id: String) throws {
        let backend = try Self.backend(id)
        let inventory = try Fixtures.inventory(Fixtures.twoNodes)
        let args = backend.arguments(for: Fixtures.request(try #require(backend.encoders.first), remux: true), inventory: inventory)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "0", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-c:v", "copy", "-c:a", "copy",
        ] + Fixtures.hls(start: 0))
    }

    @Test(arguments: ids)
    func remuxWithSeek(id: String) throws {
        let backend = try Self.backend(id)
        let args = backend.arguments(for: Fixtures.request(try #require(backend.encoders.first), start: 5, remux: true), inventory: Fixtures.bare)
        #expect(args == [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", "20", "-i", "/media/film.mkv", "-map", "0:v:0", "-map", "0:a:0?",
            "-c:v", "copy", "-c:a", "copy",
        ] + Fixtures.hls(start: 20))
    }
}
