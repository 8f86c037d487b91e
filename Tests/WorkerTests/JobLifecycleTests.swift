import Foundation
import Testing
import TestSupport

/// A job from creation to completion, through every spelling of "create", and DELETE.
@Suite("Job lifecycle (real worker, real FFmpeg)")
struct JobLifecycleTests {
    @Test("PUT runs a job to completion: first segment, valid HLS, served files, progress 100")
    func putRunsToCompletion() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folder = worker.sandbox.transcode.appendingPathComponent("life").path

        let created = try await worker.api.call("PUT", "/v1/jobs/life", body: WorkerHarness.job(clip))
        #expect(created.status == 201, "PUT of a new job: \(created.status) \(created.text)")
        let body = created.object
        #expect(body.string("job_id") == "life")
        #expect(body.pid() != nil, "the reply carries the new FFmpeg's pid: \(created.text)")
        #expect(["starting", "running"].contains(body.string("state") ?? ""), "state right after PUT: \(created.text)")
        #expect(body.string("output_path") == folder)
        #expect(body.strings("ffmpeg_args")?.first?.hasSuffix("ffmpeg") == true)

        // The first segment: on disk, and reported as last_segment_id.
        let firstOnDisk = await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") }
        #expect(firstOnDisk, "segment0.ts never appeared; folder holds \(folderListing(folder)); log: \(worker.service.logText)")
        let reported = try await worker.api.waitForJob("life") { $0.int("last_segment_id") != nil }
        #expect(reported.held, "last_segment_id never became a number: \(reported.job)")
        if let first = reported.job.int("last_segment_id") {
            #expect(first >= 0 && pathExists(folder + "/segment\(first).ts"), "last_segment_id \(first) names no segment on disk")
        }

        // The playlist reads as HLS while the encode goes on.
        let probe = try await ffprobe(["-v", "error", folder + "/index.m3u8"])
        #expect(probe.status == 0, "ffprobe rejected the playlist: \(probe.stderr)")

        // Served over HTTP.
        let playlist = try await worker.api.call("GET", "/v1/jobs/life/hls/index.m3u8")
        #expect(playlist.status == 200)
        #expect(playlist.text.hasPrefix("#EXTM3U"), "playlist body: \(playlist.text)")
        let segment = try await worker.api.call("GET", "/v1/jobs/life/hls/segment0.ts")
        #expect(segment.status == 200)
        #expect(segment.body.first == 0x47, "an MPEG-TS segment starts with the sync byte 0x47")
        #expect(segment.body == FileManager.default.contents(atPath: folder + "/segment0.ts"), "served bytes differ from the file")
        for name in ["nothing.ts", "segment999.ts", "index.m3u8.tmp", ".transcode-job", "secret.txt", "..%2F..%2Fmedia%2Fclip.mkv", "..%2Flife%2Findex.m3u8"] {
            let missing = try await worker.api.call("GET", "/v1/jobs/life/hls/\(name)")
            #expect(missing.status == 404, "GET hls/\(name): \(missing.status)")
            #expect(missing.errorSentence != nil, "404 for \(name) without an error sentence: \(missing.text)")
        }
        let unknownJob = try await worker.api.call("GET", "/v1/jobs/nope/hls/index.m3u8")
        #expect(unknownJob.status == 404)

        // To the end.
        let done = try await worker.api.waitForJob("life", timeout: .seconds(90)) { $0.string("state") == "completed" }
        #expect(done.held, "job did not complete: \(done.job); log: \(worker.service.logText)")
        #expect(done.job.double("progress") == 100, "progress at the end: \(String(describing: done.job["progress"]))")
        #expect(done.job.isNull("pid"), "a completed job has no pid: \(String(describing: done.job["pid"]))")
        #expect(done.job.isNull("error"), "a completed job has no error: \(String(describing: done.job["error"]))")
        let finalPlaylist = try String(contentsOfFile: folder + "/index.m3u8", encoding: .utf8)
        #expect(finalPlaylist.contains("#EXT-X-ENDLIST"))
        let segments = playlistSegments(finalPlaylist)
        #expect(segments.first == 0 && segments == Array(0..<segments.count), "playlist segments: \(segments)")
        #expect(done.job.int("last_segment_id") == segments.last, "last_segment_id \(String(describing: done.job["last_segment_id"])) vs playlist \(segments)")
        let duration = try await ffprobeDuration(folder + "/index.m3u8")
        #expect(duration.map { abs($0 - 24) < 1 } == true, "HLS duration \(String(describing: duration)) for a 24 s clip")
        #expect(ffmpegProcesses(mentioning: folder).isEmpty)

