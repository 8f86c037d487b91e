import Foundation
import Testing
import TranscodeWire
@testable import OrchestratorCore

/// Routes over `pool` as the orchestrator does (workers registered in this order).
func route(_ encoder: String?, _ pool: [WorkerRecord], active: [String: Int] = [:], excluding: Set<String> = []) -> Result<String, RoutingRefusal> {
    var table = RoutingTable()
    pool.forEach { table.upsert($0) }
    if let id = table.choose(encoder: encoder, activeJobs: active, excluding: excluding) { return .success(id) }
    return .failure(RoutingRefusal(message: table.refusal(encoder: encoder)))
}

struct RoutingRefusal: Error { var message: String }

@Suite struct RoutingTests {
    func worker(_ id: String, _ status: WorkerStatus, encoders: [String]? = ["libx264"], apis: [String] = [], maxJobs: Int? = 4) -> WorkerRecord {
        WorkerRecord(
            id: id, specs: StaticSpecs(cpuModel: "cpu", totalThreads: 8, hardwareAcceleration: apis, encoders: encoders),
            address: "http://127.0.0.1:1", maxJobs: maxJobs, segmentSeconds: 4, status: status, reason: nil,
            telemetry: nil, jobContext: nil, registeredAt: Date(), lastHeartbeat: .now
        )
    }

    @Test func onlyWorkersOfferingTheEncoderAreChosen() throws {
        let pool = [worker("cpu", .idle), worker("gpu", .busy, encoders: ["h264_nvenc", "libx264"], apis: ["nvenc"])]
        #expect(try route("h264_nvenc", pool).get() == "gpu")
    }

    @Test func aSeedOnlyWorkerOffersItsAPIFamiliesAndLibx264() throws {
        let seedOnly = worker("seed", .idle, encoders: nil, apis: ["nvenc", "vaapi"])
        for encoder in ["h264_nvenc", "hevc_vaapi", "libx264"] {
            #expect(try route(encoder, [seedOnly]).get() == "seed", "\(encoder)")
        }
        #expect(try route("hevc_nvenc", [seedOnly]).get() == "seed")
        #expect(try route("av1_nvenc", [seedOnly]).get() == "seed", "by family, whatever the codec")
        #expect(throws: RoutingRefusal.self) { try route("h264_qsv", [seedOnly]).get() }
    }

    @Test func idleBeatsBusyAndStressedOrErrorOnlyWhenNothingElseFits() throws {
        let pool = [worker("a-stressed", .stressed), worker("b-busy", .busy), worker("c-idle", .idle), worker("d-error", .error)]
        #expect(try route("libx264", pool).get() == "c-idle")
        #expect(try route("libx264", pool.filter { $0.id != "c-idle" }).get() == "b-busy")
        #expect(try route("libx264", [pool[0], pool[3]]).get() == "a-stressed")
        #expect(try route("libx264", [pool[3]]).get() == "d-error")
        #expect(try route("libx264", pool, excluding: ["c-idle"]).get() == "b-busy", "a worker that did not answer is skipped")
    }

    @Test func fewerActiveJobsWinsAndMaxJobsIsRespected() throws {
        let pool = [worker("a", .busy, maxJobs: 2), worker("b", .busy, maxJobs: 2)]
        #expect(try route(nil, pool, active: ["a": 1]).get() == "b")
        #expect(try route("auto", pool, active: ["a": 2, "b": 1]).get() == "b")
        #expect(try route("auto", pool).get() == "a", "ties go to the earliest registered")
        let full = route("libx264", pool, active: ["a": 2, "b": 2])
        guard case .failure(let failure) = full else { Issue.record("a full pool must refuse"); return }
        #expect(failure.message.contains("libx264") && failure.message.contains("job limit"))
    }

