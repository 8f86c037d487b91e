import Foundation
import Testing
import TestSupport

/// `configuration.audio` and `audio_channels` on a real film, checked by what the output
/// sounds like: the French track is 440 Hz in the centre channel of a 5.1 AC3 track, the
/// English one (marked default) is 880 Hz stereo AAC.
@Suite struct AudioChoiceTests {
    /// A job body with the given extra configuration fields.
    static func body(_ source: String, _ extra: [String: Any] = [:]) -> String {
        var configuration: [String: Any] = ["encoder": "libx264", "bitrate_bps": 500_000, "tone_map": "off"]
        configuration.merge(extra) { $1 }
        return jsonText(["source_path": source, "configuration": configuration])
    }

    /// Runs a job to completion on the worker and returns its status and output playlist.
    static func run(_ worker: WorkerHarness, _ id: String, _ body: String) async throws -> (job: [String: Any], playlist: String) {
        let created = try await worker.api.call("PUT", "/v1/jobs/\(id)", body: body)
        #expect(created.status == 201, "\(id): \(created.text)")
        let done = try await worker.api.waitForJob(id, timeout: .seconds(120)) { $0.string("state") == "completed" || $0.string("state") == "failed" }
        #expect(done.job.string("state") == "completed", "\(id): \(done.job)")
        return (done.job, worker.sandbox.transcode.appendingPathComponent("\(id)/index.m3u8").path)
    }

    @Test func theDefaultTrackPlaysUnlessALanguageOrAnIndexChoosesAnother() async throws {
        let worker = try await WorkerHarness.start()
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        let cases: [(id: String, audio: [String: Any]?, track: Int, hz: Double)] = [
            ("default", nil, Film.Track.englishAudio, Film.englishHz),
            ("french", ["language": "fre"], Film.Track.frenchAudio, Film.frenchHz),
            ("terminology", ["language": "fra"], Film.Track.frenchAudio, Film.frenchHz),
            ("index", ["track": 0], Film.Track.frenchAudio, Film.frenchHz),
            ("english", ["language": "ENG"], Film.Track.englishAudio, Film.englishHz),
        ]
        for item in cases {
            let (job, playlist) = try await Self.run(worker, item.id, Self.body(film, item.audio.map { ["audio": $0] } ?? [:]))
            #expect(job.strings("ffmpeg_args")?.containsPair("-map", "0:a:\(item.track)?") == true, "\(item.id): \(job.strings("ffmpeg_args") ?? [])")
            let levels = try await audioLevels(playlist)
            #expect(levels.count == 2, "\(item.id): stereo by default")
            #expect(levels.allSatisfy { $0.isTone(item.hz) }, "\(item.id): expected \(item.hz) Hz in both ears, got \(levels)")
        }
    }

    @Test func theStereoDownmixKeepsTheCentreChannelAudible() async throws {
        let worker = try await WorkerHarness.start()
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        // The source: sound only in FC.
        let source = try await audioLevels(film, stream: Film.Track.frenchAudio)
        #expect(source.count == 6)
        let centre = try #require(source.max { $0.rmsDB < $1.rmsDB })
        #expect(source[2].rmsDB == centre.rmsDB && source.enumerated().allSatisfy { $0.offset == 2 || $0.element.rmsDB < -60 }, "\(source)")

        /// Both ears within 10 dB of the source's centre: the dialogue is there.
        func dialogueKept(_ levels: [ChannelLevel]) -> Bool {
            levels.count == 2 && levels.allSatisfy { centre.rmsDB - $0.rmsDB < 10 && $0.isTone(Film.frenchHz) }
        }
        let (_, playlist) = try await Self.run(worker, "downmix", Self.body(film, ["audio": ["language": "fre"], "audio_channels": 2]))
        let stereo = try await audioLevels(playlist)
        #expect(dialogueKept(stereo), "centre at \(centre), stereo output \(stereo)")

        // The same check on a naive mix that takes only the fronts: it must fail, or the test
        // above could not tell a good downmix from one that loses the dialogue.
        let naive = worker.sandbox.root.appendingPathComponent("naive.mkv").path
        let made = try await runProgramAsync("/usr/bin/env", [
            "ffmpeg", "-v", "error", "-y", "-i", film, "-map", "0:a:0", "-af", "pan=stereo|c0=c0|c1=c1", "-c:a", "aac", naive,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let dropped = try await audioLevels(naive)
        #expect(!dialogueKept(dropped), "a mix without FC is silent: \(dropped)")
        print("downmix: source centre \(centre), stereo output \(stereo), a mix without FC \(dropped)")
    }

    @Test func sixChannelsGiveA51AACTrack() async throws {
        let worker = try await WorkerHarness.start()
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        let (job, playlist) = try await Self.run(worker, "surround", Self.body(film, ["audio": ["language": "fre"], "audio_channels": 6]))
        #expect(job.strings("ffmpeg_args")?.containsPair("-ac", "6") == true, "\(job.strings("ffmpeg_args") ?? [])")
        let segment = worker.sandbox.transcode.appendingPathComponent("surround/segment1.ts").path
        let format = try await audioFormat(segment)
        #expect(format?.codec == "aac" && format?.channels == 6, "\(String(describing: format))")
        let levels = try await audioLevels(playlist)
        #expect(levels.count == 6 && levels[2].isTone(Film.frenchHz), "the centre stays the centre: \(levels)")
        #expect(levels.enumerated().allSatisfy { $0.offset == 2 || $0.element.rmsDB < -40 }, "\(levels)")
    }

    @Test func theSameBodyTwiceStartsFFmpegOnceAndAChangedTrackChoiceIsANewRun() async throws {
        let worker = try await WorkerHarness.start()
        let film = try worker.sandbox.film(try await offPool { try Film.shared(seconds: 8, size: "320x180") })
        func spawns() async throws -> Int? { try await worker.api.ffmpegSpawns() }
        let base: [String: Any] = ["audio": ["language": "fre"], "audio_channels": 2]
        let first = try await worker.api.call("PUT", "/v1/jobs/twice", body: Self.body(film, base))
        #expect(first.status == 201, "\(first.text)")
        #expect(try await spawns() == 1)
        let second = try await worker.api.call("PUT", "/v1/jobs/twice", body: Self.body(film, base))
        #expect(second.status == 200, "\(second.text)")
        #expect(try await spawns() == 1, "the same body: the same FFmpeg")

        let changes: [[String: Any]] = [["audio": ["language": "eng"]], ["audio_channels": 6], ["audio": ["track": 1], "audio_channels": 2]]
        for (n, change) in changes.enumerated() {
            let moved = try await worker.api.call("PUT", "/v1/jobs/twice", body: Self.body(film, base.merging(change) { $1 }))
            #expect(moved.status == 200, "\(moved.text)")
            #expect(try await spawns() == 2 + n, "\(change): a new run")
        }
        let last = try await worker.api.job("twice")
        #expect(last.strings("ffmpeg_args")?.containsPair("-map", "0:a:1?") == true)
        #expect((last["configuration"] as? [String: Any])?["audio"] as? [String: Int] == ["track": 1], "the configuration as sent")
        _ = try await worker.api.call("DELETE", "/v1/jobs/twice")
    }
}
