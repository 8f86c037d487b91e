import Foundation
import Testing
import TranscodeWire
@testable import OrchestratorCore

/// Routing by picture work: a burn-in job never goes to a worker whose backend for its encoder
/// cannot burn in; tone mapping is preferred (the orchestrator does not know the source is HDR).
@Suite struct PictureRoutingTests {
    static func worker(_ id: String, backends: [BackendSummary]?, encoders: [String]) -> WorkerRecord {
        WorkerRecord(
            id: id, specs: StaticSpecs(cpuModel: "cpu", totalThreads: 8, hardwareAcceleration: [], encoders: encoders, backends: backends),
            address: "http://127.0.0.1:1", maxJobs: 4, segmentSeconds: 4, status: .idle, reason: nil,
            telemetry: nil, jobContext: nil, registeredAt: Date(), lastHeartbeat: .now
        )
    }

    static let all = ["tone_map", "burn_in_text", "burn_in_bitmap"]
    /// x264 can do everything; a manifest HEVC backend without `features` cannot.
    static let mixed = worker("mixed", backends: [
        BackendSummary(id: "x264", available: true, reason: "ok", encoders: ["libx264"], features: all),
        BackendSummary(id: "plain265", available: true, reason: "ok", encoders: ["libx265"], features: []),
    ], encoders: ["libx264", "libx265"])
    static let able265 = worker("able265", backends: [
        BackendSummary(id: "x265", available: true, reason: "ok", encoders: ["libx265"], features: all),
    ], encoders: ["libx265"])

    static func table(_ workers: [WorkerRecord]) -> RoutingTable {
        var table = RoutingTable()
        workers.forEach { table.upsert($0) }
        return table
    }

    @Test func burnInSkipsAWorkerWhoseBackendForTheEncoderCannot() {
        let table = Self.table([Self.mixed, Self.able265])
        #expect(table.choose(encoder: "libx265", activeJobs: [:]) == "mixed", "without needs the first registered wins")
        #expect(table.choose(encoder: "libx265", activeJobs: [:], needs: .burnIn) == "able265")
        #expect(table.choose(encoder: "libx264", activeJobs: [:], needs: [.burnIn, .toneMap]) == "mixed")
        #expect(Self.table([Self.mixed]).choose(encoder: "libx265", activeJobs: [:], needs: .burnIn) == nil)
        #expect(Self.table([Self.mixed]).choose(encoder: "auto", activeJobs: [:], needs: .burnIn) == "mixed", "auto: any able encoder")
    }

    @Test func aBackendWithOnlyTextBurnInDoesNotCountForBurnIn() {
        let textOnly = Self.worker("text", backends: [
            BackendSummary(id: "t", available: true, reason: "ok", encoders: ["libx264"], features: ["burn_in_text"]),
        ], encoders: ["libx264"])
        #expect(Self.table([textOnly]).choose(encoder: "libx264", activeJobs: [:], needs: .burnIn) == nil)
    }

    @Test func unavailableBackendsDoNotCount() {
        let gone = Self.worker("gone", backends: [
            BackendSummary(id: "x264", available: true, reason: "ok", encoders: ["libx264"], features: []),
            BackendSummary(id: "gpu", available: false, reason: "no GPU", encoders: ["libx264"], features: Self.all),
        ], encoders: ["libx264"])
        #expect(Self.table([gone]).choose(encoder: "libx264", activeJobs: [:], needs: .toneMap) == nil)
    }

    @Test func workersThatReportNoFeaturesAreAssumedAble() {
        let seed = Self.worker("seed", backends: nil, encoders: ["libx264"])
        let older = Self.worker("older", backends: [BackendSummary(id: "x264", available: true, reason: "ok")], encoders: ["libx264"])
        #expect(Self.table([seed]).choose(encoder: "libx264", activeJobs: [:], needs: [.burnIn, .toneMap]) == "seed")
        #expect(Self.table([older]).choose(encoder: "libx264", activeJobs: [:], needs: [.burnIn, .toneMap]) == "older")
    }

    @Test func needsComeFromTheConfiguration() {
        var configuration = JobConfiguration()
        #expect(Pool.routingNeeds(configuration) == ([.toneMap], true), "tone_map defaults to auto")
        configuration.toneMap = .off
        #expect(Pool.routingNeeds(configuration).0.isEmpty)
        configuration.subtitles = SubtitleChoice(track: 0, burnIn: true)
        #expect(Pool.routingNeeds(configuration).0 == [.burnIn])
        configuration.forceRemux = true
        #expect(Pool.routingNeeds(configuration).0.isEmpty)
    }
}

/// The orchestrator's job view relays what the worker did to HDR.
@Suite struct ToneMappedRelayTests {
    @Test func aReportsToneMappedReachesTheJobView() throws {
        var record = JobRecord(
            jobID: "j", workerID: "w", sourcePath: "/m/film.mkv", outputPath: nil,
            requested: JobConfiguration(), configuration: JobConfiguration(), state: .starting
        )
        let status = JobStatus(
            jobID: "j", state: .running, progress: 1, speed: nil, lastSegmentID: nil, startSegment: 0, encoder: "libx264",
            backend: "x264", pid: nil, ffmpegArgs: [], sourcePath: "/m/film.mkv", outputPath: "/t/j",
            configuration: JobConfiguration(), error: nil, notes: [], toneMapped: "pq->bt709 (hable)"
        )
        let wire = try JSONDecoder().decode(WorkerJob.self, from: JSONEncoder().encode(WorkerJob(status)))
        record.apply(wire)
        let view = try JSONSerialization.jsonObject(with: JSONEncoder().encode(JobView(record, playlistURL: "u"))) as? [String: Any]
        #expect(view?["tone_mapped"] as? String == "pq->bt709 (hable)")
        // An SDR run reports null, and the view says null rather than leaving the key out.
        var sdr = status
        sdr.toneMapped = nil
        record.apply(WorkerJob(sdr))
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(JobView(record, playlistURL: "u"))) as? [String: Any]
        #expect(plain?["tone_mapped"] is NSNull)
    }
}
