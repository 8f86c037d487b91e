import MediaProbe
import Foundation
import Logging
import TranscodeBackend

/// Gets the hardware inventory by running `hwdetect` as a child process, so that a driver
/// that crashes takes down the child and not the worker.
public enum InventoryLoader {
    /// Runs `hwdetect --inventory-only`; when it is missing or fails, falls back to what
    /// `ffmpeg -encoders` and /proc say (software only), and logs why.
    public static func load(hwdetect: String?, ffmpeg: String, logger: Logger, recorded: String? = nil) async -> HardwareInventory {
        if let recorded {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: recorded))
                logger.notice("using the recorded inventory \(recorded) instead of hwdetect")
                return try JSONDecoder().decode(HardwareInventory.self, from: data)
            } catch {
                logger.error("cannot read the inventory \(recorded) (\(error)); running hwdetect")
            }
        }
        if let hwdetect {
            do {
                let output = try await HelperProgram.output(hwdetect, ["--inventory-only"])
                return try JSONDecoder().decode(HardwareInventory.self, from: Data(output.utf8))
            } catch {
                logger.warning("hwdetect failed (\(error)); assuming no hardware encoders")
            }
        } else {
            logger.warning("hwdetect not found next to the worker; assuming no hardware encoders")
        }
        let encoders = (try? await HelperProgram.output(ffmpeg, ["-hide_banner", "-encoders"])).map(parseEncoders) ?? []
        return HardwareInventory(cpu: CPUReader.info(), ffmpegEncoders: encoders)
    }

    /// Encoder names from `ffmpeg -encoders` (lines like ` V....D libx264   description`).
    static func parseEncoders(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[0].count == 6, fields[0] != "------", fields[0].first == "V" else { return nil }
            return String(fields[1])
        }
    }
}

/// CPU model and thread count from /proc/cpuinfo.
public enum CPUReader {
    /// The CPU as `static_specs` describes it.
    public static func info() -> CPUInfo {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = text.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return CPUInfo(model: model, threads: ProcessInfo.processInfo.activeProcessorCount)
    }
}
