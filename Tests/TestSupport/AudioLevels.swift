import Foundation

/// What one audio channel of a file sounds like: its loudness and, for a pure tone, its pitch.
public struct ChannelLevel: Sendable, CustomStringConvertible {
    /// RMS level in dB relative to full scale (-inf for digital silence).
    public var rmsDB: Double
    /// Pitch from the zero crossings, in Hz (meaningful for a loud pure tone only).
    public var frequency: Double

    public var description: String { String(format: "%.1f dB @ %.0f Hz", rmsDB, frequency) }

    /// Whether the channel carries a tone near `hz` (within 5 %), at an audible level.
    public func isTone(_ hz: Double) -> Bool { rmsDB > -40 && abs(frequency - hz) < hz * 0.05 }
}

/// Decodes the first audio stream of a file (a clip, a segment, a playlist) to 32-bit floats,
/// channel by channel, and measures each one. `skip` seconds are dropped first (the
/// encoder's priming and a fade-in would skew the level).
public func audioLevels(_ path: String, stream: Int = 0, skip: Double = 0.5) async throws -> [ChannelLevel] {
    let probe = try await ffprobe(["-v", "error", "-select_streams", "a:\(stream)", "-show_entries", "stream=channels", "-of", "csv=p=0", path])
    // A transport stream lists its streams under its program too: the first line is enough.
    guard let channels = firstLine(probe.stdout).flatMap({ Int($0) }), channels > 0 else {
        throw Clips.ClipError(message: "no audio stream \(stream) in \(path): \(probe.stderr)")
    }
    let raw = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("levels-\(UUID().uuidString).f32").path
    defer { try? FileManager.default.removeItem(atPath: raw) }
    let decode = try await runProgramAsync("/usr/bin/env", [
        "ffmpeg", "-v", "error", "-y", "-i", path, "-map", "0:a:\(stream)", "-ss", "\(skip)", "-ar", "48000", "-f", "f32le", "-c:a", "pcm_f32le", raw,
    ])
    guard decode.status == 0, let data = FileManager.default.contents(atPath: raw) else {
        throw Clips.ClipError(message: "ffmpeg could not decode the audio of \(path): \(decode.stderr)")
    }
    let samples: [Float] = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let frames = samples.count / channels
    guard frames > 0 else { throw Clips.ClipError(message: "no audio samples in \(path)") }
    let rate = 48_000.0
    return (0..<channels).map { channel in
        var sum = 0.0
        var crossings = 0
        var previous: Float = 0
        for frame in 0..<frames {
            let sample = samples[frame * channels + channel]
            sum += Double(sample) * Double(sample)
            if frame > 0, (previous < 0) != (sample < 0) { crossings += 1 }
            previous = sample
        }
        let rms = (sum / Double(frames)).squareRoot()
        return ChannelLevel(rmsDB: rms > 0 ? 20 * log10(rms) : -.infinity, frequency: Double(crossings) / 2 / (Double(frames) / rate))
    }
}

/// The codec name and channel count of a file's first audio stream, as ffprobe reports them.
public func audioFormat(_ path: String) async throws -> (codec: String, channels: Int)? {
    let probe = try await ffprobe(["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,channels", "-of", "csv=p=0", path])
    let parts = (firstLine(probe.stdout) ?? "").split(separator: ",")
    guard parts.count == 2, let channels = Int(parts[1]) else { return nil }
    return (String(parts[0]), channels)
}

/// The first non-empty line of a program's output, trimmed.
func firstLine(_ text: String) -> String? {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
}
