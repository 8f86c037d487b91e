import Foundation
import Testing
import TranscodeWire
@testable import OrchestratorCore

@Suite struct RoutingTests {
    func worker(_ id: String, _ status: WorkerStatus, encoders: [String]? = ["libx264"], apis: [String] = [], maxJobs: Int? = 4) -> WorkerRecord {
        WorkerRecord(
            id: id, specs: StaticSpecs(cpuModel: "cpu", totalThreads: 8, hardwareAcceleration: apis, encoders: encoders),
            address: "http://127.0.0.1:1", maxJobs: maxJobs, segmentSeconds: 4, status: status, reason: nil,
            telemetry: nil, jobContext: nil, registeredAt: Date(), lastHeartbeat: .now, lastHeartbeatDate: Date()
        )
    }

    @Test func onlyWorkersOfferingTheEncoderAreChosen() throws {
        let pool = [worker("cpu", .idle), worker("gpu", .busy, encoders: ["h264_nvenc", "libx264"], apis: ["nvenc"])]
        let chosen = try Routing.choose(encoder: "h264_nvenc", workers: pool, activeJobs: [:]).get()
        #expect(chosen.id == "gpu")
    }

    @Test func aSeedOnlyWorkerOffersItsAPIFamiliesAndLibx264() throws {
        let seedOnly = worker("seed", .idle, encoders: nil, apis: ["nvenc", "vaapi"])
        #expect(seedOnly.offers("h264_nvenc") && seedOnly.offers("hevc_vaapi") && seedOnly.offers("libx264"))
        #expect(!seedOnly.offers("h264_qsv"))
        #expect(try Routing.choose(encoder: "hevc_nvenc", workers: [seedOnly], activeJobs: [:]).get().id == "seed")
    }

    @Test func idleBeatsBusyAndStressedOrErrorOnlyWhenNothingElseFits() throws {
        let pool = [worker("a-stressed", .stressed), worker("b-busy", .busy), worker("c-idle", .idle), worker("d-error", .error)]
        #expect(try Routing.choose(encoder: "libx264", workers: pool, activeJobs: [:]).get().id == "c-idle")
        #expect(try Routing.choose(encoder: "libx264", workers: pool.filter { $0.id != "c-idle" }, activeJobs: [:]).get().id == "b-busy")
        #expect(try Routing.choose(encoder: "libx264", workers: [pool[0], pool[3]], activeJobs: [:]).get().id == "a-stressed")
        #expect(try Routing.choose(encoder: "libx264", workers: [pool[3]], activeJobs: [:]).get().id == "d-error")
    }

    @Test func fewerActiveJobsWinsAndMaxJobsIsRespected() throws {
        let pool = [worker("a", .busy, maxJobs: 2), worker("b", .busy, maxJobs: 2)]
        #expect(try Routing.choose(encoder: nil, workers: pool, activeJobs: ["a": 1]).get().id == "b")
        #expect(try Routing.choose(encoder: "auto", workers: pool, activeJobs: ["a": 2, "b": 1]).get().id == "b")
        let full = Routing.choose(encoder: "libx264", workers: pool, activeJobs: ["a": 2, "b": 2])
        guard case .failure(let failure) = full else { Issue.record("a full pool must refuse"); return }
        #expect(failure.message.contains("libx264") && failure.message.contains("job limit"))
    }

    @Test func offlineWorkersNeverGetJobsAndTheSentenceNamesWhatThePoolOffers() {
        let pool = [worker("gone", .offline, encoders: ["h264_nvenc"]), worker("cpu", .idle)]
        guard case .failure(let failure) = Routing.choose(encoder: "h264_nvenc", workers: pool, activeJobs: [:]) else {
            Issue.record("an offline worker must not be chosen")
            return
        }
        #expect(failure.message.contains("'h264_nvenc'"))
        #expect(failure.message.contains("libx264"))
        guard case .failure(let empty) = Routing.choose(encoder: "libx264", workers: [WorkerRecord](), activeJobs: [:]) else { return }
        #expect(empty.message.contains("no live workers"))
    }
}