    @Test func offlineWorkersNeverGetJobsAndTheSentenceNamesWhatThePoolOffers() {
        let pool = [worker("gone", .offline, encoders: ["h264_nvenc"]), worker("cpu", .idle)]
        guard case .failure(let failure) = route("h264_nvenc", pool) else {
            Issue.record("an offline worker must not be chosen")
            return
        }
        #expect(failure.message.contains("'h264_nvenc'"))
        #expect(failure.message.contains("libx264"))
        guard case .failure(let empty) = route("libx264", []) else {
            Issue.record("an empty pool must refuse")
            return
        }
        #expect(empty.message.contains("no live workers"))
    }

    @Test func theTableKnowsEveryEncoderAWorkerEverOffered() {
        var table = RoutingTable()
        #expect(table.knows(encoder: "libfoo"), "an empty pool knows nothing either way: wait")
        table.upsert(worker("gpu", .idle, encoders: ["h264_nvenc", "libx264"]))
        table.upsert(worker("seed", .idle, encoders: nil, apis: ["vaapi"]))
        for encoder in ["h264_nvenc", "libx264", "hevc_vaapi", "h264_vaapi", "auto", ""] { #expect(table.knows(encoder: encoder), "\(encoder)") }
        for encoder in ["libfoo", "hevc_nvenc", "h264_qsv"] { #expect(!table.knows(encoder: encoder), "\(encoder)") }
        // Offline, or registered again without it: still known (it may come back).
        table.setStatus("gpu", .offline)
        table.upsert(worker("gpu", .idle, encoders: ["libx264"]))
        #expect(table.knows(encoder: "h264_nvenc"))
        #expect(table.refusal(encoder: "libfoo").hasPrefix("No worker has ever offered encoder 'libfoo'"))
        #expect(table.refusal(encoder: "h264_nvenc").hasPrefix("No live worker can run encoder 'h264_nvenc' now"))
    }

    @Test func autoPrefersAWorkerWithHardwareH264AtTheSameStatus() throws {
        let pool = [worker("cpu", .idle), worker("gpu", .idle, encoders: ["h264_nvenc", "libx264"], apis: ["nvenc"]),
                    worker("seed", .idle, encoders: nil, apis: ["vaapi"])]
        #expect(try route("auto", pool).get() == "gpu", "hardware H.264 before the earlier-registered software worker")
        #expect(try route("auto", [pool[0], pool[2]]).get() == "seed", "a seed-only worker's API family offers h264_<api>")
        #expect(try route("auto", Array(pool.prefix(2)), active: ["gpu": 3]).get() == "gpu", "before the fewest active jobs")
        #expect(try route("auto", pool, active: ["gpu": 3]).get() == "seed", "then the fewest active jobs among hardware")
        #expect(try route("libx264", pool).get() == "cpu", "a named encoder: no preference, the earliest registered")
        #expect(try route("auto", [worker("cpu", .idle), worker("gpu", .busy, encoders: ["h264_nvenc"])]).get() == "cpu", "status comes first")
        #expect(try route("auto", [worker("cpu", .idle), worker("hevc", .idle, encoders: ["hevc_nvenc", "libx264"])]).get() == "cpu",
                "hardware HEVC only is no hardware H.264")
    }

    @Test func autoGoesOnlyToAWorkerThatMakesH264() throws {
        let pool = [worker("hevc-only", .idle, encoders: ["libx265", "hevc_vaapi"]), worker("cpu", .busy)]
        #expect(try route("auto", pool).get() == "cpu", "auto makes H.264: the idle HEVC-only worker cannot run it")
        #expect(try route("libx265", pool).get() == "hevc-only")
        #expect(try route(nil, [worker("seed", .idle, encoders: nil, apis: ["nvenc"])]).get() == "seed", "a seed-only worker offers libx264")
        var table = RoutingTable()
        table.upsert(worker("hevc-only", .idle, encoders: ["libx265"]))
        #expect(table.choose(encoder: "auto", activeJobs: [:]) == nil)
        #expect(!table.knows(encoder: "auto"), "no worker ever offered H.264: auto can never run (422)")
        #expect(table.knows(encoder: "libx265"))
    }
}
