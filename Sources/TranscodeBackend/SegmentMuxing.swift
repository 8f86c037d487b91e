/// The HLS muxer's options that depend on the segment container (`SegmentContainer`).
///
/// Both keep the cross-run timestamp guarantee of `FFmpegCommand.arguments`: the packets'
/// timestamps are the movie's time, whichever run wrote them. For fMP4 that needs one more
/// flag. The MP4 muxer inside the HLS muxer counts a track's decode time (`tfdt`) from the
/// track's first packet and puts the run's start into an edit list of `init.mp4` instead;
/// so a run started at n x T would write `tfdt` 0 for segment n and an `init.mp4` unlike a
/// run from 0. `movflags=+frag_discont` makes it take the first packet's own time as the
/// fragment's decode time, as a run from 0 does: `tfdt` is then the movie's time in every
/// run, and `init.mp4` comes out byte for byte the same for the same encode settings (the
/// edit lists hold only the encoder's own delay and the AAC priming, which do not depend on
/// where the run starts). `FMP4SegmentTests` checks both with ffprobe.
public enum SegmentMuxing {
    /// `-hls_segment_options`: no shift by `avoid_negative_ts` in either; fMP4 adds `frag_discont`.
    public static func segmentOptions(_ container: SegmentContainer) -> String {
        container == .fmp4 ? "avoid_negative_ts=disabled:movflags=+frag_discont" : "avoid_negative_ts=disabled"
    }

    /// The options placed before `-f hls`. HEVC in MP4 is tagged `hvc1` (parameter sets in
    /// the sample entry), which Apple's players and browsers require; FFmpeg's default `hev1`
    /// they refuse.
    public static func streamOptions(_ request: EncodeRequest) -> [String] {
        request.container == .fmp4 && request.outputCodec == "hevc" ? ["-tag:v", "hvc1"] : []
    }

    /// `-hls_segment_type fmp4` and the init segment's name; nothing for TS (the default).
    public static func typeOptions(_ container: SegmentContainer) -> [String] {
        container == .fmp4 ? ["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", SegmentContainer.initName] : []
    }

    /// The segment file name pattern inside the output folder; `%d` is the sequence number.
    public static func pattern(_ container: SegmentContainer) -> String {
        "segment%d." + container.segmentExtension
    }
}
