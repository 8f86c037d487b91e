import MediaProbe
import Testing

/// The master playlist's CODECS attribute (RFC 6381), from SPS bytes or ffprobe's names.
@Suite struct CodecStringTests {
    @Test func h264FromTheSPSBytesAndFromFFprobesNames() {
        #expect(CodecString.avc(profileIDC: 0x64, constraints: 0x00, levelIDC: 0x28) == "avc1.640028")
        #expect(CodecString.avc(profileIDC: 0x42, constraints: 0xE0, levelIDC: 0x1E) == "avc1.42e01e")
        #expect(CodecString.avc(profile: "High", level: 40) == "avc1.640028")
        #expect(CodecString.avc(profile: "Main", level: 31) == "avc1.4d001f")
        #expect(CodecString.avc(profile: "Constrained Baseline", level: 30) == "avc1.42401e")
        #expect(CodecString.avc(profile: "High 10", level: 51) == "avc1.6e0033")
        #expect(CodecString.avc(profile: "Unknown", level: 30) == nil)
        #expect(CodecString.avc(profile: "High", level: 0) == nil)
    }

    @Test func hevcAndAudio() {
        #expect(CodecString.hevc(profile: "Main", level: 93) == "hvc1.1.6.L93.B0")
        #expect(CodecString.hevc(profile: "Main 10", level: 120) == "hvc1.2.4.L120.B0")
        #expect(CodecString.hevc(profile: "Nope", level: 120) == nil)
        #expect(CodecString.audio(codec: "aac", profile: "LC") == "mp4a.40.2")
        #expect(CodecString.audio(codec: "aac", profile: "HE-AAC") == "mp4a.40.5")
        #expect(CodecString.audio(codec: "aac", profile: "HE-AACv2") == "mp4a.40.29")
        #expect(CodecString.audio(codec: "ac3", profile: nil) == "ac-3")
        #expect(CodecString.audio(codec: "eac3", profile: nil) == "ec-3")
        #expect(CodecString.audio(codec: "pcm_s16le", profile: nil) == nil)
    }

    @Test func theSPSIsFoundInTransportStreamBytesAndNotInOtherStartCodes() {
        // A PES start code (00 00 01 E0), then an AUD (09) and an SPS (67 64 00 1F).
        let bytes: [UInt8] = [0x47, 0x41, 0x00, 0x10, 0x00, 0x00, 0x01, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09, 0xF0,
                              0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1F, 0xAC]
        #expect(CodecString.spsBytes(inTransportStream: bytes).map { [$0.0, $0.1, $0.2] } == [0x64, 0x00, 0x1F])
        // A NAL of type 7 whose next byte is no profile_idc is chance, not an SPS.
        #expect(CodecString.spsBytes(inTransportStream: [0x00, 0x00, 0x01, 0x67, 0x05, 0x00, 0x1F, 0x00]) == nil)
        #expect(CodecString.spsBytes(inTransportStream: []) == nil)
    }
}
