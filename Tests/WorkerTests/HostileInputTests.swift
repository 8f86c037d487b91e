import Foundation
import Testing
import TestSupport

/// Bad and hostile requests: each refused with the contract's status and a sentence, and
/// nothing outside the roots touched.
@Suite("Hostile input (real worker)")
struct HostileInputTests {
    /// One refused request.
    struct Case: CustomStringConvertible {
        var label: String
        var method = "PUT"
        var path: String
        var body: String
        var status: Int
        var mentions: String?
        /// Job id that must not exist afterwards (nil when the request names none).
        var jobID: String?
        var description: String { label }
    }

    /// Folders and files planted around the sandbox.
    struct Trap {
        let sandbox: Sandbox
        var root: String { sandbox.root.path }
        var transcode: String { sandbox.transcode.path }
        var media: String { sandbox.media.path }
        var outside: String { root + "/outside" }
        var sentinels: [String] { [root + "/sentinel.txt", outside + "/sentinel.txt"] }

        init(_ sandbox: Sandbox, clip: String) throws {
            self.sandbox = sandbox
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
            for path in [root + "/sentinel.txt", root + "/outside/sentinel.txt"] {
                try Data("sentinel: must survive every request\n".utf8).write(to: URL(fileURLWithPath: path))
            }
            // A real movie outside the media root, and a link to it inside.
            try fm.copyItem(atPath: clip, toPath: root + "/secret.mkv")
            try fm.createSymbolicLink(atPath: media + "/evil.mkv", withDestinationPath: root + "/secret.mkv")
            // A link inside the transcode root that points outside it.
            try fm.createSymbolicLink(atPath: transcode + "/escape", withDestinationPath: root + "/outside")
            try fm.createDirectory(atPath: media + "/folder.mkv", withIntermediateDirectories: true)
        }
    }

    static func body(_ source: String, id: String? = nil, output: String? = nil, configuration: [String: Any] = ["encoder": "libx264", "bitrate_bps": 1_000_000]) -> String {
        var object: [String: Any] = ["source_path": source, "configuration": configuration]
        if let id { object["job_id"] = id }
        if let output { object["output_path"] = output }
        return jsonText(object)
    }

    static func cases(_ trap: Trap, clip: String) -> [Case] {
        let t = trap.transcode
        func put(_ label: String, _ id: String, _ body: String, _ status: Int, mentions: String? = nil) -> Case {
            Case(label: label, path: "/v1/jobs/\(id)", body: body, status: status, mentions: mentions, jobID: id)
        }
        func output(_ label: String, _ id: String, _ path: String) -> Case {
            put(label, id, body(clip, output: path), 403)
        }
        func config(_ label: String, _ id: String, _ configuration: [String: Any], _ status: Int, mentions: String? = nil) -> Case {
            put(label, id, body(clip, configuration: configuration), status, mentions: mentions)
        }
        let longID = String(repeating: "a", count: 200)
        return [
            output("output_path /", "out-slash", "/"),
            output("output_path = transcode root", "out-root", t),
            output("output_path = transcode root with slash", "out-root-slash", t + "/"),
            output("output_path <root>/../..", "out-dotdot", t + "/../.."),
            output("output_path <root>/../outside", "out-sibling", t + "/../outside"),
            output("output_path symlink pointing outside", "out-link", t + "/escape"),
            output("output_path inside a symlink pointing outside", "out-link-child", t + "/escape/job"),
            output("output_path outside every root", "out-outside", trap.outside + "/new"),
            output("output_path in the media root", "out-media", trap.media + "/out"),
            output("output_path relative", "out-relative", "relative/job"),
            put("output_path = another job's folder", "thief", body(clip, output: t + "/good"), 422),
            put("output_path inside another job's folder", "thief-child", body(clip, output: t + "/good/sub"), 422),
            put("source outside the media roots", "src-outside", body(trap.root + "/secret.mkv"), 403),
            put("source symlink in the media root pointing outside", "src-link", body(trap.media + "/evil.mkv"), 403),
            put("source with .. out of the media root", "src-dotdot", body(trap.media + "/../secret.mkv"), 403),
            put("source /etc/passwd", "src-etc", body("/etc/passwd"), 403),
            Case(label: "job_id with ../ in the body", method: "POST", path: "/v1/jobs", body: body(clip, id: "../evil"), status: 400),
            Case(label: "job_id with / in the body", method: "POST", path: "/v1/jobs", body: body(clip, id: "a/b"), status: 400),
            put("job_id of 200 characters", longID, body(clip), 400),
            put("path and body job_id differ", "path-id", body(clip, id: "body-id"), 400),
            config("seek_time 1:2", "seek-short", ["encoder": "libx264", "seek_time": "1:2"], 400),
            config("seek_time 00:99:00", "seek-99", ["encoder": "libx264", "seek_time": "00:99:00"], 400),
            config("seek_time words", "seek-words", ["encoder": "libx264", "seek_time": "ten seconds"], 400),
            config("seek past the end", "seek-end", ["encoder": "libx264", "seek_time": "00:10:00"], 422),
            config("bitrate 5", "rate-low", ["encoder": "libx264", "bitrate_bps": 5], 422),
            config("bitrate 10^12", "rate-high", ["encoder": "libx264", "bitrate_bps": 1_000_000_000_000], 422),
            config("bitrate negative", "rate-neg", ["encoder": "libx264", "bitrate_bps": -1], 422),
            config("unknown encoder", "enc-fake", ["encoder": "h265_fake"], 422, mentions: "libx264"),
            put("malformed JSON", "bad-json", "{\"source_path\": ", 400),
            put("empty body", "empty", "", 400),
            put("JSON array", "array", "[1,2,3]", 400),
            put("missing source_path", "no-source", jsonText(["configuration": ["encoder": "libx264"]]), 400),
            put("source_path a number", "num-source", jsonText(["source_path": 42]), 400),
            put("bitrate a string", "str-rate", jsonText(["source_path": clip, "configuration": ["bitrate_bps": "fast"]]), 400),
            put("missing file in the media root", "missing-file", body(trap.media + "/nope.mkv"), 422),
            put("source a folder in the media root", "src-folder", body(trap.media + "/folder.mkv"), 422),
            put("source relative", "src-relative", body("clip.mkv"), 422),
        ]
    }

