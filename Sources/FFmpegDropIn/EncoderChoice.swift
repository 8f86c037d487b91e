import TranscodeWire

/// Which pool encoder a media server's `-c:v` becomes. A media server asks for the encoder its
/// own settings name (its default is software `libx264`), but the pool exists to choose the
/// hardware: so by default (`encoder = "codec"`) the command's codec is kept and the pool picks
/// the encoder, and `encoder = "as-asked"` sends the name unchanged.
public enum EncoderChoice: String, Sendable, CaseIterable {
    /// The codec the command asks for; the pool's choice of encoder for it.
    case codec
    /// Exactly the encoder the command names.
    case asAsked = "as-asked"

    /// The job's `encoder` for a command's `-c:v` `asked`, given the live pool's encoders
    /// (nil when unknown). H.264, what every client plays, is the pool's `auto`; another codec
    /// takes the asked encoder if the pool has it, else one the pool has for that codec
    /// (FFmpeg's hardware-named encoders before its `lib*` software ones), else the asked
    /// name, which the pool then refuses naming what it has.
    public func encoder(for asked: String, offered: Set<String>?) -> String {
        guard self == .codec else { return asked }
        let codec = VideoCodec.of(encoder: asked)
        if codec == VideoCodec.playsEverywhere { return "auto" }
        guard let offered, !offered.contains(asked) else { return asked }
        let same = offered.filter { VideoCodec.of(encoder: $0) == codec }
        return same.sorted { ($0.hasPrefix("lib") ? 1 : 0, $0) < ($1.hasPrefix("lib") ? 1 : 0, $1) }.first ?? asked
    }

    /// Whether choosing needs the pool's list of encoders.
    public func needsOffers(for asked: String) -> Bool {
        self == .codec && asked != "copy" && VideoCodec.of(encoder: asked) != VideoCodec.playsEverywhere
    }
}
