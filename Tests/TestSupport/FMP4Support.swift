import Foundation

extension WorkerHarness {
    /// A PUT body like `job(_:seek:encoder:bitrate:)` with `configuration.container` set.
    public static func job(
        _ source: String, container: String, seek: String? = nil, encoder: String? = "libx264", bitrate: Int = 1_000_000, remux: Bool = false
    ) -> String {
        let base = job(source, seek: seek, encoder: encoder, bitrate: bitrate, remux: remux)
        var body = (try? JSONSerialization.jsonObject(with: Data(base.utf8)) as? [String: Any]) ?? [:]
        var configuration = body["configuration"] as? [String: Any] ?? [:]
        configuration["container"] = container
        body["configuration"] = configuration
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// fMP4 segments as ffprobe reads them: an `.m4s` says nothing without an init segment, so
/// the two are read as one file (FFmpeg's `concat:` protocol, no shell).
public enum FMP4Probe {
    /// One packet: `video` or `audio`, its PTS and DTS in seconds.
    public struct Packet: Equatable, Sendable {
        public var kind: String
        public var pts: Double
        public var dts: Double
    }

    /// The packets of `segment` read after `initSegment`.
    public static func packets(initSegment: String, segment: String) async throws -> [Packet] {
        let result = try await ffprobe([
            "-v", "error", "-show_entries", "packet=codec_type,pts_time,dts_time", "-of", "csv=p=0", "concat:\(initSegment)|\(segment)",
        ])
        return result.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count >= 3, let pts = Double(f[1]), let dts = Double(f[2]) else { return nil }
            return Packet(kind: f[0], pts: pts, dts: dts)
        }
    }

    /// What ffprobe says of an init segment's streams: codec, tag, profile, level, size, time
    /// base and a hash of the codec configuration (avcC/hvcC, esds), one line per stream.
    public static func codecConfiguration(_ initSegment: String) async throws -> String {
        try await ffprobe([
            "-v", "error", "-show_data_hash", "sha256", "-show_entries",
            "stream=codec_name,codec_tag_string,profile,level,width,height,time_base,sample_rate,channels,extradata_hash",
            "-of", "compact", initSegment,
        ]).stdout
    }

    /// The top-level box types of an MP4 file, in order.
    public static func boxes(_ bytes: Data) -> [String] {
        let all = [UInt8](bytes)
        var types: [String] = [], offset = 0
        while offset + 8 <= all.count {
            let size = all[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: all[offset + 4..<offset + 8], as: UTF8.self))
            guard size >= 8 else { break }
            offset += size
        }
        return types
    }
}

/// FFmpeg as a player (`ffmpeg -i <playlist URL> -f null -`): it decodes every stream and
/// logs, at warning level, any timestamp that steps back, a corrupt packet or a segment it
/// could not fetch.
public enum FFmpegClient {
    /// The arguments: from `seek` seconds, at the movie's own pace with `realTime` (`-re`),
    /// progress on stdout.
    public static func arguments(_ url: String, seek: Double? = nil, realTime: Bool = false) -> [String] {
        var arguments = ["-nostdin", "-hide_banner", "-loglevel", "warning", "-nostats", "-progress", "pipe:1"]
        if realTime { arguments.append("-re") }
        if let seek { arguments += ["-ss", "\(seek)"] }
        return arguments + ["-i", url, "-map", "0:v", "-map", "0:a", "-f", "null", "-"]
    }

    /// The movie seconds decoded, from `-progress` output.
    public static func seconds(progress: String) -> Double {
        progress.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix("out_time_us="), let us = Double(line.dropFirst("out_time_us=".count)) else { return nil }
            return us / 1_000_000
        }.max() ?? 0
    }

    /// Plays `url` to its end: exit status, the lines logged (warnings and errors) and the
    /// seconds decoded. Bounded by coreutils' `timeout` (no shell): a client stuck on a segment
    /// fails the test, never hangs it, and leaves no process behind.
    public static func play(_ url: String, seek: Double? = nil, limit: Int = 180) async throws -> (status: Int32, log: [String], seconds: Double) {
        let result = try await runProgramAsync("/usr/bin/env", ["timeout", "-s", "KILL", "\(limit)", "ffmpeg"] + arguments(url, seek: seek))
        let log = result.stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return (result.status, log, seconds(progress: result.stdout))
    }
}

extension FFmpegClient {
    /// Why FFmpeg as a client, and mpv on top of it, cannot seek in fMP4 HLS here.
    public static let seekIssue = """
        FFmpeg's HLS demuxer before 7.1 returns no packet after a seek in fMP4 segments (any fMP4 \
        HLS, FFmpeg's own default output too; fixed upstream in commit 380a518c); mpv uses it
        """

    /// Whether this machine's FFmpeg, which mpv links too, seeks in fMP4 HLS: 7.1 and later
    /// (a git build, `N-...`, counts as later).
    public static func seeksInFMP4() async -> Bool {
        guard let result = try? await runProgramAsync("/usr/bin/env", ["ffmpeg", "-version"]) else { return false }
        // "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." or "ffmpeg version n7.1 ..."
        let word = result.stdout.split(separator: " ").dropFirst(2).first ?? ""
        let parts = word.drop { !$0.isNumber }.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) ?? 0 }
        guard let major = parts.first else { return false }
        return major > 7 || (major == 7 && (parts.dropFirst().first ?? 0) >= 1)
    }
}
