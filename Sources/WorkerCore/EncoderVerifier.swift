import MediaProbe
import Foundation
import Logging
import TranscodeBackend

/// `--verify-encoders`: a short real encode through every hardware encoder before the worker
/// offers it, since an encoder in the FFmpeg build proves nothing about the hardware.
enum EncoderVerifier {
    /// Returns `backend/encoder` -> FFmpeg's reason for every encoder that failed. Checks the
    /// backends that require it, and every hardware backend when `everyHardwareBackend`.
    static func verify(
        _ selector: BackendSelector, everyHardwareBackend: Bool, ffmpeg: String, ffprobe: String, logger: Logger
    ) async -> [String: String] {
        let hardware = selector.available.filter { ($0.hardwareAPI != nil && everyHardwareBackend) || $0.requiresVerification }
        guard !hardware.isEmpty else { return [:] }
        let dir = NSTemporaryDirectory() + "transcode-verify-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sample = dir + "/sample.mkv"
        let source: SourceInfo
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            _ = try await HelperProgram.output(ffmpeg, [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=24", "-t", "0.5",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", sample,
            ])
            source = try await SourceProbe(ffprobe: ffprobe).probe(sample)
        } catch {
            logger.error("cannot prepare the verification clip: \(error)")
            return [:]
        }
        var failed: [String: String] = [:]
        for backend in hardware {
            for encoder in backend.encoders {
                let output = dir + "/\(backend.id)-\(encoder)"
                try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                let request = EncodeRequest(
                    sourcePath: sample, outputDirectory: output, encoder: encoder, bitrateBps: 1_000_000,
                    forceRemux: false, segmentSeconds: 1, seekSeconds: 0, source: source
                )
                do {
                    _ = try await HelperProgram.output(ffmpeg, backend.arguments(for: request, inventory: selector.inventory))
                    logger.info("verified \(encoder) through backend \(backend.id)")
                } catch {
                    let reason = "\(error)"
                    failed[BackendSelector.key(backend, encoder)] = reason
                    logger.error("not offering \(encoder) through backend \(backend.id): verification encode failed: \(reason)")
                }
            }
        }
        return failed
    }
}