        let listed = try await worker.api.call("GET", "/v1/jobs")
        #expect(listed.status == 200)
        let jobs = (listed.object["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.map { $0.string("job_id") } == ["life"], "GET /v1/jobs: \(listed.text)")
    }

    @Test("POST /v1/jobs with job_id in the body creates a job")
    func postWithJobIDInBody() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let body = jsonText(["job_id": "posted", "source_path": clip, "configuration": ["encoder": "libx264", "bitrate_bps": 1_000_000]])
        let created = try await worker.api.call("POST", "/v1/jobs", body: body)
        #expect(created.status == 201, "\(created.status) \(created.text)")
        #expect(created.object.string("job_id") == "posted")
        #expect(created.object.pid() != nil)
        let folder = worker.sandbox.transcode.appendingPathComponent("posted").path
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") }, "no segment0.ts in \(folderListing(folder))")
        let fetched = try await worker.api.job("posted")
        #expect(fetched.string("job_id") == "posted")
        #expect(fetched.string("source_path") == clip)

        // Without any job_id: 400.
        let anonymous = try await worker.api.call("POST", "/v1/jobs", body: WorkerHarness.job(clip))
        #expect(anonymous.status == 400, "\(anonymous.status) \(anonymous.text)")
        #expect(anonymous.errorSentence != nil)
    }

    @Test("The seed's POST /v1/workers/{id}/heartbeats with the controller payload creates a job")
    func seedHeartbeatSpelling() async throws {
        let worker = try await WorkerHarness.start(id: "seed-worker")
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let payload = jsonText([
            "job_id": "seeded", "source_path": clip,
            "configuration": ["seek_time": "00:00:00", "bitrate_bps": 1_000_000, "encoder": "libx264", "force_remux": false],
        ])
        let created = try await worker.api.call("POST", "/v1/workers/seed-worker/heartbeats", body: payload)
        #expect(created.status == 201, "\(created.status) \(created.text)")
        #expect(created.object.string("job_id") == "seeded")
        let folder = worker.sandbox.transcode.appendingPathComponent("seeded").path
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") }, "no segment0.ts in \(folderListing(folder))")

        // The same payload again is the same job: 200, same pid.
        let again = try await worker.api.call("POST", "/v1/workers/seed-worker/heartbeats", body: payload)
        #expect(again.status == 200, "\(again.status) \(again.text)")
        if again.object.string("state") != "completed" {
            #expect(again.object.pid() == created.object.pid())
        }

        // Another worker's id: 404, and no job.
        let elsewhere = try await worker.api.call("POST", "/v1/workers/someone-else/heartbeats", body: jsonText([
            "job_id": "misrouted", "source_path": clip, "configuration": ["encoder": "libx264"],
        ]))
        #expect(elsewhere.status == 404, "\(elsewhere.status) \(elsewhere.text)")
        #expect(try await worker.api.call("GET", "/v1/jobs/misrouted").status == 404)
        #expect(!pathExists(worker.sandbox.transcode.appendingPathComponent("misrouted").path))
    }

    @Test("The same PUT twice starts FFmpeg once: 200, same pid, one process")
    func samePutTwice() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folder = worker.sandbox.transcode.appendingPathComponent("twice").path
        let body = WorkerHarness.job(clip)

        let first = try await worker.api.call("PUT", "/v1/jobs/twice", body: body)
        #expect(first.status == 201, "\(first.status) \(first.text)")
        let second = try await worker.api.call("PUT", "/v1/jobs/twice", body: body)
        #expect(second.status == 200, "\(second.status) \(second.text)")
        let pid = try #require(first.object.pid(), "first reply has no pid: \(first.text)")
        #expect(second.object.pid() == pid, "the repeat restarted FFmpeg: \(first.text) vs \(second.text)")
        // Processes first, then the state: if the run is still active afterwards, it was running
        // when the processes were listed, so exactly that one FFmpeg must have been there.
        let processes = ffmpegProcesses(mentioning: folder)
        let state = try await worker.api.job("twice").string("state") ?? ""
        #expect(processes.count <= 1 && processes.allSatisfy { $0 == pid }, "ffmpeg for the folder: \(processes), expected [\(pid)]")
        if ["starting", "running"].contains(state) {
            #expect(processes == [pid], "ffmpeg for the folder: \(processes), expected [\(pid)]")
        }

