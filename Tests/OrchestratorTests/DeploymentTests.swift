import Foundation
import Testing
import TestSupport

/// `scripts/install` into a temporary prefix, and the installed units checked by
/// `systemd-analyze verify`. The release build is slow: it runs only with
/// `TRANSCODE_TEST_RELEASE_INSTALL=1`; the normal run installs the debug binaries.
@Suite struct DeploymentTests {
    static let root = PrometheusText.repositoryRoot
    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func install(releaseBuild: Bool) async throws -> (prefix: URL, result: ProgramResult) {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("transcode-install-\(UUID().uuidString.prefix(8))")
        var arguments = [root.appendingPathComponent("scripts/install").path, "--prefix", prefix.path]
        if !releaseBuild { arguments += ["--bin-dir", ServiceProcess.binDirectory.path] }
        return (prefix, try await runProgramAsync("/bin/bash", arguments))
    }

    @Test func theInstalledUnitsVerifyAndPointAtTheInstalledBinaries() async throws {
        let (prefix, result) = try await Self.install(releaseBuild: false)
        defer { try? FileManager.default.removeItem(at: prefix) }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let units = prefix.appendingPathComponent("lib/systemd/system")
        for program in ["transcode-orchestrator", "transcode-worker", "hwdetect", "transcode-ffmpeg", "ffprobe"] {
            #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/\(program)").path), "bin/\(program)")
        }
        // The drop-in reads its example config (as Jellyfin starts it: no flags) and answers -version.
        let dropIn = try await runProgramAsync("/usr/bin/env", [
            "TRANSCODE_FFMPEG_CONFIG=\(prefix.path)/etc/transcode/ffmpeg.toml", prefix.appendingPathComponent("bin/transcode-ffmpeg").path, "-version",
        ])
        #expect(dropIn.status == 0 && dropIn.stdout.hasPrefix("ffmpeg version"), "\(dropIn.stdout.prefix(200)) \(dropIn.stderr)")
        let worker = try String(contentsOf: units.appendingPathComponent("transcode-worker.service"), encoding: .utf8)
        for line in ["ExecStart=\(prefix.path)/bin/transcode-worker --config \(prefix.path)/etc/transcode/worker.toml",
                     "SupplementaryGroups=render video", "ProtectSystem=strict", "ReadWritePaths=/var/cache/transcode",
                     "Restart=on-failure", "User=transcode"] {
            #expect(worker.contains(line), "transcode-worker.service has \(line)")
        }
        // The example configs are accepted by the programs themselves (their flag lists).
        for (program, config) in [("transcode-worker", "worker.toml"), ("transcode-orchestrator", "orchestrator.toml")] {
            let path = prefix.appendingPathComponent("etc/transcode/\(config)").path
            let check = try await runProgramAsync(prefix.appendingPathComponent("bin/\(program)").path, ["--config", path, "--help"])
            #expect(check.status == 0 && !check.stderr.contains("Config file"), "\(config): \(check.stderr)")
        }
        let analyze = try #require(Self.systemdAnalyze, "systemd-analyze is missing: scripts/setup installs Debian's systemd")
        let verify = try await runProgramAsync(analyze, ["verify"] + ["transcode-orchestrator.service", "transcode-worker.service"].map {
            units.appendingPathComponent($0).path
        })
        #expect(verify.status == 0, "\(verify.stderr)")
        // It warns, without failing, about keys it does not know: none may be there.
        #expect(!verify.stderr.contains("Unknown key") && !verify.stderr.contains("Unknown section"), "\(verify.stderr)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["TRANSCODE_TEST_RELEASE_INSTALL"] == "1"))
    func theReleaseInstallBuildsAndInstalls() async throws {
        let (prefix, result) = try await Self.install(releaseBuild: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        #expect(result.status == 0, "\(result.stderr)")
        let version = try await runProgramAsync(prefix.appendingPathComponent("bin/transcode-orchestrator").path, ["--help"])
        #expect(version.status == 0)
    }
}
