import FFmpegDropIn
import Foundation
import MediaProbe
import Synchronization

// transcode-ffmpeg: called by a media server exactly as it calls FFmpeg. HLS playback
// transcodes run on the pool; start-up queries get the pool's encoders; everything else is
// the local FFmpeg with the same argv (docs/drop-in.md has the table).

let argv = Array(CommandLine.arguments.dropFirst())
let arguments = FFmpegArguments(argv)

func fail(_ text: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data((text + "\n").utf8))
    exit(status)
}

let config: DropInConfig
do { config = try DropInConfig.load() } catch { fail("transcode-ffmpeg: \(error)") }

/// Replaces this process with the local FFmpeg, same argv: its output is FFmpeg's own.
func runLocally() -> Never {
    let cArgs = ([config.ffmpeg] + argv).map { strdup($0) } + [nil]
    execv(config.ffmpeg, cArgs)
    fail("transcode-ffmpeg: cannot run the local FFmpeg '\(config.ffmpeg)': \(String(cString: strerror(errno)))")
}

/// The local FFmpeg's stdout for the same argv (its stderr passes through), and its status.
func localOutput() async -> (text: String, status: Int32) {
    let lines = LineCollector()
    guard let child = try? ChildProcess.spawn(
        executable: config.ffmpeg, arguments: argv,
        onStdoutLine: { lines.append($0) },
        onStderrLine: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) else { runLocally() }
    let status = await child.waitForExit()
    return (lines.lines.joined(separator: "\n"), status)
}

guard let orchestrator = config.orchestrator, !orchestrator.isEmpty else { runLocally() }

if Queries.isQuery(arguments) {
    guard arguments.has("encoders") || arguments.has("hwaccels") else { runLocally() }
    let local = await localOutput()
    var text = local.text
    if let offers = await PoolQuestions(config: config).offers() {
        text = arguments.has("encoders")
            ? Queries.encoders(localText: text, pool: offers.encoders)
            : Queries.hwaccels(localText: text, families: offers.families)
    }
    print(text)
    exit(local.status)
}

guard let plan = try? HLSTranscode(arguments) else { runLocally() }

let stop = StopFlag()
let run = PoolRun(plan: plan, config: config, stop: stop) { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
let current = Mutex<String?>(nil)

/// `q` or a signal: stop the job on the pool and exit as FFmpeg would (0 for `q`, 255 for a signal).
@Sendable func stopNow(_ request: StopRequest) async {
    stop.request(request)
    if let id = current.withLock({ $0 }) { await run.abandon(id) }
    exit(request == .quit ? 0 : 255)
}

var sources: [any DispatchSourceSignal] = []
for number in [SIGTERM, SIGINT] {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number)
    source.setEventHandler { Task { await stopNow(.signal) } }
    source.resume()
    sources.append(source)
}
// FFmpeg's keys on stdin: `q` stops. Every other byte is read and dropped, Jellyfin's throttling
// keys among them (`c` to pause and a newline to resume, or `p`/`u`): the pool job is not paused
// (docs/drop-in.md, "The run").
Thread.detachNewThread {
    var byte: UInt8 = 0
    while read(0, &byte, 1) == 1 {
        if byte == UInt8(ascii: "q") {
            Task { await stopNow(.quit) }
            return
        }
    }
}

do {
    let started = try await run.start()
    current.withLock { $0 = started.jobID }
    exit(await run.mirror(started))
} catch {
    if config.fallback == "local" {
        FileHandle.standardError.write(Data("transcode-ffmpeg: the pool did not take the job (\(error)); running the local FFmpeg\n".utf8))
        runLocally()
    }
    fail("\(plan.source): \(error)\nConversion failed!")
}
