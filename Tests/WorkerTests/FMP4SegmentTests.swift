import Foundation
import Testing
import TestSupport

/// `configuration.container: "fmp4"`: an init segment and `segmentN.m4s`, with the TS jobs'
/// guarantee that segment N carries the same timestamps whichever run wrote it.
@Suite("fMP4 segments (real FFmpeg)")
struct FMP4SegmentTests {
    typealias Packet = FMP4Probe.Packet

    /// The same frames at the same times, in decode order; a run's first GOP may order its
    /// B-frames differently (the encoder's lookahead starts afresh), so PTS compare as a set.
    static func sameFrames(_ a: [Packet], _ b: [Packet]) -> Bool {
        let ptsA = a.map(\.pts).sorted(), ptsB = b.map(\.pts).sorted()
        return a.count == b.count && zip(ptsA, ptsB).allSatisfy { abs($0 - $1) < 0.001 }
            && zip(a, b).allSatisfy { abs($0.dts - $1.dts) < 0.001 }
    }

    /// The same packets per stream. Each track of an fMP4 fragment has its own run of samples,
    /// so the order in which ffprobe interleaves the two tracks is the demuxer's, not the file's.
    static func same(_ a: [Packet], _ b: [Packet]) -> Bool {
        ["video", "audio"].allSatisfy { kind in
            let x = a.filter { $0.kind == kind }, y = b.filter { $0.kind == kind }
            return x.count == y.count && zip(x, y).allSatisfy { abs($0.pts - $1.pts) < 0.001 && abs($0.dts - $1.dts) < 0.001 }
        }
    }

    /// Where two packet lists part, for failure messages.
    static func difference(_ a: [Packet], _ b: [Packet]) -> String {
        for kind in ["video", "audio"] {
            let x = a.filter { $0.kind == kind }, y = b.filter { $0.kind == kind }
            if let i = x.indices.first(where: { $0 < y.count && !same([x[$0]], [y[$0]]) }) { return "\(kind) packet \(i): \(x[i]) and \(y[i])" }
            if x.count != y.count { return "\(kind): \(x.count) and \(y.count) packets" }
        }
        return "none"
    }

