import Foundation
import TranscodeWire

/// Records one run's `RunTimeline`: started when a create/update request reaches the worker,
/// marked as the request is validated and FFmpeg starts, and by a short poll of the run's first
/// segment file. Each stage keeps its first mark. It observes only: nothing waits for it.
final class RunClock: Sendable {
    enum Stage: Sendable {
        case validated, probed, previousStopped, spawned, firstProgress, firstFrames, firstBytes, firstSegment
    }

    /// How often the first segment's files are looked at.
    static let pollInterval = Duration.milliseconds(10)
    /// The poll gives up after this long (a run that writes no segment).
    static let pollLimit = Duration.seconds(120)

    private let origin = ContinuousClock.now
    private let state: Locked<RunTimeline>

    init() {
        state = Locked(RunTimeline(receivedAt: Date().timeIntervalSince1970))
    }

    /// The timeline so far.
    var view: RunTimeline { state.withLock { $0 } }

    /// Notes that `stage` was reached now, unless it was already.
    func mark(_ stage: Stage) {
        let elapsed = ContinuousClock.now - origin
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let rounded = (ms * 1000).rounded() / 1000
        state.withLock { t in
            switch stage {
            case .validated: t.validatedMs = t.validatedMs ?? rounded
            case .probed: t.probedMs = t.probedMs ?? rounded
            case .previousStopped: t.previousStoppedMs = t.previousStoppedMs ?? rounded
            case .spawned: t.spawnedMs = t.spawnedMs ?? rounded
            case .firstProgress: t.firstProgressMs = t.firstProgressMs ?? rounded
            case .firstFrames: t.firstFramesMs = t.firstFramesMs ?? rounded
            case .firstBytes: t.firstBytesMs = t.firstBytesMs ?? rounded
            case .firstSegment: t.firstSegmentMs = t.firstSegmentMs ?? rounded
            }
        }
    }

    /// Notes whether the probe came from the cache.
    func noteProbe(cached: Bool) {
        state.withLock { $0.probeCached = $0.probeCached ?? cached }
    }

    /// Marks the progress stages from one of FFmpeg's `-progress` blocks.
    func observe(_ report: ProgressReport) {
        mark(.firstProgress)
        if let frame = report.frame, frame > 0 { mark(.firstFrames) }
    }

    /// Polls the run's first segment, `<directory>/segment<number>.ts`: its temporary file's
    /// first bytes, then the finished file. Ends there, when the run ends, or at `pollLimit`.
    func watchFirstSegment(directory: String, number: Int, container: SegmentContainer = .ts, run: FFmpegRun) {
        let finished = directory + "/" + SegmentName.of(number, in: container)
        let temporary = finished + ".tmp"
        Task { [self] in
            let deadline = ContinuousClock.now + Self.pollLimit
            while ContinuousClock.now < deadline {
                if Self.size(of: temporary).map({ $0 > 0 }) == true { mark(.firstBytes) }
                if Self.size(of: finished) != nil {
                    // Written between two looks: the first bytes came no later than this.
                    mark(.firstBytes)
                    mark(.firstSegment)
                    return
                }
                guard run.current.state.isActive else { return }
                try? await Task.sleep(for: Self.pollInterval)
            }
        }
    }

    private static func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
