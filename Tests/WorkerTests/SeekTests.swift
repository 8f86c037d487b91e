import Foundation
import Testing
import TestSupport

/// A changed configuration restarts FFmpeg at the segment boundary below the seek.
@Suite("Seek (real worker, real FFmpeg)")
struct SeekTests {
    @Test("Seek to 00:00:10 with T=4: old FFmpeg gone, folder cleared, first segment 2 with the movie's timestamps")
    func seekRestartsAtSegmentBoundary() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folder = worker.sandbox.transcode.appendingPathComponent("seeker").path

        let first = try await worker.api.call("PUT", "/v1/jobs/seeker", body: WorkerHarness.job(clip))
        #expect(first.status == 201, "\(first.status) \(first.text)")
        let oldPID = try #require(first.object.pid())
        #expect(await eventually(timeout: .seconds(60)) { pathExists(folder + "/segment0.ts") }, "no first segment before the seek")

        let seek = try await worker.api.call("PUT", "/v1/jobs/seeker", body: WorkerHarness.job(clip, seek: "00:00:10"))
        #expect(seek.status == 200, "a seek on an existing job: \(seek.status) \(seek.text)")
        let newPID = try #require(seek.object.pid(), "seek reply has no pid: \(seek.text)")
        #expect(newPID != oldPID, "the seek did not restart FFmpeg")
        #expect(!isLiveProcess(oldPID), "old FFmpeg \(oldPID) still runs after the seek reply")
        #expect(!ffmpegProcesses(mentioning: folder).contains(oldPID))
        #expect(seek.object.int("start_segment") == 2, "start_segment: \(String(describing: seek.object["start_segment"]))")
        let args = seek.object.strings("ffmpeg_args") ?? []
        #expect(args.containsPair("-ss", "8") && args.containsPair("-start_number", "2"), "args: \(args)")

        // The folder held no old segments when the new run began, and none appear later.
        var seenOld: [Int] = []
        func lookForOld() { seenOld += segmentNumbers(in: folder).filter { $0 < 2 } }
        lookForOld()
        #expect(seenOld.isEmpty, "old segments still in the folder right after the seek: \(folderListing(folder))")
        let firstNew = await eventually(timeout: .seconds(60)) {
            lookForOld()
            return pathExists(folder + "/segment2.ts")
        }
        #expect(firstNew, "segment2.ts never appeared: \(folderListing(folder))")
        #expect(seenOld.isEmpty, "old-numbered segments appeared after the seek: \(Set(seenOld).sorted())")

        // segment2 covers [8, 12) of the movie: mpegts adds 1.4 s to its timestamps.
        let start = try await ffprobeStartTime(folder + "/segment2.ts")
        #expect(start.map { abs($0 - 9.4) <= 0.3 } == true, "segment2.ts start_time \(String(describing: start)), expected 9.4 +- 0.3")

