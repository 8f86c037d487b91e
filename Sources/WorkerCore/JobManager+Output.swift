import Foundation
import MediaProbe
import TranscodeWire

extension JobManager {
    /// Once the run's first segment is finished, reads its streams (codecs, size, frame rate)
    /// for the master playlist; gives up when the run ends without one.
    func watchOutput(of job: Job) {
        guard let run = job.run else { return }
        let id = job.spec.jobID, directory = job.spec.outputPath, probe = OutputProbe(ffprobe: settings.ffprobe)
        Task { [weak self] in
            while true {
                if let first = HLSPlaylist.segments(inDirectory: directory).first {
                    let streams = try? await probe.probe(segment: first.path)
                    await self?.noteOutput(streams, of: id, run: run)
                    return
                }
                guard run.current.state.isActive else { return }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private func noteOutput(_ streams: OutputProbe.Streams?, of id: String, run: FFmpegRun) {
        guard let streams, jobs[id]?.run === run else { return }
        jobs[id]?.output = streams
    }
}

/// Bits per second of a run's finished segments: the peak (for `BANDWIDTH`) and the mean
/// (for `AVERAGE-BANDWIDTH`).
enum SegmentRates {
    /// Segments shorter than this (a movie's last few frames) are left out of the peak: a
    /// lone keyframe over 0.1 s is no measure of the stream.
    static let shortest = 0.5

    /// The rates of the segments the folder's playlist lists; nil when none is finished.
    static func measure(directory: String) -> (peak: Int, average: Int)? {
        var peak = 0.0, bits = 0.0, seconds = 0.0
        for segment in HLSPlaylist.segments(inDirectory: directory) where segment.seconds > 0 {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: segment.path))?[.size] as? Int else { continue }
            let segmentBits = Double(size) * 8
            bits += segmentBits
            seconds += segment.seconds
            if segment.seconds >= shortest || peak == 0 { peak = max(peak, segmentBits / segment.seconds) }
        }
        guard seconds > 0 else { return nil }
        return (Int(peak.rounded(.up)), Int((bits / seconds).rounded()))
    }

    /// The master playlist's attributes: the probed streams with the rates measured now.
    static func format(_ streams: OutputProbe.Streams?, directory: String) -> OutputFormat? {
        guard let streams, let rates = measure(directory: directory) else { return nil }
        return OutputFormat(
            codecs: streams.codecs, resolution: streams.resolution, frameRate: streams.frameRate,
            bandwidth: rates.peak, averageBandwidth: rates.average
        )
    }
}
