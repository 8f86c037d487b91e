import Foundation
import Testing
import TestSupport

/// The test film holds what a NAS film holds, and the worker lists every stream of it.
@Suite("Track listing of a real film (real worker, real ffprobe)")
struct FilmTrackListingTests {
    @Test("GET /v1/media/tracks lists video, both audio tracks and four subtitle tracks with their flags")
    func listsEveryStream() async throws {
        let film = try await offPool { try Film.shared() }
        let worker = try await WorkerHarness.start()
        let path = try worker.sandbox.film(film)
        let response = try await worker.api.call("GET", "/v1/media/tracks?path=\(path)")
        #expect(response.status == 200, "\(response.status) \(response.text)")
        let tracks = response.object["tracks"] as? [[String: Any]] ?? []
        let video = tracks.filter { $0["type"] as? String == "video" }
        let audio = tracks.filter { $0["type"] as? String == "audio" }
        let subtitles = tracks.filter { $0["type"] as? String == "subtitle" }
        #expect(video.count == 1 && audio.count == 2 && subtitles.count == 4, "\(response.text)")

        #expect(video.first?["codec"] as? String == "hevc")
        #expect(video.first?["bit_depth"] as? Int == 10)
        #expect(video.first?["hdr"] as? String == "pq")
        #expect(video.first?["width"] as? Int == film.width && video.first?["height"] as? Int == film.height)
        #expect(abs((video.first?["frame_rate"] as? Double ?? 0) - 24) < 0.01)

        let french = audio.first { $0["index"] as? Int == 0 }, english = audio.first { $0["index"] as? Int == 1 }
        #expect(french?["language"] as? String == "fre" && french?["codec"] as? String == "ac3" && french?["channels"] as? Int == 6)
        #expect(french?["default"] as? Bool == false)
        #expect(english?["language"] as? String == "eng" && english?["channels"] as? Int == 2 && english?["default"] as? Bool == true)
        #expect(english?["title"] as? String == "English")

        let kinds = subtitles.sorted { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }.map { "\($0["codec"] ?? "?")/\($0["kind"] ?? "?")" }
        #expect(kinds == ["subrip/text", "ass/text", "dvd_subtitle/bitmap", "subrip/text"], "\(kinds)")
        #expect(subtitles.first { $0["index"] as? Int == 3 }?["forced"] as? Bool == true)
        #expect(subtitles.first { $0["index"] as? Int == 0 }?["forced"] as? Bool == false)
    }

    @Test("A 10-bit SDR and an HLG film say so")
    func dynamicRanges() async throws {
        let sdr = try await offPool { try Film.shared(seconds: 8, size: "320x180", transfer: .sdr) }
        let hlg = try await offPool { try Film.shared(seconds: 8, size: "320x180", transfer: .hlg) }
        let worker = try await WorkerHarness.start()
        for (film, expected) in [(sdr, "sdr"), (hlg, "hlg")] {
            let path = try worker.sandbox.film(film, name: "\(expected).mkv")
            let response = try await worker.api.call("GET", "/v1/media/tracks?path=\(path)")
            let video = (response.object["tracks"] as? [[String: Any]])?.first { $0["type"] as? String == "video" }
            #expect(video?["hdr"] as? String == expected, "\(response.text)")
            #expect(video?["bit_depth"] as? Int == 10)
        }
    }
}
