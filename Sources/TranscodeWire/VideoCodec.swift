/// The video codec an FFmpeg encoder makes, derived from its name in this one place (the
/// worker's `auto` and the orchestrator's routing of `auto` both read it).
public enum VideoCodec {
    /// What every HLS client plays (with AAC audio): the codec `auto` makes.
    public static let playsEverywhere = "h264"

    /// Software encoders whose names do not start with their codec.
    static let software = ["libx264": "h264", "libx265": "hevc", "libsvtav1": "av1", "libaom-av1": "av1", "librav1e": "av1"]

    /// `libx264` -> `h264`, `libx265` -> `hevc`, `<codec>_<api>` (`hevc_<api>`) -> `<codec>`.
    public static func of(encoder: String) -> String {
        if let codec = software[encoder] { return codec }
        return encoder.split(separator: "_").first.map(String.init) ?? encoder
    }
}
