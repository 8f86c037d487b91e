/// The frame rate FFmpeg gives a constant-rate output, as an exact fraction: the output's
/// frames sit at k x den / num seconds of the movie, in every run of a job.
///
/// A run that seeks must start on that grid, or its frames land between the frames of a run
/// from 0 (at 24000/1001 fps, 16 s is frame 383.6). `RunStart` puts it there.
public struct FrameGrid: Sendable, Equatable, Codable {
    /// Frames per `den` seconds.
    public var num: Int
    /// Seconds per `num` frames.
    public var den: Int

    /// A grid of `num / den` frames per second; nil unless both are positive and the rate is
    /// one FFmpeg would keep (between 1 and 1000 fps).
    public init?(num: Int, den: Int) {
        guard num > 0, den > 0, num <= den * 1_000, num >= den else { return nil }
        self.num = num
        self.den = den
    }

    /// `"24000/1001"` as ffprobe writes it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let num = Int(parts[0]), let den = Int(parts[1]) else { return nil }
        self.init(num: num, den: den)
    }

    /// The grid FFmpeg picks for a stream (its `av_guess_frame_rate`): `r_frame_rate`, unless
    /// that is implausibly high (over 210) while the average is below 70.
    public static func guess(real: String?, average: String?) -> FrameGrid? {
        let r = real.flatMap(FrameGrid.init), avg = average.flatMap(FrameGrid.init)
        if let r, let avg, r.perSecond > 210, avg.perSecond < 70 { return avg }
        return r ?? avg
    }

    /// Frames per second.
    public var perSecond: Double { Double(num) / Double(den) }
}

/// Where a run starts: the first frame of the grid at or after its segment boundary.
///
/// At an integer rate, or at 0, that is the boundary itself. At 24000/1001 fps the boundary
/// at 40 s falls between frames 959 and 960, so the run starts at frame 960 (40.04 s): its
/// constant-rate output then places every frame where a run from 0 places it, and its first
/// frame is the first frame of segment N in every run.
public struct RunStart: Sendable, Equatable {
    /// The segment boundary, N x T seconds.
    public var boundary: Int
    /// Seconds of the run's first frame after the boundary (0 up to one frame).
    public var lead: Double

    /// The run that starts at `boundary` on `grid` (nil: at the boundary itself).
    public init(boundary: Int, grid: FrameGrid?) {
        self.boundary = boundary
        guard let grid, boundary > 0 else {
            lead = 0
            return
        }
        // First frame k with k x den / num >= boundary, in integers: no rounding can pick the
        // frame before.
        let scaled = boundary.multipliedReportingOverflow(by: grid.num)
        guard !scaled.overflow else {
            lead = 0
            return
        }
        let frame = (scaled.partialValue + grid.den - 1) / grid.den
        let excess = frame * grid.den - scaled.partialValue
        lead = Double(excess) / Double(grid.num)
    }

    /// The run's start in seconds: boundary + lead.
    public var seconds: Double { Double(boundary) + lead }

    /// The start as FFmpeg reads it: whole seconds when on the boundary, else microseconds.
    public var text: String { lead == 0 ? "\(boundary)" : Self.micro(seconds) }

    /// Seconds to six places, FFmpeg's own precision for times.
    static func micro(_ value: Double) -> String {
        String(format: "%.6f", value)
    }
}
