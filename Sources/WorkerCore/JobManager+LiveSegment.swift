import Foundation
import ServiceSupport
import TranscodeWire

extension JobManager {
    /// How long a request for the segment the run writes next waits for FFmpeg to start
    /// writing it. FFmpeg 5.1's HLS muxer opens a TS segment's .tmp only when the segment
    /// ends, so this covers the encode of one segment; a run that ends or is replaced ends
    /// the wait at once.
    static let liveSegmentWait: Duration = .seconds(10)

    /// The segment `file` of the job when its current run is writing it, or writes it next;
    /// nil when it is finished, not this run's to write, or no run is writing.
    func liveSegment(_ id: String, file: String) -> LiveSegment? {
        guard let job = jobs[id], let run = job.run, let number = SegmentName.number(file),
              let units = HLSResponse.units(of: file)
        else { return nil }
        let snapshot = run.current
        guard snapshot.state.isActive, !snapshot.stopRequested else { return nil }
        let folder = job.spec.outputPath
        let final = folder + "/" + file
        guard access(final, F_OK) != 0 else { return nil }
        let next = (HLSPlaylist.lastSegmentNumber(inDirectory: folder) ?? job.spec.startSegment - 1) + 1
        guard number == next || access(final + ".tmp", F_OK) == 0 else { return nil }
        return LiveSegment(folder: folder, file: file, units: units, runState: { [weak self] in
            await self?.writer(of: id, run: run) ?? .replaced
        }, startWait: Self.liveSegmentWait)
    }

    /// What `run` is doing for the job now.
    private func writer(of id: String, run: FFmpegRun) -> LiveSegment.Writer {
        guard jobs[id]?.run === run else { return .replaced }
        let snapshot = run.current
        if snapshot.stopRequested { return .replaced }
        return snapshot.exitStatus == nil ? .writing : .exited
    }
}
