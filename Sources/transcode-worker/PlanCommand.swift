import MediaProbe
import ArgumentParser
import BackendRegistry
import Foundation
import Logging
import TranscodeBackend
import TranscodeWire
import WorkerCore

/// `transcode-worker plan`: prints the FFmpeg argument list the worker would run.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the FFmpeg argument list for a job as a JSON array, for any backend, whatever hardware is here."
    )

    @Option(help: "FFmpeg encoder name, or auto.") var encoder = "auto"
    @Option(help: "Backend id, when several offer the encoder (see hwdetect for which backends offer which encoders).") var backend: String?
    @Option(help: "Source movie.") var source: String
    @Option(help: "Output folder.") var output: String
    @Option(help: "Seek position, HH:MM:SS or HH:MM:SS.fff.") var seek = "00:00:00"
    @Option(help: "Video bitrate in bits per second.") var bitrate = 5_000_000
    @Flag(help: "Stream copy instead of encoding.") var remux = false
    @Option(help: "HLS segment length in seconds.") var segmentSeconds = 4
    @Option(help: "ffmpeg executable.") var ffmpeg = "ffmpeg"
    @Option(help: "ffprobe executable.") var ffprobe = "ffprobe"
    @Option(help: "hwdetect executable (default: next to this program).") var hwdetect: String?
    @Option(help: "Folder of backend manifests (*.toml).") var backendsDir = "/etc/transcode/backends.d"

    func run() async throws {
        guard let seconds = SeekTime.parse(seek) else { throw ValidationError("--seek must be HH:MM:SS or HH:MM:SS.fff.") }
        let logger = Log.make(label: "plan", level: "error")
        let ffmpegPath = WorkerSettings.which(ffmpeg) ?? ffmpeg
        let info: SourceInfo
        do {
            info = try await SourceProbe(ffprobe: WorkerSettings.which(ffprobe) ?? ffprobe).probe(source)
        } catch {
            throw ValidationError("Cannot read the source '\(source)': \(error)")
        }
        let inventory = await InventoryLoader.load(hwdetect: hwdetect ?? Tools.sibling("hwdetect"), ffmpeg: ffmpegPath, logger: logger)
        let selector = BackendSelector(inventory: inventory, backends: BackendCatalog(backendsDir: backendsDir).backends)
        let choice = try selector.choose(
            encoder: encoder, source: info, backendID: backend, candidates: selector.all.map(\.backend)
        )
        let request = EncodeRequest(
            sourcePath: source, outputDirectory: output, encoder: choice.encoder, bitrateBps: bitrate,
            forceRemux: remux, segmentSeconds: segmentSeconds, seekSeconds: seconds, source: info
        )
        let arguments = [ffmpegPath] + choice.backend.arguments(for: request, inventory: inventory)
        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.withoutEscapingSlashes]
        print(String(decoding: try encoderJSON.encode(arguments), as: UTF8.self))
    }
}