        // A third time once segments exist: still the same run, nothing cleared.
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") })
        let third = try await worker.api.call("PUT", "/v1/jobs/twice", body: body)
        #expect(third.status == 200)
        if third.object.string("state") != "completed" {
            #expect(third.object.pid() == pid)
        }
        #expect(pathExists(folder + "/segment0.ts"), "the repeat cleared the folder")
        #expect(ffmpegProcesses(mentioning: folder).count <= 1)
    }

    @Test("A job in a nested output_path: DELETE removes its folder and the parents it left empty, nothing else")
    func nestedOutputPath() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let root = worker.sandbox.transcode.path
        try FileManager.default.createDirectory(atPath: root + "/shows/keep", withIntermediateDirectories: true)
        let output = root + "/shows/season1/episode1"
        let created = try await worker.api.call("PUT", "/v1/jobs/nested", body: WorkerHarness.job(clip, output: output))
        #expect(created.status == 201, "\(created.status) \(created.text)")
        #expect(created.object.string("output_path") == output)
        #expect(await eventually(timeout: .seconds(60)) { pathExists(output + "/segment0.ts") }, "no segment in \(folderListing(output))")
        let served = try await worker.api.call("GET", "/v1/jobs/nested/hls/index.m3u8")
        #expect(served.status == 200 && served.text.hasPrefix("#EXTM3U"))

        #expect(try await worker.api.call("DELETE", "/v1/jobs/nested").status == 204)
        #expect(!pathExists(output) && !pathExists(root + "/shows/season1"), "left: \(folderListing(root + "/shows"))")
        #expect(folderListing(root + "/shows") == ["keep"], "DELETE removed more than the job's own folders: \(folderListing(root + "/shows"))")
        #expect(pathExists(root), "the transcode root itself was removed")
    }

    @Test("DELETE stops FFmpeg, removes the folder; a second DELETE and a GET are 404")
    func deleteCleansUp() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folder = worker.sandbox.transcode.appendingPathComponent("doomed").path
        let neighbour = worker.sandbox.transcode.appendingPathComponent("neighbour").path

        let created = try await worker.api.call("PUT", "/v1/jobs/doomed", body: WorkerHarness.job(clip))
        #expect(created.status == 201)
        let pid = try #require(created.object.pid(), "no pid in \(created.text)")
        let other = try await worker.api.call("PUT", "/v1/jobs/neighbour", body: WorkerHarness.job(clip))
        #expect(other.status == 201)
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") })
        #expect(isLiveProcess(pid), "FFmpeg \(pid) ended before the DELETE (the DELETE below then proves less)")

        let deleted = try await worker.api.call("DELETE", "/v1/jobs/doomed")
        #expect(deleted.status == 204, "\(deleted.status) \(deleted.text)")
        // The reply comes after FFmpeg exited and the folder was removed.
        #expect(!isLiveProcess(pid), "FFmpeg \(pid) still runs after DELETE")
        #expect(ffmpegProcesses(mentioning: folder).isEmpty)
        #expect(!pathExists(folder), "folder still there: \(folderListing(folder))")

        let again = try await worker.api.call("DELETE", "/v1/jobs/doomed")
        #expect(again.status == 404, "\(again.status) \(again.text)")
        #expect(again.errorSentence != nil)
        #expect(try await worker.api.call("GET", "/v1/jobs/doomed").status == 404)
        #expect(try await worker.api.call("GET", "/v1/jobs/doomed/hls/index.m3u8").status == 404)
        #expect(try await worker.api.call("DELETE", "/v1/jobs/never-was").status == 404)

        // Only that job's folder went.
        #expect(pathExists(neighbour), "DELETE of one job removed another's folder")
        #expect(try await worker.api.job("neighbour").string("job_id") == "neighbour")
        #expect(folderListing(worker.sandbox.transcode.path) == ["neighbour"])
    }
}
