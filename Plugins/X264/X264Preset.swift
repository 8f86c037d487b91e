import TranscodeBackend

/// The libx264 preset of a live encode, from the machine's cores and the source's pixel rate
/// (width x height x fps), so that the encode stays ahead of a viewer on a small machine.
///
/// Pixel rate per core, against 720p30 over 2 cores (13.8 Mpx/s per core, which veryfast
/// keeps well ahead of on this project's 2-core machine):
/// - up to 1x: `veryfast` (720p30 on 2 cores, 1080p24 on 4, 1080p60 on 9);
/// - up to 2x: `superfast` (1080p24 on 2 cores, 1080p30 on 4, 1080p60 on 5 to 8);
/// - above: `ultrafast` (1080p30 and up on 2 cores, 4K30 on 8).
/// Without a known size it stays `veryfast`, as before this rule.
public enum X264Preset {
    /// Pixels per second per core up to which `veryfast` keeps up: 720p30 over 2 cores.
    public static let veryfastPixelsPerCore = 1280.0 * 720 * 30 / 2

    /// The preset for `cores` CPU threads and a source of `pixelRate` pixels per second.
    public static func choose(cores: Int, pixelRate: Double?) -> String {
        guard let pixelRate, pixelRate > 0 else { return "veryfast" }
        let load = pixelRate / Double(max(1, cores)) / veryfastPixelsPerCore
        if load <= 1 { return "veryfast" }
        if load <= 2 { return "superfast" }
        return "ultrafast"
    }
}