    @Test("Hostile paths, ids, seeks, bitrates, encoders and bodies are refused; nothing outside the roots changes")
    func hostileRequestsAreRefused() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let trap = try Trap(worker.sandbox, clip: clip)
        let before = trap.sentinels.map(FileFingerprint.init)
        let rootBefore = folderListing(trap.root)

        // A good job, running, that no refused request may disturb.
        let good = try await worker.api.call("PUT", "/v1/jobs/good", body: WorkerHarness.job(clip))
        #expect(good.status == 201, "\(good.status) \(good.text)")
        let goodPID = good.object.pid()

        for item in Self.cases(trap, clip: clip) {
            let response = try await worker.api.call(item.method, item.path, body: item.body, timeout: .seconds(20))
            #expect(response.status == item.status, "\(item.label): \(response.status) \(response.text)")
            #expect(response.errorSentence != nil, "\(item.label): no {\"error\": sentence}: \(response.text)")
            if let mentions = item.mentions {
                #expect(response.text.contains(mentions), "\(item.label): the error does not name \(mentions): \(response.text)")
            }
            if let id = item.jobID, id.count <= 128 {
                #expect(try await worker.api.call("GET", "/v1/jobs/\(id)").status == 404, "\(item.label): a job was created")
                #expect(!pathExists(trap.transcode + "/" + id), "\(item.label): a folder was created")
            }
        }

        // A refused update of the running job leaves it alone.
        let refusedUpdate = try await worker.api.call("PUT", "/v1/jobs/good", body: WorkerHarness.job(clip, bitrate: 5))
        #expect(refusedUpdate.status == 422, "\(refusedUpdate.status) \(refusedUpdate.text)")
        let hostileUpdate = try await worker.api.call("PUT", "/v1/jobs/good", body: WorkerHarness.job(clip, output: trap.transcode + "/escape"))
        #expect(hostileUpdate.status == 403, "\(hostileUpdate.status) \(hostileUpdate.text)")
        let goodNow = try await worker.api.job("good")
        if goodNow.string("state") != "completed" {
            #expect(goodNow.pid() == goodPID, "a refused update restarted the job: \(goodNow)")
        }
        #expect(goodNow.string("output_path") == trap.transcode + "/good")
        #expect(!pathExists(trap.transcode + "/good/sub"), "a refused job made a folder inside another job's folder")

        // Nothing outside the roots changed.
        #expect(trap.sentinels.map(FileFingerprint.init) == before, "a sentinel file changed")
        #expect(folderListing(trap.outside) == ["sentinel.txt"], "outside folder: \(folderListing(trap.outside))")
        #expect(folderListing(trap.root) == rootBefore, "sandbox root: \(folderListing(trap.root)) vs \(rootBefore)")
        #expect(folderListing(trap.transcode) == ["escape", "good"], "transcode root: \(folderListing(trap.transcode))")
        #expect(ffmpegProcesses(mentioning: trap.outside).isEmpty)
        #expect(ffmpegProcesses(mentioning: trap.root + "/secret.mkv").isEmpty)

        // Still serving.
        let health = try await worker.api.call("GET", "/healthz")
        #expect(health.status == 200)
        let jobs = (try await worker.api.call("GET", "/v1/jobs").object["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.compactMap { $0.string("job_id") } == ["good"], "jobs after the hostile requests: \(jobs)")
        #expect(await eventually(timeout: .seconds(60)) { pathExists(trap.transcode + "/good/segment0.ts") })
        #expect(worker.service.process.isRunning)
    }

    @Test("output_path <root>/a/../../x (.. through a folder that does not exist) is refused promptly")
    func dotDotThroughMissingFolder() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let trap = try Trap(worker.sandbox, clip: clip)
        let before = trap.sentinels.map(FileFingerprint.init)

        var status: Int?
        var failure: String?
        do {
            let response = try await worker.api.call(
                "PUT", "/v1/jobs/dotdot", body: WorkerHarness.job(clip, output: trap.transcode + "/a/../../x"), timeout: .seconds(15)
            )
            status = response.status
            #expect(response.errorSentence != nil, "no error sentence: \(response.text)")
        } catch {
            failure = "\(error)"
        }
        #expect(status == 403, "PUT with output_path <root>/a/../../x: status \(String(describing: status)), error \(failure ?? "none")")
        #expect(!pathExists(trap.root + "/x") && !pathExists(trap.transcode + "/x"))
        #expect(trap.sentinels.map(FileFingerprint.init) == before)

        // The worker still answers job requests (not only /healthz).
        var listed: Int?
        do {
            listed = try await worker.api.call("GET", "/v1/jobs", timeout: .seconds(10)).status
        } catch {
            failure = "\(error)"
        }
        #expect(listed == 200, "GET /v1/jobs after the request: \(String(describing: listed)) \(failure ?? "")")
        var other: Int?
        do {
            other = try await worker.api.call("PUT", "/v1/jobs/after", body: WorkerHarness.job(clip), timeout: .seconds(10)).status
        } catch {
            failure = "\(error)"
        }
        #expect(other == 201, "a good job after the request: \(String(describing: other)) \(failure ?? "")")
    }
}
