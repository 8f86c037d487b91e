import CurlHTTP

extension API {
    /// `transcode_worker_ffmpeg_spawns_total` of a worker: how many FFmpeg runs it started.
    public func ffmpegSpawns() async throws -> Int? {
        let text = try await call("GET", "/metrics").text
        let line = text.split(separator: "\n").first { $0.hasPrefix("transcode_worker_ffmpeg_spawns_total") }
        return line?.split(separator: " ").last.flatMap { Double($0) }.map { Int($0) }
    }
}
