/// The audio half of every encode: one chosen track, resampled onto one grid, as AAC stereo
/// (a downmix that keeps the dialogue) or 5.1.
public enum AudioEncoding {
    /// `-af ... -c:a aac ...` for the plan, in a run whose first frame is at `startSeconds`.
    public static func arguments(_ plan: AudioPlan, startSeconds: Double) -> [String] {
        var filters: [String] = []
        if let downmix = downmix(plan) { filters.append(downmix) }
        filters.append("aresample=\(FFmpegCommand.audioSampleRate)")
        let trim = FFmpegCommand.audioGridTrim(startSeconds: startSeconds)
        if trim > 0 { filters.append("atrim=start_sample=\(trim)") }
        let surround = plan.channels == 6 && (plan.sourceChannels ?? 0) >= 6
        return ["-af", filters.joined(separator: ",")]
            + ["-c:a", "aac", "-b:a", surround ? "384k" : "128k"]
            + (surround ? ["-ac", "6", "-channel_layout", "5.1"] : ["-ac", "2"])
            + ["-ar", "\(FFmpegCommand.audioSampleRate)"]
    }

    /// A stereo downmix of a 5.1 or 7.1 track that keeps the centre (dialogue) at half its
    /// level in both ears, fronts at -3 dB, surrounds folded in at -3 dB and the LFE at half:
    /// FFmpeg's own `-ac 2` matrix normalises the centre down to about -9 dB next to loud
    /// effects, which is where viewers lose the dialogue. Channels are addressed by position,
    /// which 5.1, 5.1(side) and 7.1 share for FL FR FC LFE and the first surround pair.
    /// Other layouts are left to `-ac 2`.
    static func downmix(_ plan: AudioPlan) -> String? {
        guard plan.channels == 2, let source = plan.sourceChannels, source == 6 || source == 8 else { return nil }
        let back = source == 8 ? "+0.707*c6" : ""
        let backRight = source == 8 ? "+0.707*c7" : ""
        return "pan=stereo|c0=0.5*c2+0.707*c0+0.707*c4\(back)+0.5*c3|c1=0.5*c2+0.707*c1+0.707*c5\(backRight)+0.5*c3"
    }
}
