import Foundation
import Synchronization
import TranscodeWire

/// How a run was asked to stop, as FFmpeg tells them apart.
public enum StopRequest: Sendable {
    /// `q` on stdin: FFmpeg finishes the file and exits 0.
    case quit
    /// SIGTERM or SIGINT: FFmpeg exits 255.
    case signal
}

/// Set from a signal handler or the stdin reader, read by the run between segments.
public final class StopFlag: Sendable {
    private let state = Mutex<StopRequest?>(nil)
    public init() {}
    /// Asks the run to stop (the first request wins).
    public func request(_ stop: StopRequest) { state.withLock { if $0 == nil { $0 = stop } } }
    /// The request, if any.
    public var requested: StopRequest? { state.withLock { $0 } }
}

/// One HLS transcode on the pool: the job is created there, its segments are written where
/// the media server expects them, FFmpeg's stats go to stderr, and the job is stopped on the
/// pool when the server stops this process. A worker that dies mid-stream is the
/// orchestrator's business: it moves the job and keeps serving the same segments.
public struct PoolRun: Sendable {
    let plan: HLSTranscode
    let config: DropInConfig
    let client: PoolClient
    let stop: StopFlag
    /// Where FFmpeg-style lines go (stderr).
    let log: @Sendable (String) -> Void

    /// Creates a run against `config.orchestrator`.
    public init(plan: HLSTranscode, config: DropInConfig, stop: StopFlag, log: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.config = config
        self.client = PoolClient(base: config.orchestrator ?? "", token: config.token)
        self.stop = stop
        self.log = log
    }

    /// The job id for a command: from the playlist's file name, which a media server makes
    /// unique per playback session and keeps across its own restarts of FFmpeg (a seek).
    public static func jobID(for plan: HLSTranscode) -> String {
        let name = ((plan.playlist as NSString).lastPathComponent as NSString).deletingPathExtension
        let safe = String(name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" })
        return "ff-" + String(safe.prefix(120))
    }

    /// Why the pool would not run the command (the caller may fall back to the local FFmpeg).
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// A job the pool took.
    public struct Started: Sendable {
        public var jobID: String
        /// The source's frame rate, for the stats line's `frame=`.
        public var frameRate: Double
    }

    /// Creates the job; throws `Refused` with the pool's sentence.
    public func start() async throws -> Started {
        let source = config.mapped(plan.source)
        let jobID = Self.jobID(for: plan)
        do {
            let tracks = try await client.tracks(of: source)
            let offered = config.encoder.needsOffers(for: plan.encoder) ? await client.offers()?.encoders : nil
            let configuration = try plan.configuration(tracks: tracks, encoder: config.encoder.encoder(for: plan.encoder, offered: offered))
            try await client.put(jobID, source: source, configuration: configuration)
            let rate = tracks.tracks.first { $0.type == .video }?.frameRate
            return Started(jobID: jobID, frameRate: rate ?? 24)
        } catch let error as PoolClient.Failure {
            throw Refused(description: error.description)
        } catch let error as NotMappable {
            throw Refused(description: "the command cannot run on the pool: \(error)")
        }
    }

    /// Mirrors the job's segments until the movie ends or a stop comes; returns FFmpeg's exit code.
    public func mirror(_ started: Started) async -> Int32 {
        let jobID = started.jobID
        var mirror = SegmentMirror(plan: plan)
        let began = ContinuousClock.now
        let t = Double(plan.segmentSeconds)
        // The pool numbers segments by movie time (n covers [n T, (n+1) T)); the server's
        // files are numbered from its own -start_number.
        let first = plan.seek.map { Int($0 / t) } ?? plan.startNumber
        var n = first
        var duration: Double?
        let frameRate = started.frameRate
        var lastLine = ContinuousClock.now - .seconds(10)
        func report(_ reached: Double) {
            let elapsed = Self.seconds(ContinuousClock.now - began)
            log(ProgressLine.text(seconds: reached, startSeconds: Double(first) * t, elapsed: elapsed, frameRate: frameRate, bytes: mirror.bytes))
            lastLine = .now
        }
        while true {
            if let request = stop.requested {
                await client.delete(jobID)
                try? mirror.writePlaylist(ended: request == .quit)
                return request == .quit ? 0 : 255
            }
            let job = await client.job(jobID)
            if duration == nil { duration = (job?["duration"] as? NSNumber)?.doubleValue }
            // Past the end: the movie's last segment, or (a remux, cut at the source's keyframes)
            // the last one a finished run wrote.
            let finished = job?["state"] as? String == "completed" && ((job?["last_segment_id"] as? NSNumber)?.intValue).map { n > $0 } == true
            if finished || duration.map({ Double(n) * t >= $0 - 0.001 }) == true {
                try? mirror.writePlaylist(ended: true)
                report(duration ?? Double(n) * t)
                await client.delete(jobID)
                return 0
            }
            if !mirror.hasInit {
                // fMP4: the init segment first (every run of the job writes the same one).
                let answer = await client.file(jobID, SegmentContainer.initName)
                if let data = answer.data {
                    do { try mirror.writeInit(data) } catch {
                        log("\(plan.initPath): \(error.localizedDescription)")
                        await client.delete(jobID)
                        return 1
                    }
                    continue
                }
                if answer.status == 410 {
                    log("Error: the pool ended the job: \(answer.sentence)")
                    await client.delete(jobID)
                    return 1
                }
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            let answer = await client.segment(jobID, n, in: plan.container)
            if let data = answer.data {
                let length = duration.map { min(t, $0 - Double(n) * t) } ?? t
                do {
                    try mirror.write(data, number: plan.startNumber + n - first, seconds: length)
                } catch {
                    log("\(plan.segmentPath(plan.startNumber + n - first)): \(error.localizedDescription)")
                    await client.delete(jobID)
                    return 1
                }
                n += 1
                report(min(Double(n) * t, duration ?? .infinity))
                continue
            }
            switch answer.status {
            case 404 where duration != nil, 410:
                log("Error: the pool ended the job: \(answer.sentence)")
                await client.delete(jobID)
                return 1
            default:
                if ContinuousClock.now - lastLine > .seconds(1) { report(Double(n) * t) }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

extension PoolRun {
    /// Stops the job on the pool (the media server stopped this process).
    public func abandon(_ jobID: String) async { await client.delete(jobID) }
}

/// The pool's answers to start-up queries.
public struct PoolQuestions: Sendable {
    let client: PoolClient

    /// Asks `config.orchestrator`.
    public init(config: DropInConfig) { client = PoolClient(base: config.orchestrator ?? "", token: config.token) }

    /// Live workers' encoders and hardware families; nil when the pool does not answer.
    public func offers() async -> (encoders: Set<String>, families: Set<String>)? { await client.offers() }
}
