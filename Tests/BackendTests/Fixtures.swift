import Foundation
import TestSupport
import TranscodeBackend

/// Recorded `hwdetect` inventories of machines this project targets, as the probe prints them.
enum Fixtures {
    // The recorded machines live in TestSupport, shared with the worker tests.
    static let debianEncoders = RecordedInventories.debianEncoders
    static let nvidiaDesktop = RecordedInventories.nvidiaDesktop
    static let intelIHD = RecordedInventories.intelIHD
    static let amdRadeonsi = RecordedInventories.amdRadeonsi
    static let twoNodes = RecordedInventories.twoNodes
    static let noGPU = RecordedInventories.noGPU
    static let rtx4070 = RecordedInventories.rtx4070
    static let h100 = RecordedInventories.h100
    static let twoGPUs = RecordedInventories.twoGPUs

    static func inventory(_ json: String) throws -> HardwareInventory {
        try JSONDecoder().decode(HardwareInventory.self, from: Data(json.utf8))
    }

    /// An inventory with no hardware, as `plan` sees a bare machine.
    static let bare = HardwareInventory(cpu: CPUInfo(model: "test", threads: 2), ffmpegEncoders: ["libx264"])

    /// A 1080p 23.976 fps H.264 source of an hour with audio.
    static let source = SourceInfo(duration: 3600, videoCodec: "h264", frameRate: 23.976, pixelFormat: "yuv420p", hasAudio: true)

    /// A request for `encoder` at 4 Mb/s, 4 s segments, starting at segment `start`.
    static func request(_ encoder: String, start: Int = 0, remux: Bool = false, source: SourceInfo = source) -> EncodeRequest {
        EncodeRequest(
            sourcePath: "/media/film.mkv", outputDirectory: "/transcode/job1", encoder: encoder,
            bitrateBps: 4_000_000, forceRemux: remux, segmentSeconds: 4, startSegment: start, source: source
        )
    }

    /// What every list ends with after the copy or codec options, for a run starting at
    /// `start` seconds with 4 s segments: the timestamp scheme and the HLS tail.
    static func hls(start: Int) -> [String] {
        [
            "-output_ts_offset", "\(start)", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_flags", "temp_file", "-hls_segment_options", "avoid_negative_ts=disabled",
            "-start_number", "\(start / 4)", "-hls_segment_filename", "/transcode/job1/segment%d.ts",
            "-progress", "pipe:1", "-nostats", "/transcode/job1/index.m3u8",
        ]
    }

    /// What every transcode's list ends with after the video options: audio on one sample
    /// rate and packet grid, then `hls(start:)`.
    static func audioAndHLS(start: Int) -> [String] {
        let trim = (1024 - (start * 48000) % 1024) % 1024
        return ["-af", "aresample=48000" + (trim > 0 ? ",atrim=start_sample=\(trim)" : ""),
                "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"] + hls(start: start)
    }
}
