import Foundation
import Testing
import TestSupport

/// Track choice through the orchestrator: the worker's 422 sentences come back as they are,
/// the track listing is answered with or without the orchestrator's own `--media-root`, and
/// a chosen audio track stays chosen across a seek.
@Suite struct TrackChoicePoolTests {
    /// Every refusal a track choice can meet on the film, with its whole sentence.
    static func refusals() -> [(configuration: [String: Any], sentence: String)] {
        let audio = "the source has: 0 fre 5.1 ac3, 1 eng stereo aac"
        let subtitles = "the source has: 0 eng subrip, 1 fre ass, 2 eng dvd_subtitle, 3 eng forced subrip"
        return [
            (["audio": ["language": "deu"]], "no audio track in \"deu\"; \(audio)"),
            (["audio": ["track": 2]], "no audio track 2; \(audio)"),
            (["audio_channels": 4], "audio_channels must be 2 (stereo) or 6 (5.1); got 4."),
            (["subtitles": ["track": 2]], "subtitle track 2 (eng dvd_subtitle) is a bitmap track: it can only be burned in; ask for it with \"burn_in\": true."),
            (["subtitles": ["language": "deu"]], "no subtitle track in \"deu\"; \(subtitles)"),
            (["subtitles": ["track": 7]], "no subtitle track 7; \(subtitles)"),
            (["subtitles": ["language": "fre", "forced": true]], "no forced subtitle track in \"fre\"; \(subtitles)"),
            (["subtitles": [String: Any]()], "subtitles must name a \"language\" or a \"track\"; \(subtitles)"),
            (["subtitles": ["track": 0, "burn_in": true], "force_remux": true],
             "Subtitles cannot be burned in with force_remux: a remux copies the picture as it is; drop one of the two."),
        ]
    }

    static func body(_ source: String, _ extra: [String: Any]) -> String {
        var configuration: [String: Any] = ["encoder": "libx264", "bitrate_bps": 500_000, "tone_map": "off"]
        configuration.merge(extra) { $1 }
        return jsonText(["source_path": source, "configuration": configuration])
    }

    @Test func everyTrackRefusalIsA422WithTheSameSentenceOnTheWorkerAndThroughTheOrchestrator() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let worker = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5"], id: "refuser")
        #expect(try await eventually { try await orchestrator.worker("refuser") != nil })
        let shared = try await offPool { try Film.shared(seconds: 8, size: "320x180") }
        let film = try worker.sandbox.film(shared)
        // A source whose only German subtitle track is forced-only.
        let forcedOnly = worker.sandbox.media.appendingPathComponent("forced.mkv").path
        let remux = try await runProgramAsync("/usr/bin/env", [
            "ffmpeg", "-v", "error", "-y", "-i", film, "-map", "0:v", "-map", "0:a:1", "-map", "0:s:3", "-c", "copy",
            "-metadata:s:s:0", "language=ger", forcedOnly,
        ])
        #expect(remux.status == 0, "\(remux.stderr)")
        var cases = Self.refusals().map { (source: film, configuration: $0.configuration, sentence: $0.sentence) }
        cases.append((forcedOnly, ["subtitles": ["language": "deu"]],
                      "the only subtitle track in \"deu\" is forced-only (foreign-language parts); ask with \"forced\": true, or pick another; the source has: 0 ger forced subrip"))

