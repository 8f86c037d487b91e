import CurlHTTP
import Foundation
import Testing
import TestSupport

/// The WebVTT rendition and the master playlist, through a real orchestrator and worker.
@Suite struct SubtitleRenditionTests {
    /// Cue k at 0.5 + 2k s for 1 s: cues 4 and 5 lie in segment 2 (8 to 12 s).
    static let cues = SubtitledClip.cues(count: 12)

    static func body(_ source: String, seek: String? = nil, subtitles: [String: Any]? = ["language": "eng"]) -> String {
        var configuration: [String: Any] = ["bitrate_bps": 1_000_000, "encoder": "libx264"]
        if let seek { configuration["seek_time"] = seek }
        if let subtitles { configuration["subtitles"] = subtitles }
        return jsonText(["source_path": source, "configuration": configuration])
    }

    static func get(_ url: String) async throws -> HTTPResponse {
        try await HTTPClient().send(HTTPRequest(method: "GET", url: url, headers: [], timeout: .seconds(40)))
    }

    /// A GET as a player makes it: a 503 with Retry-After is asked again (bounded), since the
    /// master waits for the run's first segment and a loaded machine may take longer than its wait.
    static func getRetrying(_ url: String, for seconds: Int = 90) async throws -> HTTPResponse {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let response = try await get(url)
            guard response.status == 503, ContinuousClock.now < deadline else { return response }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `KEY=value` and `KEY="value"` pairs of a playlist tag line.
    static func attributes(_ line: Substring) -> [String: String] {
        var found: [String: String] = [:]
        let body = line.drop { $0 != ":" }.dropFirst()
        var rest = Substring(body)
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "=") else { break }
            let key = String(rest[..<eq])
            rest = rest[rest.index(after: eq)...]
            var value: Substring
            if rest.first == "\"" {
                let after = rest.dropFirst()
                let close = after.firstIndex(of: "\"") ?? after.endIndex
                value = after[..<close]
                rest = after[close...].dropFirst()
            } else {
                let comma = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<comma]
                rest = rest[comma...]
            }
            found[key] = String(value)
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return found
    }

    /// A playlist's EXTINF lengths.
    static func lengths(_ playlist: String) -> [String] {
        playlist.split(separator: "\n").filter { $0.hasPrefix("#EXTINF:") }.map(String.init)
    }

    /// The cues of a WebVTT segment in movie milliseconds, through its X-TIMESTAMP-MAP, with
    /// `videoOrigin` the 90 kHz time the video's segments give movie time 0.
    static func movieCues(_ vtt: String, videoOrigin: Int) throws -> [(start: Int, end: Int, text: String)] {
        let map = try #require(vtt.split(separator: "\n").first { $0.hasPrefix("X-TIMESTAMP-MAP=") })
        let mpegts = try #require(Int(map.split(separator: ",")[0].split(separator: ":")[1]))
        #expect(map.hasSuffix("LOCAL:00:00:00.000"), "\(map)")
        let shift = Double(mpegts - videoOrigin) / 90
        var found: [(Int, Int, String)] = []
        let lines = vtt.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where line.contains("-->") {
            let times = line.components(separatedBy: " --> ").map { stamp($0.split(separator: " ")[0]) }
            found.append((times[0] + Int(shift.rounded()), times[1] + Int(shift.rounded()), i + 1 < lines.count ? String(lines[i + 1]) : ""))
        }
        return found
    }

    static func stamp<S: StringProtocol>(_ text: S) -> Int {
        let parts = text.split(separator: ":").map { Double($0) ?? 0 }
        return Int(((parts[0] * 3600 + parts[1] * 60 + parts[2]) * 1000).rounded())
    }

    /// The 90 kHz PTS of the first video packet of a TS file.
    static func firstVideoPTS(_ path: String) async throws -> Int? {
        let result = try await ffprobe(["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts", "-of", "csv=p=0", path])
        return result.stdout.split(whereSeparator: \.isNewline).first.flatMap { Int($0.split(separator: ",")[0]) }
    }

    @Test func theRenditionFollowsTheVideoAndItsCuesAreTheSourcesAfterASeekInEveryRun() async throws {
        let pool = try await FailoverPool.start(workers: ["vtt-1"], timeout: 45, clipSeconds: 24)
        let clip = try await SubtitledClip.make(in: pool.media, seconds: 26, cues: Self.cues)
        let created = try await pool.api.call("PUT", "/v1/jobs/subs", body: Self.body(clip.path, seek: "00:00:09"))
        #expect(created.status == 201, "\(created.text)")
        let masterURL = try #require(created.object.string("master_url"), "the job view names its master_url: \(created.text)")
        let base = pool.orchestrator.service.baseURL + "/v1/jobs/subs/hls/"
        #expect(masterURL.hasPrefix(base + "master.m3u8?sig="), "\(masterURL)")
        let sig = String(masterURL[try #require(masterURL.range(of: "?sig=")).lowerBound...])

        // The master: signed, one variant, the English rendition, every URI signed.
        let master = try await Self.getRetrying(masterURL)
        #expect(master.status == 200, "\(master.text)")
        let lines = master.text.split(separator: "\n")
        let media = Self.attributes(try #require(lines.first { $0.hasPrefix("#EXT-X-MEDIA:") }, "\(master.text)"))
        #expect(media["TYPE"] == "SUBTITLES" && media["LANGUAGE"] == "en" && media["NAME"] == "English", "\(media)")
        #expect(media["URI"] == "subtitles.m3u8" + sig)
        let streamIndex = try #require(lines.firstIndex { $0.hasPrefix("#EXT-X-STREAM-INF:") }, "\(master.text)")
        let stream = Self.attributes(lines[streamIndex])
        #expect(stream["SUBTITLES"] == media["GROUP-ID"] && lines[streamIndex + 1] == "index.m3u8" + sig)

        // The rendition's playlist has the video's segments, lengths and all.
        let video = try await Self.get(base + "index.m3u8" + sig).text
        let subtitles = try await Self.get(base + "subtitles.m3u8" + sig)
        #expect(subtitles.status == 200 && subtitles.text.contains("subtitles6.vtt" + sig), "\(subtitles.text)")
        #expect(Self.lengths(subtitles.text) == Self.lengths(video) && Self.lengths(video).count == 7, "\(Self.lengths(subtitles.text))")

        // Segment 2 of the video (the run began at 8 s) says where movie time 0 is: the map must agree within 1 ms.
        let scratch = try Sandbox("vtt")
        let videoSegment = try await Self.get(base + "segment2.ts" + sig)
        #expect(videoSegment.status == 200)
        let segmentFile = scratch.root.appendingPathComponent("segment2.ts").path
        try videoSegment.body.write(to: URL(fileURLWithPath: segmentFile))
        let origin = try #require(try await Self.firstVideoPTS(segmentFile)) - 2 * 4 * 90_000
        let vtt = try await Self.get(base + "subtitles2.vtt" + sig)
        #expect(vtt.status == 200 && vtt.header("content-type")?.hasPrefix("text/vtt") == true, "\(vtt.status) \(vtt.text)")
        // Its URL stays when the job switches track, so it is revalidated, never kept blindly.
        #expect(vtt.header("cache-control") == "no-cache" && vtt.header("etag") != nil)
        let mapped = try #require(vtt.text.split(separator: "\n").first { $0.hasPrefix("X-TIMESTAMP-MAP=MPEGTS:") })
        let mpegts = try #require(Int(mapped.dropFirst("X-TIMESTAMP-MAP=MPEGTS:".count).prefix { $0 != "," }))
        #expect(abs(mpegts - origin) <= 90, "the map's MPEGTS \(mpegts) vs the video's movie time 0 at \(origin)")

        // Its cues are the source's (as the file holds them), within 1 ms.
        let source = try await clip.sourceCueTimes()
        let got = try Self.movieCues(vtt.text, videoOrigin: origin)
        #expect(got.map(\.text) == ["Cue 4", "Cue 5"], "\(vtt.text)")
        for (cue, want) in zip(got, source[4...5]) {
            #expect(abs(cue.start - want.start) <= 1 && abs(cue.end - want.end) <= 1, "\(cue) vs the source's \(want)")
        }

        // The master's attributes are what ffprobe says of a real segment.
        let probed = try await ffprobe([
            "-v", "error", "-show_entries", "stream=codec_type,profile,level,width,height,r_frame_rate", "-of", "json", segmentFile,
        ])
        let streams = try #require((try JSONSerialization.jsonObject(with: Data(probed.stdout.utf8)) as? [String: Any])?["streams"] as? [[String: Any]])
        let v = try #require(streams.first { $0.string("codec_type") == "video" })
        let a = try #require(streams.first { $0.string("codec_type") == "audio" })
        #expect(stream["RESOLUTION"] == "\(v.int("width") ?? 0)x\(v.int("height") ?? 0)")
        let rate = try #require(v.string("r_frame_rate")?.split(separator: "/").compactMap { Double($0) })
        #expect(stream["FRAME-RATE"] == String(format: "%.3f", rate[0] / rate[1]))
        #expect(v.string("profile") == "High" && a.string("profile") == "LC")
        let level = String(format: "%02x", v.int("level") ?? 0)
        #expect(stream["CODECS"] == "avc1.6400\(level),mp4a.40.2", "\(stream)")
        let peak = try #require(stream["BANDWIDTH"].flatMap(Int.init)), average = try #require(stream["AVERAGE-BANDWIDTH"].flatMap(Int.init))
        #expect(peak >= average && average > 200_000 && peak < 5_000_000, "BANDWIDTH \(peak), AVERAGE-BANDWIDTH \(average)")

        // The same body again starts nothing; a seek is a new run whose segment 2 is the same bytes.
        let generation = try await pool.job("subs").int("generation")
        let again = try await pool.api.call("PUT", "/v1/jobs/subs", body: Self.body(clip.path, seek: "00:00:09"))
        #expect(again.status == 200 && again.object.int("generation") == generation, "\(again.text)")
        let seeked = try await pool.api.call("PUT", "/v1/jobs/subs", body: Self.body(clip.path, seek: "00:00:17"))
        #expect(seeked.status == 200 && (seeked.object.int("generation") ?? 0) > (generation ?? 0), "\(seeked.text)")
        let after = try await pool.api.call("GET", "/v1/jobs/subs/hls/subtitles2.vtt")
        #expect(after.status == 200 && after.body == vtt.body, "the same segment from another run")

        // Another track (the ASS one) is another run, with its own language and name, same cue times.
        let french = try await pool.api.call("PUT", "/v1/jobs/subs", body: Self.body(clip.path, seek: "00:00:17", subtitles: ["track": 1]))
        #expect(french.status == 200 && (french.object.int("generation") ?? 0) > (seeked.object.int("generation") ?? 0), "\(french.text)")
        let frenchMaster = try await pool.api.call("GET", "/v1/jobs/subs/hls/master.m3u8")
        let frenchMedia = Self.attributes(try #require(frenchMaster.text.split(separator: "\n").first { $0.hasPrefix("#EXT-X-MEDIA:") }, "\(frenchMaster.text)"))
        #expect(frenchMedia["LANGUAGE"] == "fr" && frenchMedia["NAME"] == "Français (ASS)", "\(frenchMedia)")
        let frenchVTT = try await pool.api.call("GET", "/v1/jobs/subs/hls/subtitles2.vtt")
        let frenchCues = try Self.movieCues(frenchVTT.text, videoOrigin: origin)
        #expect(frenchCues.map(\.start) == got.map(\.start) && frenchCues.map(\.end) == got.map(\.end), "\(frenchVTT.text)")
    }

    @Test func withoutSubtitlesThereIsNoRenditionAndBadChoicesAre422sThatNameTheTracks() async throws {
        let pool = try await FailoverPool.start(workers: ["vtt-2"], timeout: 45, clipSeconds: 24)
        let clip = try await SubtitledClip.make(in: pool.media, seconds: 10, cues: SubtitledClip.cues(count: 4))
        let created = try await pool.api.call("PUT", "/v1/jobs/plain", body: Self.body(clip.path, subtitles: nil))
        #expect(created.status == 201, "\(created.text)")
        let master = try await pool.api.call("GET", "/v1/jobs/plain/hls/master.m3u8")
        #expect(master.status == 200 && master.text.contains("#EXT-X-STREAM-INF:"), "\(master.text)")
        #expect(!master.text.contains("EXT-X-MEDIA") && !master.text.contains("SUBTITLES="), "\(master.text)")
        #expect(try await pool.api.call("GET", "/v1/jobs/plain/hls/subtitles.m3u8").status == 404)
        #expect(try await pool.api.call("GET", "/v1/jobs/plain/hls/subtitles0.vtt").status == 404)
        let worker = try #require(pool.workers["vtt-2"])
        #expect(try await worker.api.call("GET", "/v1/jobs/plain/hls/subtitles0.vtt").status == 404)

        for (choice, words) in [
            (["language": "spa"] as [String: Any], "no subtitle track in \"spa\""), (["track": 5], "no subtitle track 5"),
            (["forced": true], "must name a \"language\" or a \"track\""),
        ] {
            let refused = try await pool.api.call("PUT", "/v1/jobs/bad", body: Self.body(clip.path, subtitles: choice))
            #expect(refused.status == 422, "\(choice): \(refused.status) \(refused.text)")
            let sentence = refused.object.string("error") ?? ""
            #expect(sentence.contains(words) && sentence.contains("the source has: 0 eng subrip, 1 fre ass"), "\(choice): \(sentence)")
        }
        // Past the movie's end (10 s is segments 0 to 2), on both services.
        let subs = try await pool.api.call("PUT", "/v1/jobs/late", body: Self.body(clip.path))
        #expect(subs.status == 201)
        #expect(try await pool.api.call("GET", "/v1/jobs/late/hls/subtitles2.vtt").status == 200)
        #expect(try await pool.api.call("GET", "/v1/jobs/late/hls/subtitles3.vtt").status == 404)
        #expect(try await worker.api.call("GET", "/v1/jobs/late/hls/subtitles3.vtt").status == 404)
    }
}
