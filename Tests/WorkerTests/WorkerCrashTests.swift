import Foundation
import Testing
import TestSupport

/// No FFmpeg outlives its worker: SIGKILL, restart, SIGTERM.
@Suite("Worker death and restart (real worker, real FFmpeg)")
struct WorkerCrashTests {
    @Test("SIGKILL of the worker takes its FFmpeg along; a restart on the same sandbox removes the stale folder")
    func sigkillLeavesNoFFmpeg() async throws {
        let first = try await WorkerHarness.start()
        let sandbox = first.sandbox
        let clip = try await sandbox.makeClip(seconds: 24)
        let folder = sandbox.transcode.appendingPathComponent("victim").path
        // A folder that is not a job's: a restart must leave it alone.
        let foreign = sandbox.transcode.appendingPathComponent("not-a-job").path
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("user data\n".utf8).write(to: URL(fileURLWithPath: foreign + "/keep.txt"))

        let created = try await first.api.call("PUT", "/v1/jobs/victim", body: WorkerHarness.job(clip))
        #expect(created.status == 201, "\(created.status) \(created.text)")
        let pid = try #require(created.object.pid())
        #expect(await eventually(timeout: .seconds(30)) { ffmpegProcesses(mentioning: folder) == [pid] })
        try #require(isLiveProcess(pid), "FFmpeg ended before the kill; nothing to test")

        let status = await first.service.stopped(signal: SIGKILL)
        #expect(status != nil, "the worker did not die")
        let gone = await eventually(timeout: .seconds(10)) { ffmpegProcesses(mentioning: folder).isEmpty && !isLiveProcess(pid) }
        #expect(gone, "FFmpeg \(pid) outlived its SIGKILLed worker: \(ffmpegProcesses(mentioning: folder))")
        #expect(pathExists(folder), "expected the killed worker to leave its folder behind")

        let second = try await WorkerHarness.start(sandbox: sandbox)
        #expect(ffmpegProcesses(mentioning: sandbox.root.path).isEmpty, "FFmpeg in the sandbox after the restart")
        #expect(!pathExists(folder), "stale job folder survived the restart: \(folderListing(folder))")
        #expect(folderListing(sandbox.transcode.path) == ["not-a-job"], "transcode root after restart: \(folderListing(sandbox.transcode.path))")
        #expect(FileManager.default.contents(atPath: foreign + "/keep.txt") == Data("user data\n".utf8))
        let listing = try await second.api.call("GET", "/v1/jobs")
        let jobs = listing.object["jobs"] as? [[String: Any]]
        #expect(jobs?.isEmpty == true, "jobs on the restarted worker: \(listing.text)")

        // The restarted worker runs the job again under the same id.
        let again = try await second.api.call("PUT", "/v1/jobs/victim", body: WorkerHarness.job(clip))
        #expect(again.status == 201, "\(again.status) \(again.text)")
    }

    @Test("A worker starting up kills FFmpeg processes that write into its transcode root")
    func reapsOrphansOnStart() async throws {
        let sandbox = try Sandbox("orphan")
        let orphanOutput = sandbox.transcode.appendingPathComponent("orphan.ts").path
        let orphan = Process()
        orphan.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        orphan.arguments = [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-t", "120", "-f", "mpegts", "-y", orphanOutput,
        ]
        orphan.standardOutput = FileHandle.nullDevice
        orphan.standardError = FileHandle.nullDevice
        try orphan.run()
        defer { if orphan.isRunning { orphan.terminate() } }
        let pid = orphan.processIdentifier
        #expect(await eventually(timeout: .seconds(10)) { ffmpegProcesses(mentioning: orphanOutput) == [pid] })

        let worker = try await WorkerHarness.start(sandbox: sandbox)
        let reaped = await eventually(timeout: .seconds(10)) { !isLiveProcess(pid) }
        #expect(reaped, "the worker left an FFmpeg writing into its transcode root running")
        #expect(worker.service.process.isRunning)
        // It killed only what points into its own root.
        #expect(try await worker.api.call("GET", "/healthz").status == 200)
    }