    @Test("A run from 0 and one from 20 s write the same init.mp4 and segments in the movie's time")
    func segmentsCarryTheMoviesTimeFromEveryRun() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 32, size: "480x270", rate: "24", audioRate: 44_100)
        for (id, seek) in [("from0", nil), ("seek20", "00:00:20")] as [(String, String?)] {
            let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(clip, container: "fmp4", seek: seek))
            #expect(created.status == 201, "\(created.text)")
        }
        for id in ["from0", "seek20"] {
            let done = try await worker.api.waitForJob(id, timeout: .seconds(120)) { $0.string("state") == "completed" }
            #expect(done.held, "\(id) did not complete: \(done.job)")
        }
        let folder = { (id: String) in worker.sandbox.transcode.appendingPathComponent(id).path }
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder("from0"))) ?? [])
        #expect(names.contains("init.mp4") && names.contains("segment0.m4s") && names.contains("segment7.m4s"), "\(names.sorted())")
        #expect(!names.contains { $0.hasSuffix(".ts") || $0.hasSuffix(".tmp") }, "\(names.sorted())")
        let playlist = try String(contentsOfFile: folder("seek20") + "/index.m3u8", encoding: .utf8)
        #expect(playlist.contains("#EXT-X-MAP:URI=\"init.mp4\"") && playlist.contains("\nsegment5.m4s"), "\(playlist)")

        // One init segment for every run: the same bytes, and ffprobe reads the same codec configuration.
        let initA = folder("from0") + "/init.mp4", initB = folder("seek20") + "/init.mp4"
        #expect(FileManager.default.contents(atPath: initA) == FileManager.default.contents(atPath: initB), "init.mp4 differs between runs")
        let configA = try await FMP4Probe.codecConfiguration(initA), configB = try await FMP4Probe.codecConfiguration(initB)
        #expect(configA == configB && configA.contains("codec_tag_string=avc1") && configA.contains("extradata_hash="), "\(configA)\n\(configB)")

        func segment(_ id: String, _ n: Int, initFrom: String? = nil) async throws -> [Packet] {
            try await FMP4Probe.packets(initSegment: folder(initFrom ?? id) + "/init.mp4", segment: folder(id) + "/segment\(n).m4s")
        }
        // After the seek run's first segment: the same packets, each read with either run's init.
        for m in [6, 7] {
            let reference = try await segment("from0", m)
            let startsAt = reference.first?.dts ?? -1
            #expect(abs(startsAt - Double(m * 4)) < 0.5, "segment \(m) in movie time: starts at \(startsAt) s")
            let other = try await segment("seek20", m), mixed = try await segment("seek20", m, initFrom: "from0")
            let same = Self.same(other, reference), sameMixed = Self.same(mixed, reference)
            #expect(same, "segment \(m): the run from 20 s differs: \(Self.difference(other, reference))")
            #expect(sameMixed, "segment \(m) with the other run's init: \(Self.difference(mixed, reference))")
        }
        // The seek run's first segment: the same video frames (tfdt is the movie's time, not 0),
        // its audio on the same packet grid.
        let first = try await segment("seek20", 5), reference = try await segment("from0", 5)
        let video = first.filter { $0.kind == "video" }
        let sameVideo = Self.sameFrames(video, reference.filter { $0.kind == "video" })
        #expect(sameVideo, "segment 5: video at other times: \(video.prefix(3))")
        let start = video.map(\.pts).min() ?? -1
        #expect(abs(start - 20) < 0.001, "segment 5 starts at 20 s, not \(start) s")
        let around = try await segment("from0", 4) + reference
        let offGrid = first.filter { $0.kind == "audio" }.filter { p in !around.contains { $0.kind == "audio" && abs($0.pts - p.pts) < 0.001 } }
        #expect(offGrid.isEmpty, "segment 5: audio off the grid: \(offGrid.prefix(3))")
        // Switching runs either way, each stream's DTS only move forward.
        for (before, after) in [(try await segment("from0", 4), first), (first, try await segment("from0", 6))] {
            for kind in ["video", "audio"] {
                let last = before.filter { $0.kind == kind }.map(\.dts).max() ?? -1
                let next = after.filter { $0.kind == kind }.map(\.dts).min() ?? .infinity
                #expect(last < next, "\(kind) DTS steps back from \(last) to \(next)")
            }
        }

        // Served whole, with their types; a TS name is no file of this job.
        let initFile = try await worker.api.call("GET", "/v1/jobs/from0/hls/init.mp4")
        #expect(initFile.status == 200 && initFile.header("Content-Type") == "video/mp4", "\(initFile.status) \(initFile.headers)")
        #expect(FMP4Probe.boxes(initFile.body).starts(with: ["ftyp", "moov"]), "\(FMP4Probe.boxes(initFile.body))")
        let media = try await worker.api.call("GET", "/v1/jobs/from0/hls/segment1.m4s")
        #expect(media.status == 200 && media.header("Content-Type") == "video/iso.segment", "\(media.status) \(media.headers)")
        #expect(Set(FMP4Probe.boxes(media.body)).isSuperset(of: ["moof", "mdat"]), "\(FMP4Probe.boxes(media.body))")
        #expect(try await worker.api.call("GET", "/v1/jobs/from0/hls/segment1.ts").status == 404)
        // The master playlist's CODECS: the H.264 bytes from the init segment's avcC.
        let status = try await worker.api.object("/v1/jobs/from0")
        let codecs = (status["output"] as? [String: Any])?.string("codecs") ?? ""
        #expect(codecs.hasPrefix("avc1.64") && codecs.hasSuffix(",mp4a.40.2"), "\(status)")
    }

    @Test("An unknown container is refused with the choices; ts is the default")
    func anUnknownContainerIsRefused() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 4, size: "160x120")
        let refused = try await worker.api.call("PUT", "/v1/jobs/mkv", body: WorkerHarness.job(clip, container: "mkv"))
        #expect(refused.status == 422, "\(refused.status) \(refused.text)")
        #expect(refused.errorSentence == "container must be \"ts\" or \"fmp4\"; got 'mkv'.", "\(refused.text)")
        let plain = try await worker.api.call("PUT", "/v1/jobs/plain", body: WorkerHarness.job(clip))
        #expect(plain.status == 201, "\(plain.text)")
        let done = try await worker.api.waitForJob("plain") { $0.string("state") == "completed" }
        #expect(done.held, "\(done.job)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: worker.sandbox.transcode.appendingPathComponent("plain").path)) ?? []
        #expect(names.contains("segment0.ts") && !names.contains("init.mp4"), "\(names)")
        let args = (done.job["ffmpeg_args"] as? [String]) ?? []
        #expect(!args.contains("-hls_segment_type"), "\(args)")
    }

    @Test("HEVC in fMP4 through the x265 manifest: tagged hvc1, one init for every run, CODECS hvc1")
    func hevcThroughTheX265Manifest() async throws {
        let sandbox = try Sandbox("fmp4-hevc")
        let folder = try Manifests.folder(["x265.toml": try Manifests.shipped("x265.toml")], in: sandbox)
        let worker = try await WorkerHarness.start(["--backends-dir", folder], sandbox: sandbox)
        let clip = try await sandbox.makeClip(seconds: 12, size: "320x240")
        for (id, seek) in [("hevc0", nil), ("hevc4", "00:00:04")] as [(String, String?)] {
            let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(clip, container: "fmp4", seek: seek, encoder: "libx265", bitrate: 400_000))
            #expect(created.status == 201 && created.object.string("backend") == "x265", "\(created.text)")
            let args = (created.object["ffmpeg_args"] as? [String]) ?? []
            #expect(args.contains("hvc1") && args.contains("fmp4"), "\(args)")
        }
        for id in ["hevc0", "hevc4"] {
            let done = try await worker.api.waitForJob(id, timeout: .seconds(120)) { $0.string("state") == "completed" }
            #expect(done.held, "\(id) did not complete: \(done.job)")
        }
        let path = { (id: String, file: String) in sandbox.transcode.appendingPathComponent("\(id)/\(file)").path }
        let config = try await FMP4Probe.codecConfiguration(path("hevc0", "init.mp4"))
        #expect(config.contains("codec_name=hevc") && config.contains("codec_tag_string=hvc1"), "\(config)")
        #expect(try await FMP4Probe.codecConfiguration(path("hevc4", "init.mp4")) == config, "the run from 4 s has another codec configuration")
        let first = try await FMP4Probe.packets(initSegment: path("hevc0", "init.mp4"), segment: path("hevc4", "segment1.m4s"))
        let start = first.filter { $0.kind == "video" }.map(\.pts).min() ?? -1
        #expect(abs(start - 4) < 0.001, "the run from 4 s starts at \(start) s")
        let status = try await worker.api.object("/v1/jobs/hevc0")
        let codecs = (status["output"] as? [String: Any])?.string("codecs") ?? ""
        #expect(codecs.hasPrefix("hvc1.1.") && codecs.hasSuffix(",mp4a.40.2"), "\(status)")
    }
}
