import TestSupport
import Foundation
import Testing

/// The GPU scripts on a machine without a GPU (CI has none): `gpu-check` must say so and
/// succeed; the build and bundle scripts must at least parse (they take minutes and root).
@Suite struct GPUScriptsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        let ending = ProcessExit.wait(process, timeout: .seconds(120))
        return (ending?.code ?? -1, String(decoding: output, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func gpuCheckSaysNoGPUAndSucceeds() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gpu-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let script = Self.root.appendingPathComponent("scripts/gpu-check").path
        // A missing nvidia-smi stands for a machine without the driver, even on one that has it.
        let (status, output) = try Self.run(
            "/usr/bin/python3", [script, "--out", out.path], environment: ["GPU_CHECK_NVIDIA_SMI": "/nonexistent/nvidia-smi"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("no NVIDIA GPU"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("hardware-verified.md").path))
    }

    @Test(arguments: ["build-gpu-ffmpeg", "bundle-gpu-check"])
    func shellScriptsParse(name: String) throws {
        let (status, output) = try Self.run("/bin/bash", ["-n", Self.root.appendingPathComponent("scripts/\(name)").path])
        #expect(status == 0, "\(output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func gpuCheckCompiles() throws {
        let script = Self.root.appendingPathComponent("scripts/gpu-check").path
        let (status, output) = try Self.run("/usr/bin/python3", ["-m", "py_compile", script],
                                           environment: ["PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": NSTemporaryDirectory()])
        #expect(status == 0, "\(output)")
    }
}
