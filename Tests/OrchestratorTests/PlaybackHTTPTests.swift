import CurlHTTP
import Foundation
import ServiceSupport
import Testing
import TestSupport

/// What players, proxies and browsers expect of playlist and segment routes, and playback
/// URLs that carry a per-job signature instead of the pool's token.
@Suite struct PlaybackHTTPTests {
    static func get(_ url: String, method: String = "GET", headers: [(String, String)] = []) async throws -> HTTPResponse {
        try await HTTPClient().send(HTTPRequest(method: method, url: url, headers: headers, timeout: .seconds(30)))
    }

    @Test func headRangeValidatorsCachingAndCORSOnBothServices() async throws {
        let pool = try await FailoverPool.start(workers: ["http-1"], timeout: 45, clipSeconds: 24)
        _ = try await pool.startJob("ranged")
        try await pool.waitForSegment("ranged", atLeast: 1)
        let worker = try #require(pool.workers["http-1"])
        let bearer = [("Authorization", "Bearer \(WorkerHarness.token)")]
        for base in [pool.orchestrator.service.baseURL, worker.service.baseURL] {
            let url = base + "/v1/jobs/ranged/hls/segment1.ts"
            let full = try await Self.get(url, headers: bearer)
            #expect(full.status == 200 && full.body.count > 1000, "\(base): \(full.status)")
            #expect(full.header("accept-ranges") == "bytes")
            #expect(full.header("cache-control")?.contains("max-age") == true, "a finished segment may be cached")
            let etag = try #require(full.header("etag"), "\(base): a finished segment carries a validator")

            let head = try await Self.get(url, method: "HEAD", headers: bearer)
            #expect(head.status == 200 && head.body.isEmpty, "\(base) HEAD: \(head.status)")
            #expect(head.header("content-length") == "\(full.body.count)")

            let part = try await Self.get(url, headers: bearer + [("Range", "bytes=100-299")])
            #expect(part.status == 206 && part.body == full.body[100..<300], "\(base) Range: \(part.status)")
            #expect(part.header("content-range") == "bytes 100-299/\(full.body.count)")
            let tail = try await Self.get(url, headers: bearer + [("Range", "bytes=-188")])
            #expect(tail.status == 206 && tail.body == full.body.suffix(188))
            let beyond = try await Self.get(url, headers: bearer + [("Range", "bytes=\(full.body.count)-")])
            #expect(beyond.status == 416 && beyond.header("content-range") == "bytes */\(full.body.count)")

            let again = try await Self.get(url, headers: bearer + [("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty)

            let playlist = try await Self.get(base + "/v1/jobs/ranged/hls/index.m3u8", headers: bearer)
            #expect(playlist.status == 200 && playlist.header("cache-control") == "no-cache", "the playlist stays fresh")

            // A page on another origin: the preflight needs no token, the answer allows the origin.
            let preflight = try await Self.get(url, method: "OPTIONS", headers: [
                ("Origin", "http://player.example"), ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization, range"),
            ])
            #expect([200, 204].contains(preflight.status), "\(base) preflight: \(preflight.status) \(preflight.text)")
            #expect(preflight.header("access-control-allow-origin") == "*")
            #expect(preflight.header("access-control-allow-methods")?.contains("GET") == true)
            #expect(preflight.header("access-control-allow-headers")?.lowercased().contains("range") == true)
            let cross = try await Self.get(url, headers: bearer + [("Origin", "http://player.example")])
            #expect(cross.status == 200 && cross.header("access-control-allow-origin") == "*")
        }
    }

    @Test func signedPlaybackURLsOpenOneJobUntilTheyExpireAndTheTokenAppearsInNoURL() async throws {
        let pool = try await FailoverPool.start(workers: ["sig-1"], timeout: 45, clipSeconds: 24)
        for id in ["job-a", "job-b"] { _ = try await pool.startJob(id) }
        try await pool.waitForSegment("job-a", atLeast: 0)
        try await pool.waitForSegment("job-b", atLeast: 0)
        let jobA = try await pool.job("job-a")
        let url = try #require(jobA.string("playlist_url"))
        let base = pool.orchestrator.service.baseURL + "/v1/jobs/job-a/hls/"
        #expect(url.hasPrefix(base + "index.m3u8?sig="), "absolute, from the request's Host: \(url)")
        let sig = String(url[try #require(url.range(of: "?sig=")).upperBound...])

        // The signed URL plays without any header; its segment URIs inherit the signature.
        let playlist = try await Self.get(url)
        #expect(playlist.status == 200 && playlist.text.contains("segment0.ts?sig=\(sig)"))
        #expect(try await Self.get(base + "segment0.ts?sig=\(sig)").status == 200)

        // Job A's signature on job B, a forged one, an expired one, none: refused.
        let other = pool.orchestrator.service.baseURL + "/v1/jobs/job-b/hls/"
        #expect([401, 403].contains(try await Self.get(other + "index.m3u8?sig=\(sig)").status))
        #expect([401, 403].contains(try await Self.get(other + "segment0.ts?sig=\(sig)").status))
        let forged = String(sig.dropLast(2)) + (sig.hasSuffix("AA") ? "BB" : "AA")
        #expect([401, 403].contains(try await Self.get(base + "segment0.ts?sig=\(forged)").status))
        let signer = try #require(PlaybackSigner(poolToken: WorkerHarness.token))
        let expired = signer.token(jobID: "job-a", expires: Int(Date().timeIntervalSince1970) - 5)
        let late = try await Self.get(base + "segment0.ts?sig=\(expired)")
        #expect(late.status == 401 && late.text.contains("expired"), "\(late.status) \(late.text)")
        #expect(try await Self.get(base + "segment0.ts").status == 401)
        // A signature opens HLS reads only.
        #expect(try await Self.get(pool.orchestrator.service.baseURL + "/v1/jobs/job-a?sig=\(sig)").status == 401)
        #expect(try await Self.get(pool.orchestrator.service.baseURL + "/v1/jobs?sig=\(sig)").status == 401)

        // The bearer header still works, and no URL the services write holds the pool's token.
        #expect(try await pool.api.call("GET", "/v1/jobs/job-a/hls/segment0.ts").status == 200)
        for text in [
            try await pool.api.call("GET", "/v1/jobs").text, try await pool.api.call("GET", "/v1/jobs/job-a").text,
            playlist.text, try await pool.api.call("GET", "/v1/jobs/job-a/hls/index.m3u8").text,
        ] {
            #expect(!text.contains(WorkerHarness.token), "the pool's token leaked into: \(text.prefix(300))")
        }
    }
}