    @Test("SIGTERM of a worker with running jobs: exit 0, FFmpeg gone, job folders gone")
    func sigtermCleansUp() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 24)
        let folders = ["t1", "t2"].map { worker.sandbox.transcode.appendingPathComponent($0).path }
        var pids: [Int32] = []
        for id in ["t1", "t2"] {
            let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(clip))
            #expect(created.status == 201, "\(created.status) \(created.text)")
            pids.append(try #require(created.object.pid()))
        }
        #expect(await eventually(timeout: .seconds(30)) { folders.allSatisfy { !ffmpegProcesses(mentioning: $0).isEmpty } })
        try #require(pids.allSatisfy(isLiveProcess), "FFmpeg ended before SIGTERM; nothing to test")

        let status = await worker.service.stopped(signal: SIGTERM, timeout: .seconds(30))
        #expect(status == 0, "exit status after SIGTERM: \(String(describing: status)); log: \(worker.service.logText)")
        #expect(pids.allSatisfy { !isLiveProcess($0) }, "FFmpeg outlived the SIGTERMed worker")
        #expect(ffmpegProcesses(mentioning: worker.sandbox.root.path).isEmpty)
        for folder in folders {
            #expect(!pathExists(folder), "job folder left after shutdown: \(folderListing(folder))")
        }
        #expect(folderListing(worker.sandbox.transcode.path).isEmpty)
    }

    @Test("Stale-folder cleanup on start does not follow a symlink out of the transcode root")
    func staleCleanupStaysInsideTheRoot() async throws {
        let sandbox = try Sandbox("stale")
        let outside = sandbox.root.appendingPathComponent("elsewhere").path
        // A marked job folder outside the root (another worker's), reachable through a link inside it.
        try FileManager.default.createDirectory(atPath: outside + "/theirs", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: outside + "/theirs/.transcode-job", contents: Data())
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: outside + "/theirs/data.txt"))
        try FileManager.default.createSymbolicLink(atPath: sandbox.transcode.path + "/link", withDestinationPath: outside)
        // And a genuinely stale job folder of this worker.
        try FileManager.default.createDirectory(atPath: sandbox.transcode.path + "/old-job", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: sandbox.transcode.path + "/old-job/.transcode-job", contents: Data())
        FileManager.default.createFile(atPath: sandbox.transcode.path + "/old-job/segment0.ts", contents: Data([0x47]))

        let worker = try await WorkerHarness.start(sandbox: sandbox)
        #expect(try await worker.api.call("GET", "/healthz").status == 200)
        #expect(!pathExists(sandbox.transcode.path + "/old-job"), "the stale job folder survived the start")
        #expect(FileManager.default.contents(atPath: outside + "/theirs/data.txt") == Data("precious\n".utf8), "a folder outside the root was removed")
        #expect(folderListing(outside + "/theirs") == [".transcode-job", "data.txt"])
    }
}

/// `TRANSCODE_EXIT_WITH_PARENT=1`: a service whose starter dies shuts itself down.
@Suite struct ParentWatchTests {
    @Test func aWorkerWhoseParentDiesShutsDown() async throws {
        let sandbox = try Sandbox("orphan")
        let worker = ServiceProcess.binDirectory.appendingPathComponent("transcode-worker").path
        // A parent that starts the worker and exits after a second, leaving it behind.
        let result = try await runProgramAsync("/usr/bin/env", [
            "TRANSCODE_EXIT_WITH_PARENT=1", "/bin/sh", "-c", #""$0" "$@" >/dev/null 2>&1 & sleep 1"#, worker,
            "--host", "127.0.0.1", "--port", "0", "--token", "t",
            "--media-root", sandbox.media.path, "--transcode-root", sandbox.transcode.path,
        ])
        #expect(result.status == 0)
        let gone = await eventually(timeout: .seconds(10)) { workerPIDs(using: sandbox.transcode.path).isEmpty }
        #expect(gone, "the orphaned worker must stop by itself")
    }

    /// Live transcode-worker processes whose arguments name `root`.
    func workerPIDs(using root: String) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return args.first?.hasSuffix("transcode-worker") == true && args.contains(root) && isLiveProcess(pid) ? pid : nil
        }
    }
}