        for (n, item) in cases.enumerated() {
            let body = Self.body(item.source, item.configuration)
            let direct = try await worker.api.call("PUT", "/v1/jobs/direct-\(n)", body: body)
            #expect(direct.status == 422, "\(item.configuration): \(direct.text)")
            #expect(direct.errorSentence == item.sentence, "\(item.configuration)")
            let relayed = try await orchestrator.api.call("PUT", "/v1/jobs/pooled-\(n)", body: body)
            #expect(relayed.status == 422, "\(item.configuration): \(relayed.text)")
            // The orchestrator says which worker refused, then the worker's own sentence.
            #expect(relayed.errorSentence == "Worker 'refuser' refused the job: " + item.sentence, "\(item.configuration)")
        }
        #expect(ffmpegProcesses(mentioning: worker.sandbox.media.path).isEmpty, "no refusal started FFmpeg")
        // A forced track asked for as such is no refusal.
        let forced = try await worker.api.call("PUT", "/v1/jobs/forced", body: Self.body(forcedOnly, ["subtitles": ["language": "deu", "forced": true]]))
        #expect(forced.status == 201, "\(forced.text)")
        _ = try await worker.api.call("DELETE", "/v1/jobs/forced")
    }

    @Test func theTrackListingOnTheOrchestratorWithAndWithoutItsOwnMediaRoot() async throws {
        let sandbox = try Sandbox("tracks-pool")
        let film = try sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        let garbage = sandbox.media.appendingPathComponent("garbage.mkv").path
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: garbage))
        let stray = sandbox.root.appendingPathComponent("stray.mkv").path
        try FileManager.default.copyItem(atPath: film, toPath: stray)
        let query = "/v1/media/tracks?path="

        // Its own --media-root: it reads the file itself, no worker needed.
        let reading = try await OrchestratorHarness.start(extra: ["--media-root", sandbox.media.path])
        let own = try await reading.api.call("GET", query + film)
        #expect(own.status == 200, "\(own.text)")
        #expect((own.object["tracks"] as? [[String: Any]])?.count == 7)
        #expect(try await reading.api.call("GET", query + stray).status == 403)
        let unreadable = try await reading.api.call("GET", query + garbage)
        #expect(unreadable.status == 422 && unreadable.errorSentence?.contains("FFmpeg cannot read") == true, "\(unreadable.text)")
        #expect(try await reading.api.call("GET", "/v1/media/tracks").status == 400)
        #expect(try await reading.api.call("GET", query).status == 400)

        // Without one: 503 while no worker is live, then the worker's answer as it is.
        let asking = try await OrchestratorHarness.start()
        let none = try await asking.api.call("GET", query + film)
        #expect(none.status == 503 && none.errorSentence?.contains("no --media-root") == true, "\(none.text)")
        let worker = try await WorkerHarness.start(["--orchestrator", asking.service.baseURL, "--heartbeat-interval", "0.5"], sandbox: sandbox, id: "lister")
        #expect(try await eventually { try await asking.worker("lister") != nil })
        let relayed = try await asking.api.call("GET", query + film)
        #expect(relayed.status == 200, "\(relayed.text)")
        let direct = try await worker.api.call("GET", query + film)
        #expect(relayed.object as NSDictionary == direct.object as NSDictionary)
        #expect(own.object as NSDictionary == direct.object as NSDictionary, "both services list the same tracks")
        #expect(try await asking.api.call("GET", query + stray).status == 403)
        #expect(try await asking.api.call("GET", query + garbage).status == 422)
        #expect(try await asking.api.call("GET", "/v1/media/tracks").status == 400)
        // A path with spaces and a '?' travels to the worker intact.
        let odd = sandbox.media.appendingPathComponent("a film?.mkv").path
        try FileManager.default.copyItem(atPath: film, toPath: odd)
        let escaped = odd.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/.-_"))) ?? odd
        let oddListing = try await asking.api.call("GET", query + escaped)
        #expect(oddListing.status == 200 && oddListing.object.string("path") == odd, "\(oddListing.text)")
    }

    @Test func aChosenAudioTrackStaysChosenWhenTheClientSeeks() async throws {
        let orchestrator = try await OrchestratorHarness.start()
        let worker = try await WorkerHarness.start(["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "0.5"], id: "seeker")
        #expect(try await eventually { try await orchestrator.worker("seeker") != nil })
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 24, size: "320x180") })
        let french: [String: Any] = ["audio": ["language": "fre"]]
        let created = try await orchestrator.api.call("PUT", "/v1/jobs/seek", body: Self.body(film, french))
        #expect(created.status == 201, "\(created.text)")
        let spawned = try await worker.api.ffmpegSpawns()
        // The same body again: nothing restarts, on the orchestrator's side either.
        let again = try await orchestrator.api.call("PUT", "/v1/jobs/seek", body: Self.body(film, french))
        #expect(again.status == 200, "\(again.text)")
        #expect(try await worker.api.ffmpegSpawns() == spawned)

        let sought = try await orchestrator.api.call("PUT", "/v1/jobs/seek", body: Self.body(film, french.merging(["seek_time": "00:00:12"]) { $1 }))
        #expect(sought.status == 200, "\(sought.text)")
        #expect(try await worker.api.ffmpegSpawns() == (spawned ?? 0) + 1, "a seek is a new run")
        let onWorker = try await worker.api.job("seek")
        #expect(onWorker.int("start_segment") == 3)
        #expect(onWorker.strings("ffmpeg_args")?.containsPair("-map", "0:a:0?") == true, "\(onWorker.strings("ffmpeg_args") ?? [])")
        let segment = try await orchestrator.api.call("GET", "/v1/jobs/seek/hls/segment4.ts", timeout: .seconds(60))
        #expect(segment.status == 200, "\(segment.text)")
        let file = worker.sandbox.root.appendingPathComponent("segment4.ts")
        try segment.body.write(to: file)
        let levels = try await audioLevels(file.path, skip: 0.2)
        #expect(levels.allSatisfy { $0.isTone(Film.frenchHz) }, "French after the seek: \(levels)")
    }
}
