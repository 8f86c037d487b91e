import CurlHTTP
import Foundation
import Testing
import TestSupport

/// The orchestrator's stable playlist, init segment and segments for `container: "fmp4"`,
/// and FFmpeg as a client playing them (H.264 and HEVC through the x265 manifest).
@Suite struct FMP4PlaybackHTTPTests {
    static func get(_ url: String) async throws -> HTTPResponse {
        try await HTTPClient().send(HTTPRequest(url: url, timeout: .seconds(40)))
    }

    /// FFmpeg as a client plays from `seek` to the end: a known issue where its HLS demuxer
    /// cannot seek in fMP4 (`FFmpegClient.seekIssue`), which then fails no test, and fails
    /// this one the day that FFmpeg can.
    static func seek(_ url: String, to seek: Double, of seconds: Double) async throws {
        let sought = try await FFmpegClient.play(url, seek: seek)
        let check = {
            #expect(sought.status == 0 && sought.log.isEmpty, "ffmpeg -ss \(seek): \(sought.status)\n\(sought.log.prefix(20).joined(separator: "\n"))")
            #expect(sought.seconds >= seconds - seek - 1, "ffmpeg decoded \(sought.seconds) s after the seek to \(seek) s of \(seconds)")
        }
        if await FFmpegClient.seeksInFMP4() { check() } else { withKnownIssue(Comment(rawValue: FFmpegClient.seekIssue)) { check() } }
    }

    /// PUTs a job through the orchestrator with `configuration.container` set.
    static func start(_ pool: FailoverPool, _ id: String, container: String, encoder: String = "libx264") async throws -> [String: Any] {
        let created = try await pool.api.call("PUT", "/v1/jobs/\(id)", body: WorkerHarness.job(pool.source, container: container, encoder: encoder, bitrate: 600_000))
        #expect(created.status == 201, "\(created.text)")
        return created.object
    }

