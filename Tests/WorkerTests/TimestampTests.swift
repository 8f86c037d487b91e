import Foundation
import Testing
import TestSupport

/// Players stop for good when decode timestamps step back at a switch between runs, so
/// segment N must carry the same timestamps whichever run wrote it.
@Suite("One timestamp scheme for every run (real FFmpeg)")
struct TimestampTests {
    /// One packet as ffprobe lists it.
    struct Packet: Equatable {
        var kind: String
        var pts: Double
        var dts: Double
    }

    static func packets(_ path: String) async throws -> [Packet] {
        let result = try await ffprobe([
            "-v", "error", "-show_entries", "packet=codec_type,pts_time,dts_time", "-of", "csv=p=0", path,
        ])
        return result.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count >= 3, let pts = Double(f[1]), let dts = Double(f[2]) else { return nil }
            return Packet(kind: f[0], pts: pts, dts: dts)
        }
    }

    static func same(_ a: [Packet], _ b: [Packet]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0.pts - $1.pts) < 0.001 && abs($0.dts - $1.dts) < 0.001 && $0.kind == $1.kind }
    }

    /// The same frames at the same times, in decode order; a run's first GOP may order its
    /// B-frames differently (the encoder's lookahead starts afresh), so PTS compare as a set.
    static func sameFrames(_ a: [Packet], _ b: [Packet]) -> Bool {
        let ptsA = a.map(\.pts).sorted(), ptsB = b.map(\.pts).sorted()
        return a.count == b.count && zip(ptsA, ptsB).allSatisfy { abs($0 - $1) < 0.001 }
            && zip(a, b).allSatisfy { abs($0.dts - $1.dts) < 0.001 }
    }

    @Test("Segment N is the same from a run at 0 and from runs that seek; DTS only move forward at a switch")
    func sameTimestampsFromEveryRun() async throws {
        // 16 s lies on the AAC packet grid of 48 kHz; 20 s does not (the run trims 512 samples).
        try await Self.check(seconds: 32, size: "480x270", rate: "24", audioRate: 48_000, seeks: [16, 20], compared: [5, 6, 7])
    }

    /// At 24000/1001 fps a boundary falls between two frames, so a run starts on the frame
    /// after it. 16 s: frame 384 is 0.016 s late. 40 s: frame 960 is 0.040 s late while the
    /// next boundary's first frame, 1055, is only 0.002 s late, so the muxer must still cut
    /// there. 44.1 kHz audio, as most films carry.
    @Test("At 23.976 fps too: segment N is the same from every run, and no boundary is skipped")
    func sameTimestampsAtNTSCRates() async throws {
        try await Self.check(seconds: 52, size: "320x240", rate: "24000/1001", audioRate: 44_100, seeks: [16, 40], compared: [11, 12])
    }

    /// Runs a job from 0 and one per seek on a generated clip, then compares: every segment
    /// after a run's first is the same packet for packet; a run's first segment has the same
    /// video and audio on the same grid; at a switch between runs each stream's DTS move forward.
    static func check(seconds: Int, size: String, rate: String, audioRate: Int, seeks: [Int], compared: [Int]) async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: seconds, size: size, rate: rate, audioRate: audioRate)
        var runs: [String: String?] = ["from0": nil]
        for seek in seeks { runs["seek\(seek)"] = String(format: "00:00:%02d", seek) }
        for (id, seek) in runs {
            let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(clip, seek: seek))
            #expect(created.status == 201, "\(created.text)")
        }
        for id in runs.keys {
            let done = try await worker.api.waitForJob(id, timeout: .seconds(120)) { $0.string("state") == "completed" }
            #expect(done.held, "\(id) did not complete: \(done.job)")
        }
        func segments(_ id: String) -> Set<String> {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: worker.sandbox.transcode.appendingPathComponent(id).path)) ?? []
            return Set(names.filter { $0.hasSuffix(".ts") })
        }
        func segment(_ id: String, _ n: Int) async throws -> [Packet] {
            try await Self.packets(worker.sandbox.transcode.appendingPathComponent("\(id)/segment\(n).ts").path)
        }
        let all = segments("from0")
        for seek in seeks {
            let id = "seek\(seek)", n = seek / 4
            // Same numbering: a run that skipped a boundary would end with fewer segments.
            #expect(segments(id) == all.filter { (Int($0.dropFirst(7).dropLast(3)) ?? -1) >= n }, "\(id): other segments than the run at 0")

            // Every segment after a run's first is the same, packet for packet, in every run.
            for m in compared where m > n {
                let reference = try await segment("from0", m)
                #expect(!reference.isEmpty)
                let same = Self.same(try await segment(id, m), reference)
                #expect(same, "segment \(m): \(id) differs from the run at 0")
            }
            // A run's first segment: the same video; its audio packets lie on the same grid (it may
            // lack the few leading packets the previous segment of another run already carries).
            let first = try await segment(id, n)
            let reference = try await segment("from0", n)
            let around = try await segment("from0", n - 1) + reference
            let video = Self.sameFrames(first.filter { $0.kind == "video" }, reference.filter { $0.kind == "video" })
            #expect(video, "\(id) segment \(n): video frames at other times")
            let audio = first.filter { $0.kind == "audio" }
            let unmatched = audio.filter { packet in !around.contains { $0.kind == "audio" && abs($0.pts - packet.pts) < 0.001 } }
            #expect(unmatched.isEmpty, "\(id) segment \(n): audio off the grid: \(unmatched.prefix(3))")
            let missing = reference.filter { $0.kind == "audio" }.count - audio.count
            #expect(missing <= 4, "\(id) segment \(n) lacks \(missing) audio packets")

            // Switching runs either way, each stream's DTS only move forward.
            for (before, after) in [(try await segment("from0", n - 1), first), (first, try await segment("from0", n + 1))] {
                for kind in ["video", "audio"] {
                    let last = before.filter { $0.kind == kind }.map(\.dts).max() ?? -1
                    let next = after.filter { $0.kind == kind }.map(\.dts).min() ?? .infinity
                    #expect(last < next, "\(id) around segment \(n): \(kind) DTS steps back from \(last) to \(next)")
                }
            }
        }
    }
}
