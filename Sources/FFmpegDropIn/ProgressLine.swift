import Foundation

/// FFmpeg's own stats line, which media servers parse for progress and throttling:
/// `frame=  240 fps= 48 q=-1.0 size=N/A time=00:00:10.00 bitrate=N/A speed=2.01x`.
public enum ProgressLine {
    /// The line for `seconds` of output (movie time reached), after `elapsed` wall seconds
    /// of this process, at `frameRate`; `startSeconds` is where the run began.
    public static func text(seconds: Double, startSeconds: Double, elapsed: Double, frameRate: Double, bytes: Int) -> String {
        let produced = max(0, seconds - startSeconds)
        let frames = Int((produced * frameRate).rounded())
        let fps = elapsed > 0 ? Double(frames) / elapsed : 0
        let speed = elapsed > 0 ? produced / elapsed : 0
        let kbits = produced > 0 ? Double(bytes) * 8 / 1000 / produced : 0
        return String(format: "frame=%5d fps=%3.0f q=-1.0 size=%8dkB time=%@ bitrate=%6.1fkbits/s speed=%.3gx",
                      frames, fps, bytes / 1024, clock(seconds), kbits, speed)
    }

    /// `HH:MM:SS.cc`, as FFmpeg writes `time=`.
    static func clock(_ seconds: Double) -> String {
        let cs = Int((max(0, seconds) * 100).rounded(.down))
        return String(format: "%02d:%02d:%02d.%02d", cs / 360_000, cs / 6000 % 60, cs / 100 % 60, cs % 100)
    }
}
