import Foundation
import Testing
import TestSupport

/// The dashboard in real headless Chromium, driven by `players/dashboard.py` as an operator
/// would use it. With `TRANSCODE_UPDATE_SCREENSHOTS=1` its screenshots of the pool and jobs views renew those in `docs/`.
@Suite struct DashboardTests {
    /// Short heartbeats so that an OFFLINE shows within seconds.
    static let heartbeatInterval = 1.0
    static let heartbeatTimeout = 3.0

    @Test func anOperatorSeesThePoolStartsAJobPlaysItDrainsAndSeesAFailover() async throws {
        try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
        let media = try Sandbox("dashboard")
        // Long enough that the encode is still running when the drain comes: a finished job stays put.
        let clip = try await media.makeClip(seconds: 180, size: "640x360", name: "holiday.mkv")
        let orchestrator = try await OrchestratorHarness.start(
            heartbeatTimeout: Self.heartbeatTimeout, extra: ["--media-root", media.media.path]
        )
        var workers: [String: WorkerHarness] = [:]
        for id in ["dash-1", "dash-2"] {
            workers[id] = try await WorkerHarness.start(
                ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "\(Self.heartbeatInterval)",
                 "--media-root", media.media.path],
                id: id
            )
        }
        // The static page needs no token; its data does.
        let open = API(orchestrator.service.baseURL, token: nil)
        #expect(try await open.call("GET", "/").status == 200)
        #expect(try await open.call("GET", "/dashboard/app.js").status == 200)
        #expect(try await open.call("GET", "/v1/dashboard/snapshot").status == 401)
        #expect(try await open.call("GET", "/v1/library").status == 401)