        let done = try await worker.api.waitForJob("seeker", timeout: .seconds(90)) { $0.string("state") == "completed" }
        #expect(done.held, "seeked job did not complete: \(done.job)")
        #expect(done.job.double("progress") == 100)
        let playlist = (try? String(contentsOfFile: folder + "/index.m3u8", encoding: .utf8)) ?? ""
        let listed = playlistSegments(playlist)
        #expect(listed.first == 2, "playlist starts at \(String(describing: listed.first)): \(playlist)")
        #expect(playlist.contains("#EXT-X-MEDIA-SEQUENCE:2"), "playlist: \(playlist)")
        #expect(segmentNumbers(in: folder).allSatisfy { $0 >= 2 }, "final folder: \(folderListing(folder))")
        #expect(try await ffprobe(["-v", "error", folder + "/index.m3u8"]).status == 0)
        // Segment 4 of this run covers [16, 20): its own timestamps say so.
        if let start4 = try await ffprobeStartTime(folder + "/segment4.ts") {
            #expect(abs(start4 - 17.4) <= 0.3, "segment4.ts start_time \(start4), expected 17.4 +- 0.3")
        }
    }

    @Test("A bitrate change restarts FFmpeg at the same segment")
    func bitrateChangeRestarts() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let first = try await worker.api.call("PUT", "/v1/jobs/same", body: WorkerHarness.job(clip, seek: "00:00:09"))
        #expect(first.status == 201)
        let pid = try #require(first.object.pid())
        #expect(first.object.int("start_segment") == 2)

        let bitrate = try await worker.api.call("PUT", "/v1/jobs/same", body: WorkerHarness.job(clip, seek: "00:00:09", bitrate: 1_500_000))
        #expect(bitrate.status == 200)
        let newPID = try #require(bitrate.object.pid(), "\(bitrate.text)")
        #expect(newPID != pid, "a bitrate change must restart FFmpeg")
        #expect(!isLiveProcess(pid))
        #expect(bitrate.object.int("start_segment") == 2)
        #expect(ffmpegProcesses(mentioning: worker.sandbox.transcode.appendingPathComponent("same").path) == [newPID])
    }

    @Test("50 seeks in a quick loop leave exactly one FFmpeg, no orphans, no stray folders")
    func fiftySeeks() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folder = worker.sandbox.transcode.appendingPathComponent("storm").path
        let created = try await worker.api.call("PUT", "/v1/jobs/storm", body: WorkerHarness.job(clip))
        #expect(created.status == 201)

        // Five callers, ten seeks each, at random positions inside the 24 s clip.
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<5 {
                group.addTask {
                    var codes: [Int] = []
                    for _ in 0..<10 {
                        let seconds = Int.random(in: 0...23)
                        let response = try await worker.api.call(
                            "PUT", "/v1/jobs/storm", body: WorkerHarness.job(clip, seek: seekText(seconds)), timeout: .seconds(60)
                        )
                        codes.append(response.status)
                    }
                    return codes
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 50)
        #expect(statuses.allSatisfy { $0 == 200 }, "seek replies: \(statuses)")

        // One last, different request, so that a run is certainly going on.
        let last = try await worker.api.call("PUT", "/v1/jobs/storm", body: WorkerHarness.job(clip, seek: "00:00:00", bitrate: 1_200_000))
        #expect(last.status == 200, "\(last.status) \(last.text)")
        let pid = try #require(last.object.pid(), "\(last.text)")
        // Processes first, then the state (see samePutTwice).
        let processes = ffmpegProcesses(mentioning: folder)
        let everywhere = ffmpegProcesses(mentioning: worker.sandbox.root.path)
        let state = try await worker.api.job("storm").string("state") ?? ""
        #expect(["starting", "running", "completed"].contains(state), "state after the storm: \(state)")
        #expect(processes.count <= 1 && processes.allSatisfy { $0 == pid }, "ffmpeg for the job: \(processes), expected [\(pid)]")
        if state != "completed" {
            #expect(processes == [pid], "ffmpeg for the job: \(processes), expected [\(pid)]")
        }
        // No FFmpeg anywhere in the sandbox but that one.
        #expect(everywhere.allSatisfy { $0 == pid }, "ffmpeg in the sandbox: \(everywhere)")
        #expect(folderListing(worker.sandbox.transcode.path) == ["storm"], "transcode root: \(folderListing(worker.sandbox.transcode.path))")

        let done = try await worker.api.waitForJob("storm", timeout: .seconds(90)) { $0.string("state") == "completed" }
        #expect(done.held, "final run did not complete: \(done.job)")
        let playlist = (try? String(contentsOfFile: folder + "/index.m3u8", encoding: .utf8)) ?? ""
        let listed = playlistSegments(playlist)
        #expect(listed == Array(0..<listed.count) && listed.count >= 6, "playlist after the storm: \(listed)")
        #expect(segmentNumbers(in: folder) == listed, "segments on disk \(segmentNumbers(in: folder)) vs playlist \(listed)")
        #expect(ffmpegProcesses(mentioning: worker.sandbox.root.path).isEmpty)
        #expect(folderListing(worker.sandbox.transcode.path) == ["storm"])
        let jobs = (try await worker.api.call("GET", "/v1/jobs").object["jobs"] as? [[String: Any]]) ?? []
        #expect(jobs.count == 1)
    }
}
