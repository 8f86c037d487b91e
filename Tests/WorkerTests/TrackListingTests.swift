import Foundation
import Testing
import TestSupport

/// `GET /v1/media/tracks?path=` on the worker: every stream of a real film, and the same
/// confinement and errors as a job's `source_path`.
@Suite struct TrackListingTests {
    @Test func theListingNamesEveryStreamWithWhatAJobChoosesBy() async throws {
        let worker = try await WorkerHarness.start()
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        let response = try await worker.api.call("GET", "/v1/media/tracks?path=\(film)")
        #expect(response.status == 200, "\(response.text)")
        let listing = response.object
        #expect(listing.string("path") == film)
        #expect(abs((listing.double("duration") ?? 0) - 8) < 0.5)
        let tracks = try #require(listing["tracks"] as? [[String: Any]])
        #expect(tracks.map { $0.string("type") ?? "" } == ["video", "audio", "audio", "subtitle", "subtitle", "subtitle", "subtitle"])
        #expect(tracks.map { $0.int("index") ?? -1 } == [0, 0, 1, 0, 1, 2, 3], "numbered within each type")
        #expect(tracks.map { $0.int("stream_index") ?? -1 } == Array(0...6))

        let video = tracks[0]
        #expect(video.string("codec") == "hevc")
        #expect(video.int("width") == 320 && video.int("height") == 180)
        #expect(abs((video.double("frame_rate") ?? 0) - 24) < 0.01)
        #expect(video.int("bit_depth") == 10)
        #expect(video.string("hdr") == "pq")
        #expect(video["channels"] == nil && video["kind"] == nil, "only the fields of its type")

        let french = tracks[1], english = tracks[2]
        #expect(french.string("codec") == "ac3" && french.string("language") == "fre" && french.int("channels") == 6)
        #expect(french.string("channel_layout")?.hasPrefix("5.1") == true, "\(french)")
        #expect(french.string("title") == "Français 5.1")
        #expect(french["default"] as? Bool == false && french["forced"] as? Bool == false)
        #expect(english.string("codec") == "aac" && english.string("language") == "eng" && english.int("channels") == 2)
        #expect(english.string("channel_layout") == "stereo" && english["default"] as? Bool == true)
        #expect(french["width"] == nil && french["hdr"] == nil)

        let subtitles = Array(tracks[3...])
        #expect(subtitles.map { $0.string("codec") ?? "" } == ["subrip", "ass", "dvd_subtitle", "subrip"])
        #expect(subtitles.map { $0.string("kind") ?? "" } == ["text", "text", "bitmap", "text"])
        #expect(subtitles.map { $0.string("language") ?? "" } == ["eng", "fre", "eng", "eng"])
        #expect(subtitles.map { $0["forced"] as? Bool ?? true } == [false, false, false, true])
        #expect(subtitles[1].string("title") == "Français")
    }

    @Test func anUntaggedEightBitClipIsSDR() async throws {
        // PQ, HLG and 10-bit SDR films: FilmTrackListingTests.
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 2, size: "160x120")
        let plain = try await worker.api.call("GET", "/v1/media/tracks?path=\(clip)")
        let video = (plain.object["tracks"] as? [[String: Any]])?.first
        #expect(video?.string("hdr") == "sdr" && video?.int("bit_depth") == 8, "\(plain.text)")
        #expect(abs((plain.object.double("duration") ?? 0) - 2) < 0.2, "\(plain.text)")
    }

    @Test func theListingIsConfinedAndRefusedLikeAJobSource() async throws {
        let worker = try await WorkerHarness.start()
        let clip = try await worker.sandbox.makeClip(seconds: 2, size: "160x120")
        let stray = worker.sandbox.root.appendingPathComponent("stray.mkv").path
        try FileManager.default.copyItem(atPath: clip, toPath: stray)
        let garbage = worker.sandbox.media.appendingPathComponent("garbage.mkv").path
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: garbage))
        let cases: [(query: String, status: Int, says: String)] = [
            ("?path=\(stray)", 403, "outside the media roots"),
            ("?path=\(worker.sandbox.media.path)/../stray.mkv", 403, "outside the media roots"),
            ("?path=\(garbage)", 422, "FFmpeg cannot read the source"),
            ("?path=\(worker.sandbox.media.path)/absent.mkv", 422, "does not exist"),
            ("?path=relative.mkv", 422, "must be an absolute path"),
            ("?path=\(worker.sandbox.media.path)", 403, "outside the media roots"),
            ("", 400, "?path="),
            ("?path=", 400, "?path="),
        ]
        for item in cases {
            let response = try await worker.api.call("GET", "/v1/media/tracks\(item.query)")
            #expect(response.status == item.status, "\(item.query): \(response.text)")
            #expect(response.errorSentence?.contains(item.says) == true, "\(item.query): \(response.text)")
        }
        let noToken = try await API(worker.service.baseURL, token: nil).call("GET", "/v1/media/tracks?path=\(clip)")
        #expect(noToken.status == 401)
    }
}
