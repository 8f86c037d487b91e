import ArgumentParser
import ServiceSupport

/// `transcode-worker`: runs FFmpeg jobs for an orchestrator, or standalone.
@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode-worker",
        abstract: "Runs FFmpeg HLS transcodes through encoder backends; registers with an orchestrator when given one.",
        subcommands: [ServeCommand.self, PlanCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    /// Flags may come from `TRANSCODE_<FLAG>` environment variables; a flag on the command line wins.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first != "plan" && arguments.first != "help" {
            arguments = EnvironmentFlags.merge(
                arguments,
                options: ["id", "orchestrator", "host", "port", "advertise-url", "transcode-root", "heartbeat-interval",
                          "segment-seconds", "max-jobs", "token", "ffmpeg", "ffprobe", "hwdetect", "log-level", "hang-timeout", "stop-grace", "inventory", "backends-dir",
                          "min-free-space", "idle-timeout", "max-connections"],
                repeatable: ["media-root"],
                booleans: ["insecure-no-auth", "verify-encoders"]
            )
        }
        await main(arguments)
    }
}
