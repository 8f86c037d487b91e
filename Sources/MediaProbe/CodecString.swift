/// RFC 6381 codec strings for a master playlist's `CODECS` attribute, from what a segment
/// holds: `avc1.640028` (H.264), `hvc1.1.6.L93.B0` (HEVC), `mp4a.40.2` (AAC-LC).
public enum CodecString {
    /// H.264 from the SPS's first three bytes after the NAL header: profile_idc, the
    /// constraint flags and level_idc, in hex.
    public static func avc(profileIDC: UInt8, constraints: UInt8, levelIDC: UInt8) -> String {
        "avc1." + hex(profileIDC) + hex(constraints) + hex(levelIDC)
    }

    /// H.264 from ffprobe's profile name and level (e.g. `High`, 40) when no SPS was found.
    /// Constrained Baseline sets constraint_set1 (0x40); the other profiles none.
    public static func avc(profile: String, level: Int) -> String? {
        let idc: (UInt8, UInt8)?
        switch profile.lowercased() {
        case "constrained baseline": idc = (0x42, 0x40)
        case "baseline": idc = (0x42, 0x00)
        case "main": idc = (0x4D, 0x00)
        case "extended": idc = (0x58, 0x00)
        case "high": idc = (0x64, 0x00)
        case "high 10": idc = (0x6E, 0x00)
        case "high 4:2:2": idc = (0x7A, 0x00)
        case "high 4:4:4 predictive": idc = (0xF4, 0x00)
        default: idc = nil
        }
        guard let (p, c) = idc, (1...255).contains(level) else { return nil }
        return avc(profileIDC: p, constraints: c, levelIDC: UInt8(level))
    }

    /// HEVC from ffprobe's profile name and level (level_idc, 30 x the level: 93 is 3.1),
    /// Main tier, with the compatibility flags that profile sets and no constraint flags
    /// but progressive-source (`B0`).
    public static func hevc(profile: String, level: Int) -> String? {
        let idc: Int
        switch profile.lowercased() {
        case "main": idc = 1
        case "main 10": idc = 2
        case "main still picture": idc = 3
        case "rext", "format range extensions": idc = 4
        default: return nil
        }
        guard level > 0 else { return nil }
        // general_profile_compatibility_flags in reverse bit order (ISO 14496-15): flag j is
        // bit j. Main streams are Main 10 compatible too (flags 1 and 2: 0x6).
        let compatibility = idc == 1 ? 0x6 : 1 << idc
        return "hvc1.\(idc).\(String(compatibility, radix: 16)).L\(level).B0"
    }

    /// Audio from ffprobe's codec name and profile: `mp4a.40.2` for AAC-LC, `mp4a.40.5` HE-AAC,
    /// `mp4a.40.29` HE-AACv2, `ac-3`, `ec-3`, `mp4a.40.34` MP3, `opus`, `fLaC`.
    public static func audio(codec: String, profile: String?) -> String? {
        switch codec {
        case "aac":
            switch profile?.lowercased() {
            case "he-aac": return "mp4a.40.5"
            case "he-aacv2": return "mp4a.40.29"
            default: return "mp4a.40.2"
            }
        case "ac3": return "ac-3"
        case "eac3": return "ec-3"
        case "mp3": return "mp4a.40.34"
        case "opus": return "opus"
        case "flac": return "fLaC"
        default: return nil
        }
    }

    /// The H.264 SPS's profile, constraint and level bytes, found in an MPEG-TS segment's
    /// bytes: the first NAL unit of type 7 after a start code. The four bytes read lie in one
    /// TS packet in practice (the SPS follows the PES header at the start of a keyframe's
    /// first packet); nil when none is found.
    public static func spsBytes(inTransportStream bytes: [UInt8]) -> (UInt8, UInt8, UInt8)? {
        var i = 0
        while i + 6 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1, bytes[i + 3] & 0x1F == 7, bytes[i + 3] & 0x80 == 0,
               profileIDCs.contains(bytes[i + 4]) {
                return (bytes[i + 4], bytes[i + 5], bytes[i + 6])
            }
            i += 1
        }
        return nil
    }

    /// The same three bytes from an MP4 sample entry's `avcC` box (ISO/IEC 14496-15 5.3.3.1:
    /// configurationVersion 1, then AVCProfileIndication, profile_compatibility and
    /// AVCLevelIndication); nil when there is none.
    public static func avcConfiguration(inMP4 bytes: [UInt8]) -> (UInt8, UInt8, UInt8)? {
        let type = Array("avcC".utf8)
        var i = 4
        while i + 7 < bytes.count {
            if bytes[i] == type[0], bytes[i + 1] == type[1], bytes[i + 2] == type[2], bytes[i + 3] == type[3],
               bytes[i + 4] == 1, profileIDCs.contains(bytes[i + 5]) {
                return (bytes[i + 5], bytes[i + 6], bytes[i + 7])
            }
            i += 1
        }
        return nil
    }

    /// H.264 profile_idc values (ITU-T H.264 A.2): a match on one of these is an SPS, not chance.
    static let profileIDCs: Set<UInt8> = [66, 77, 88, 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    static func hex(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16)
        return text.count == 1 ? "0" + text : text
    }
}