    @Test func theStablePlaylistMapsTheInitSegmentAndNamesM4SSegmentsBehindTheSignature() async throws {
        let pool = try await FailoverPool.start(workers: ["f4-1"], timeout: 45, clipSeconds: 24)
        let refused = try await pool.api.call("PUT", "/v1/jobs/bad", body: WorkerHarness.job(pool.source, container: "webm"))
        #expect(refused.status == 422 && refused.errorSentence == "container must be \"ts\" or \"fmp4\"; got 'webm'.", "\(refused.status) \(refused.text)")

        let job = try await Self.start(pool, "f4", container: "fmp4")
        _ = try await Self.start(pool, "plain", container: "ts")
        try await pool.waitForSegment("f4", atLeast: 1)
        let url = try #require(job.string("playlist_url"))
        let sig = String(url[try #require(url.range(of: "?sig=")).upperBound...])
        let base = pool.orchestrator.service.baseURL + "/v1/jobs/f4/hls/"

        let playlist = try await Self.get(url)
        #expect(playlist.status == 200, "\(playlist.status) \(playlist.text)")
        let lines = playlist.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("#EXT-X-VERSION:7") && lines.contains("#EXT-X-MAP:URI=\"init.mp4?sig=\(sig)\""), "\(playlist.text)")
        #expect(lines.contains("segment0.m4s?sig=\(sig)") && lines.contains("segment5.m4s?sig=\(sig)") && !playlist.text.contains(".ts"), "\(playlist.text)")
        let mapLine = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-MAP") }), firstSegment = try #require(lines.firstIndex { $0.hasPrefix("#EXTINF") })
        #expect(mapLine < firstSegment, "the map comes before the first segment")

        // Through the signature, the bytes the worker wrote, with their types.
        let worker = try #require(pool.workers["f4-1"])
        let folder = worker.sandbox.transcode.appendingPathComponent("f4").path
        let initFile = try await Self.get(base + "init.mp4?sig=\(sig)")
        #expect(initFile.status == 200 && initFile.header("Content-Type") == "video/mp4", "\(initFile.status) \(initFile.text.prefix(200))")
        #expect(initFile.header("Cache-Control") == "no-cache" && initFile.body == FileManager.default.contents(atPath: folder + "/init.mp4"))
        let segment = try await Self.get(base + "segment1.m4s?sig=\(sig)")
        #expect(segment.status == 200 && segment.header("Content-Type") == "video/iso.segment", "\(segment.status)")
        #expect(segment.body == FileManager.default.contents(atPath: folder + "/segment1.m4s"), "served unchanged (no TS mark)")
        #expect(try await Self.get(base + "segment1.ts?sig=\(sig)").status == 404, "a TS name is no file of an fMP4 job")
        #expect([401, 403].contains(try await Self.get(base + "init.mp4").status), "the init segment needs the signature too")

        // The master's CODECS from the init segment's avcC.
        let master = try await Self.get(try #require(job.string("master_url")))
        #expect(master.status == 200 && master.text.contains("CODECS=\"avc1.64") && master.text.contains(",mp4a.40.2\""), "\(master.text)")

        // A TS job: the playlist as before, and no init segment.
        let plainURL = try #require(try await pool.job("plain").string("playlist_url"))
        let tsPlaylist = try await Self.get(plainURL)
        #expect(tsPlaylist.text.contains("#EXT-X-VERSION:3") && !tsPlaylist.text.contains("EXT-X-MAP") && tsPlaylist.text.contains("segment0.ts?sig="), "\(tsPlaylist.text)")
        let plainSig = String(plainURL[try #require(plainURL.range(of: "?sig=")).upperBound...])
        #expect(try await Self.get(pool.orchestrator.service.baseURL + "/v1/jobs/plain/hls/init.mp4?sig=\(plainSig)").status == 404)

        // A remux (cut at the source's keyframes) gets the worker's own playlist, its map signed too.
        let remux = try await pool.api.call("PUT", "/v1/jobs/remux", body: WorkerHarness.job(pool.source, container: "fmp4", remux: true))
        #expect(remux.status == 201, "\(remux.text)")
        try await pool.waitForSegment("remux", atLeast: 0)
        let remuxURL = try #require(remux.object.string("playlist_url"))
        let remuxSig = String(remuxURL[try #require(remuxURL.range(of: "?sig=")).upperBound...])
        let remuxPlaylist = try await Self.get(remuxURL)
        #expect(remuxPlaylist.text.contains("#EXT-X-MAP:URI=\"init.mp4?sig=\(remuxSig)\"") && remuxPlaylist.text.contains("segment0.m4s?sig=\(remuxSig)"),
                "\(remuxPlaylist.text)")
        let remuxed = try await FFmpegClient.play(remuxURL)
        // The copied stream keeps the Matroska source's guessed DTS, which repeat once per GOP:
        // FFmpeg logs "non monotonically increasing dts" for a TS remux of the same clip too.
        let remuxLog = remuxed.log.filter { !$0.contains("non monotonically increasing dts to muxer") }
        #expect(remuxed.status == 0 && remuxLog.isEmpty && remuxed.seconds >= 23, "remux: \(remuxed.status) \(remuxed.seconds) s\n\(remuxLog.prefix(20).joined(separator: "\n"))")

        // FFmpeg as a client, from the start and from a seek past what the run has written.
        let whole = try await FFmpegClient.play(url)
        #expect(whole.status == 0 && whole.log.isEmpty, "ffmpeg: \(whole.status)\n\(whole.log.prefix(20).joined(separator: "\n"))")
        #expect(whole.seconds >= 23, "ffmpeg decoded \(whole.seconds) s of 24")
        try await Self.seek(url, to: 16, of: 24)
    }

    @Test func hevcInFMP4ThroughTheX265ManifestPlaysInFFmpeg() async throws {
        let manifests = try Sandbox("fmp4-x265")
        let folder = try Manifests.folder(["x265.toml": try Manifests.shipped("x265.toml")], in: manifests)
        let pool = try await FailoverPool.start(workers: ["f4h-1"], timeout: 45, clipSeconds: 16, workerFlags: ["--backends-dir", folder])
        let job = try await Self.start(pool, "hevc", container: "fmp4", encoder: "libx265")
        let url = try #require(job.string("playlist_url"))

        let master = try await Self.get(try #require(job.string("master_url")))
        #expect(master.status == 200 && master.text.contains("CODECS=\"hvc1.1.") && master.text.contains(",mp4a.40.2\""), "\(master.text)")
        let cut = try #require(url.range(of: "index.m3u8"))
        let base = String(url[..<cut.lowerBound])
        let sig = String(url[try #require(url.range(of: "?sig=")).upperBound...])
        let initFile = try await Self.get(base + "init.mp4?sig=\(sig)")
        #expect(initFile.status == 200 && initFile.body.range(of: Data("hvc1".utf8)) != nil && initFile.body.range(of: Data("hev1".utf8)) == nil,
                "the sample entry is hvc1")

        let whole = try await FFmpegClient.play(url)
        #expect(whole.status == 0 && whole.log.isEmpty, "ffmpeg: \(whole.status)\n\(whole.log.prefix(20).joined(separator: "\n"))")
        #expect(whole.seconds >= 15, "ffmpeg decoded \(whole.seconds) s of 16")
        try await Self.seek(url, to: 8, of: 16)
    }
}
