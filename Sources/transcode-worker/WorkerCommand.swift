import ArgumentParser
import Foundation
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

    /// Flags may come from `TRANSCODE_<FLAG>` environment variables and a `--config` file; a
    /// flag on the command line wins over the environment, which wins over the file.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first != "plan" && arguments.first != "help" {
            do {
                arguments = try EnvironmentFlags.resolve(arguments, flags: ServeCommand.flags)
            } catch {
                FileHandle.standardError.write(Data("transcode-worker: \(error)\n".utf8))
                Foundation.exit(78)  // EX_CONFIG
            }
        }
        await main(arguments)
    }
}