        // The committed screenshots are renewed only on request, so a test run leaves the tree clean.
        let shots = ProcessInfo.processInfo.environment["TRANSCODE_UPDATE_SCREENSHOTS"] == "1"
            ? PlayerTools.root.appendingPathComponent("docs") : media.root
        let driver = try ChildProcess(PlayerTools.python, [
            PlayerTools.folder.appendingPathComponent("dashboard.py").path, "--url", orchestrator.service.baseURL,
            "--token", WorkerHarness.token, "--clip", URL(fileURLWithPath: clip).standardizedFileURL.path, "--shots", shots.path,
        ])
        func event(_ name: String, _ timeout: Duration) async throws -> [String: Any] {
            let line = await driver.line(timeout: timeout) { $0.contains(#""event": "\#(name)""#) }
            let text = try #require(line, "no '\(name)' from the dashboard driver:\n\(driver.lines.suffix(30).joined(separator: "\n"))\n\(driver.errorText.suffix(3000))")
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        }

        let login = try await event("login", .seconds(30))
        #expect(login["stored"] as? Bool == true, "the token is kept in sessionStorage")
        #expect((login.string("url") ?? "").contains("test-token") == false, "the token never appears in the page URL")

        let pool = try await event("workers", .seconds(40))
        let seen = try #require(pool["workers"] as? [[String: Any]])
        #expect(Set(seen.compactMap { $0.string("id") }) == ["dash-1", "dash-2"])
        #expect(seen.allSatisfy { ($0["backends"] as? [String])?.contains { $0.hasPrefix("x264") } == true }, "\(seen)")

        let progress = try await event("progress", .seconds(60))
        let values = (progress["values"] as? [Double]) ?? []
        #expect(values.count >= 3 && values == values.sorted() && (values.last ?? 0) > (values.first ?? 0), "the bar moves: \(values)")
        #expect(progress.string("encoder") == "libx264")

        let played = try await event("played", .seconds(60))
        #expect(((played["currentTime"] as? Double) ?? 0) > 2)

        let drained = try await event("drained", .seconds(60))
        #expect(drained.string("moved_to") != drained.string("worker"), "\(drained)")
        #expect(drained.string("failovers")?.contains("draining") == true, "\(drained)")
        #expect(drained["error"] is NSNull, "no video error across the drain: \(drained)")
        let from = (drained["played_from"] as? Double) ?? 0, to = (drained["played_to"] as? Double) ?? 0
        #expect(to - from >= 5, "the video kept playing across the drain: \(from) -> \(to) s")
        let waits = (drained["waits"] as? [[String: Any]]) ?? []
        #expect(waits.allSatisfy { (($0["ms"] as? Double) ?? 10_000) < 1000 }, "no stall over a second: \(waits)")

        let killEvent = try await event("kill", .seconds(30))
        let victim = try #require(killEvent.string("worker"))
        _ = await workers[victim]?.service.stopped(signal: SIGKILL)
        workers[victim] = nil
        driver.send("killed")
        let failover = try await event("failover", .seconds(40))
        #expect(failover.string("status") == "OFFLINE")
        #expect(failover.string("failovers")?.contains(victim) == true, "\(failover)")

        let usr1 = try await event("usr1", .seconds(20))
        let survivor = try #require(usr1.string("worker"))
        let sentAt = Date().timeIntervalSince1970 * 1000
        kill(try #require(workers[survivor]).service.pid, SIGUSR1)
        driver.send(String(format: "%.0f", sentAt))
        let latency = try await event("latency", .seconds(20))
        let ms = (latency["ms"] as? Double) ?? .infinity
        print("dashboard latency: SIGUSR1 at the worker to the page showing it draining: \(Int(ms)) ms")
        #expect(ms < Self.heartbeatInterval * 1000, "a worker's change shows within one heartbeat: \(ms) ms")
        _ = try await event("done", .seconds(20))
        await driver.stop()
        withExtendedLifetime(media) {}
    }

    @Test func anOperatorOpensAFilmsTracksPicksAudioAndSubtitlesAndPlaysIt() async throws {
        try #require(PlayerTools.missing == nil, "\(PlayerTools.missing ?? "")")
        let media = try Sandbox("dashboard-tracks")
        let film = URL(fileURLWithPath: try media.film(try await offPool { try Film.shared(seconds: 24, size: "320x180") }, name: "film.mkv"))
            .standardizedFileURL.path
        let orchestrator = try await OrchestratorHarness.start(extra: ["--media-root", media.media.path])
        let worker = try await WorkerHarness.start(
            ["--orchestrator", orchestrator.service.baseURL, "--heartbeat-interval", "1", "--media-root", media.media.path], id: "dash-tracks"
        )
        #expect(try await eventually { try await orchestrator.worker("dash-tracks") != nil })
        let driver = try ChildProcess(PlayerTools.python, [
            PlayerTools.folder.appendingPathComponent("dashboard.py").path, "--url", orchestrator.service.baseURL,
            "--token", WorkerHarness.token, "--film", film,
        ])
        func event(_ name: String, _ timeout: Duration) async throws -> [String: Any] {
            let line = await driver.line(timeout: timeout) { $0.contains(#""event": "\#(name)""#) }
            let text = try #require(line, "no '\(name)' from the dashboard driver:\n\(driver.lines.suffix(30).joined(separator: "\n"))\n\(driver.errorText.suffix(3000))")
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        }
        _ = try await event("login", .seconds(30))

        // The library lists each track with what a viewer chooses by.
        let listed = try await event("tracks", .seconds(30))
        let items = (listed["items"] as? [String]) ?? []
        #expect(items.count == 7, "\(items)")
        #expect(items.first?.contains("hevc 320x180 10-bit HDR PQ") == true, "\(items)")
        #expect(items.contains { $0.hasPrefix("audio 0 fre ac3 5.1") }, "\(items)")
        #expect(items.contains { $0.hasPrefix("audio 1 eng aac stereo") && $0.contains("default") }, "\(items)")
        #expect(items.contains { $0.hasPrefix("subtitle 2 eng dvd_subtitle bitmap") }, "\(items)")
        #expect(items.contains { $0.hasPrefix("subtitle 3 eng subrip text") && $0.hasSuffix("forced") }, "\(items)")

        // A bitmap track forces burn-in; the job gets the French track and English text subtitles.
        let started = try await event("started", .seconds(30))
        #expect((started["bitmap"] as? [String: Bool]) == ["checked": true, "disabled": true], "\(started)")
        let jobID = try #require(started.string("job"))
        let job = try await orchestrator.api.job(jobID)
        let configuration = try #require(job["configuration"] as? [String: Any])
        #expect(configuration["audio"] as? [String: Int] == ["track": 0], "\(configuration)")
        #expect(configuration.int("audio_channels") == 2)
        #expect((configuration["subtitles"] as? [String: Any])?.int("track") == 0, "\(configuration)")
        #expect((configuration["subtitles"] as? [String: Any])?["burn_in"] as? Bool == false, "\(configuration)")
        #expect(started.string("note") == "audio #0 · subs #0", "\(started)")
        let onWorker = try await worker.api.job(jobID)
        #expect(onWorker.strings("ffmpeg_args")?.containsPair("-map", "0:a:0?") == true, "\(onWorker.strings("ffmpeg_args") ?? [])")

        // The player takes the master playlist when the job has one (its subtitle rendition), and shows the text track.
        let played = try await event("played", .seconds(60))
        // Signed URLs differ per view in their token; the path says which playlist it is.
        func path(_ url: String?) -> String? { url.flatMap { URLComponents(string: $0)?.path } }
        let expected = job.string("master_url") ?? job.string("playlist_url")
        #expect(path(played.string("src")) == path(expected) && expected != nil, "\(played) vs \(job)")
        if job.string("master_url") != nil {
            #expect((played["text_tracks"] as? Int ?? 0) >= 1 && played.string("mode") == "showing", "\(played)")
        }
        _ = try await event("done", .seconds(20))
        await driver.stop()
        withExtendedLifetime(media) {}
    }
}
