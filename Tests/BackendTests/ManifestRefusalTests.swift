import ManifestBackend
import Testing
import TestSupport

/// Bad manifests are refused like a compiler refuses bad code: one sentence naming the
/// file, the key and the fault.
@Suite struct ManifestRefusalTests {
    /// A small valid manifest that each test breaks in one place.
    static let valid = """
        id = "hevc-test"
        encoders = ["libx265"]
        rank = 1

        [arguments]
        codec = ["-preset", "fast", "-b:v", "{bitrate}"]
        keyframes = "forced"
        """

    /// The refusal of `text` as `test.toml`, or nil when it passed.
    static func refusal(_ text: String) -> ManifestRefusal? {
        do {
            _ = try ManifestParser.parse(text, file: "test.toml")
            return nil
        } catch {
            return error
        }
    }

    static func broken(_ old: String, _ new: String) -> ManifestRefusal? {
        precondition(valid.contains(old), "fixture lacks \(old)")
        return refusal(valid.replacingOccurrences(of: old, with: new))
    }

    @Test func theValidFixturePasses() throws {
        let manifest = try ManifestParser.parse(Self.valid, file: "test.toml")
        #expect(manifest.id == "hevc-test" && manifest.encoders == ["libx265"] && manifest.rank == 1)
        #expect(manifest.requirements.ffmpegEncoders == ["libx265"], "the encoders are required in the build by default")
    }

    @Test func malformedTOMLNamesTheLine() throws {
        let refusal = try #require(Self.broken("rank = 1", "rank = = 1"))
        #expect(refusal.key == nil)
        #expect(refusal.description.hasPrefix("test.toml: malformed TOML at line 3"), "\(refusal)")
    }

    @Test func anUnknownKeySuggestsTheNearestOne() throws {
        let refusal = try #require(Self.broken("rank = 1", "rnak = 1"))
        #expect(refusal.description.hasPrefix("test.toml: key 'rnak': unknown key (did you mean 'rank'?); known keys here: id,"), "\(refusal)")
        let nested = try #require(Self.broken("keyframes = \"forced\"", "keyframes = \"forced\"\nvideo_filters = \"format=yuv420p\""))
        #expect(nested.key == "arguments.video_filters" && nested.fault.contains("did you mean 'video_filter'?"), "\(nested)")
    }

    @Test func aMissingFieldIsNamed() throws {
        let refusal = try #require(Self.broken("rank = 1\n", ""))
        #expect(refusal.description == "test.toml: key 'rank': missing field: every manifest must set it.")
        let keyframes = try #require(Self.broken("keyframes = \"forced\"", ""))
        #expect(keyframes.key == "arguments.keyframes" && keyframes.fault.hasPrefix("missing field"))
    }

    @Test func aValueOfTheWrongTypeIsRefused() throws {
        let rank = try #require(Self.broken("rank = 1", "rank = \"high\""))
        #expect(rank.description == "test.toml: key 'rank': must be a whole number, not string.")
        let item = try #require(Self.broken(#"["libx265"]"#, #"["libx265", 5]"#))
        #expect(item.key == "encoders[1]" && item.fault == "must be a string in quotes, not integer", "\(item)")
    }

    @Test func anUnknownPlaceholderListsTheKnownOnes() throws {
        let refusal = try #require(Self.broken("{bitrate}", "{bitrat}"))
        #expect(refusal.key == "arguments.codec")
        #expect(refusal.fault.hasPrefix("unknown placeholder {bitrat}; known: {bitrate}, {bufsize}, {codec}"), "\(refusal)")
        let device = try #require(Self.broken("{bitrate}", "{device}"))
        #expect(device.fault == "uses {device} but the manifest has no [device] table to find it")
    }

    @Test(arguments: ["x265", "libx265_fast", "h264", "av1_qsv", "h264_Q$V", "hevc_qsv_extra"])
    func anEncoderNameMustBeCodecAPIOrKnownSoftware(name: String) throws {
        let refusal = try #require(Self.broken(#"["libx265"]"#, "[\"\(name)\"]"))
        #expect(refusal.key == "encoders[0]")
        #expect(refusal.fault.hasPrefix("'\(name)' is neither <codec>_<api> with codec h264 or hevc"), "\(refusal)")
    }

    @Test func goodEncoderNamesPass() {
        for name in ["libx264", "libx265", "h264_qsv", "hevc_v4l2m2m", "h264_amf"] {
            #expect(ManifestParser.encoderFault(name) == nil, "\(name)")
        }
    }

    @Test func anUnknownKeyframeModeNamesTheTwoModes() throws {
        let refusal = try #require(Self.broken(#"keyframes = "forced""#, #"keyframes = "scene""#))
        #expect(refusal.description == #"test.toml: key 'arguments.keyframes': 'scene' is not a keyframe mode; use "forced" (-force_key_frames) or "gop" (-g and -keyint_min)."#)
    }

    @Test func idsAndRanksAreChecked() throws {
        let id = try #require(Self.broken(#"id = "hevc-test""#, #"id = "HEVC Test""#))
        #expect(id.key == "id" && id.fault.contains("lower-case"))
        let rank = try #require(Self.broken("rank = 1", "rank = 5000"))
        #expect(rank.fault == "must be between -1000 and 1000; got 5000")
    }

    @Test func devicesAndLibrariesAreNamesNotPaths() throws {
        let device = try #require(Self.refusal(Self.valid + "\n[device]\npaths = [\"/tmp/fake\"]\n"))
        #expect(device.key == "device.paths" && device.fault.contains("under /dev/"), "\(device)")
        let library = try #require(Self.refusal(Self.valid.replacingOccurrences(of: "rank = 1", with: "rank = 1\n[requires]\nlibraries = [\"/tmp/evil.so\"]")))
        #expect(library.key == "requires.libraries" && library.fault.contains("without a path"), "\(library)")
    }
}
