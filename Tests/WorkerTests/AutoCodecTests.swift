import BackendRegistry
import Foundation
import ManifestBackend
import Testing
import TestSupport
import TranscodeBackend
import WorkerCore

/// `auto` means what every player plays (H.264), chosen by output codec first, then rank,
/// with the shipped x265 manifest installed as `scripts/install` installs it.
@Suite struct AutoCodecTests {
    static func backend(_ text: String, file: String) throws -> ManifestEncoderBackend {
        ManifestEncoderBackend(manifest: try ManifestParser.parse(text, file: file), host: HostFacts())
    }

    static func selector(_ backends: [any EncoderBackend], disabled: [String: String] = [:]) throws -> BackendSelector {
        let inventory = try JSONDecoder().decode(HardwareInventory.self, from: Data(RecordedInventories.noGPU.utf8))
        return BackendSelector(inventory: inventory, backends: backends, disabledEncoders: disabled)
    }

    static let film = SourceInfo(duration: 600, videoCodec: "hevc", frameRate: 23.976, pixelFormat: "yuv420p10le", hasAudio: true)

    @Test func autoTakesX264OverTheHigherRankedX265Manifest() throws {
        let x265 = try Self.backend(try Manifests.shipped("x265.toml"), file: "x265.toml")
        let selector = try Self.selector(allBackends + [x265])
        #expect(selector.available.first?.id == "x265", "x265 does rank above x264 here")
        for request in ["auto", "", nil] as [String?] {
            let choice = try selector.choose(encoder: request, source: Self.film)
            #expect(choice.backend.id == "x264" && choice.encoder == "libx264", "\(String(describing: request))")
        }
        #expect(try selector.choose(encoder: "libx265", source: Self.film).backend.id == "x265", "HEVC when named")
        #expect(try selector.choose(encoder: "auto", source: Self.film, codec: "hevc").encoder == "libx265", "or asked for by codec")
    }

    @Test func aBackendOfferingBothCodecsGivesItsH264EncoderToAuto() throws {
        let both = try Self.backend("""
            id = "both"
            encoders = ["hevc_qsv", "h264_qsv"]
            rank = 40
            [requires]
            ffmpeg_encoders = ["libx264"]
            [arguments]
            keyframes = "forced"
            """, file: "both.toml")
        let selector = try Self.selector(allBackends + [both])
        let choice = try selector.choose(encoder: "auto", source: Self.film)
        #expect(choice.backend.id == "both" && choice.encoder == "h264_qsv", "\(choice.backend.id) \(choice.encoder)")
        // Its H.264 encoder failed verification: auto passes it over rather than take its HEVC one.
        let checked = try Self.selector(allBackends + [both], disabled: ["both/h264_qsv": "exit 1"])
        #expect(try checked.choose(encoder: "auto", source: Self.film).encoder == "libx264")
    }

    @Test func withoutAnyH264BackendAutoIs422AndSaysWhatToName() throws {
        let x265 = try Self.backend(try Manifests.shipped("x265.toml"), file: "x265.toml")
        let selector = try Self.selector([x265])
        let refusal = Self.refusal { try selector.choose(encoder: "auto", source: Self.film) }
        #expect(refusal.hasPrefix("422 ") && refusal.contains("makes h264") && refusal.contains("libx265"), "\(refusal)")
    }

    @Test func anEncoderNoBackendDrivesIs422Unknown_OneThatCannotRunHereIs422WithTheReason() throws {
        let selector = try Self.selector(allBackends)
        let unknown = Self.refusal { try selector.choose(encoder: "libfoo", source: Self.film) }
        #expect(unknown.hasPrefix("422 ") && unknown.contains("'libfoo' is unknown") && unknown.contains("libx264"), "\(unknown)")
        // NVENC knows h264_nvenc but finds no GPU here: still 422, with the backend's reason.
        let absent = Self.refusal { try selector.choose(encoder: "h264_nvenc", source: Self.film) }
        #expect(absent.hasPrefix("422 ") && absent.contains("'h264_nvenc' is not available on this worker (")
                && absent.contains("nvenc: "), "\(absent)")
    }

    @Test func theAutoFallbackAlsoKeepsH264() throws {
        let x265 = try Self.backend(try Manifests.shipped("x265.toml"), file: "x265.toml")
        let above = try Self.backend("""
            id = "gpu-ish"
            encoders = ["h264_qsv"]
            rank = 50
            [requires]
            ffmpeg_encoders = ["libx264"]
            [arguments]
            keyframes = "forced"
            """, file: "gpu-ish.toml")
        let selector = try Self.selector(allBackends + [x265, above])
        let fallback = try #require(selector.fallback(after: above, source: Self.film))
        #expect(fallback.backend.id == "x264" && fallback.encoder == "libx264", "not x265, which ranks between them")
    }
}

extension AutoCodecTests {
    /// What `body` threw, as `"<status> <sentence>"` (`APIError`'s description), or what it chose.
    static func refusal(_ body: () throws -> (backend: any EncoderBackend, encoder: String)) -> String {
        do {
            let choice = try body()
            return "chose \(choice.backend.id)/\(choice.encoder)"
        } catch {
            return "\(error)"
        }
    }
}
