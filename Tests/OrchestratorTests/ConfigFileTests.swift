import Foundation
import ServiceSupport
import Testing
import TestSupport

/// `--config PATH`: every flag from a TOML file; a flag beats the environment, which beats
/// the file; a wrong key or type is refused with a sentence naming file, key and type.
@Suite struct ConfigFileTests {
    static let flags: [FlagSpec] = [
        .init("port", .integer), .init("token", .string), .init("heartbeat-timeout", .number),
        .init("insecure-no-auth", .boolean), .init("media-root", .strings),
    ]

    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).toml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let path = try Self.file("""
        port = 9000
        token = "from-file"
        heartbeat_timeout = 4.5
        insecure-no-auth = true
        media-root = ["/a", "/b"]
        """)
        let resolved = try EnvironmentFlags.resolve(
            ["--config", path, "--port", "1"], flags: Self.flags, environment: ["TRANSCODE_TOKEN": "from-env"]
        )
        #expect(resolved == [
            "--config", path, "--port", "1", "--token", "from-env",
            "--heartbeat-timeout", "4.5", "--insecure-no-auth", "--media-root", "/a", "--media-root", "/b",
        ])
        let fromEnvironment = try EnvironmentFlags.resolve([], flags: Self.flags, environment: ["TRANSCODE_CONFIG": path])
        #expect(fromEnvironment.contains("from-file") && fromEnvironment.contains("9000"))
    }

    @Test func anUnknownKeyIsRefusedNamingFileAndKey() throws {
        let path = try Self.file("prot = 9000\n")
        #expect {
            try EnvironmentFlags.resolve(["--config", path], flags: Self.flags, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("unknown key 'prot'") && text.contains("port")
        }
    }

    @Test func aWrongTypeIsRefusedNamingFileKeyAndType() throws {
        for (line, key, expected) in [
            ("port = \"8700\"", "port", "a whole number"), ("token = 5", "token", "a string in quotes"),
            ("insecure-no-auth = \"yes\"", "insecure-no-auth", "true or false"), ("media-root = \"/a\"", "media-root", "a list of strings"),
            ("heartbeat-timeout = \"45\"", "heartbeat-timeout", "a number"),
        ] {
            let path = try Self.file(line + "\n")
            #expect {
                try EnvironmentFlags.resolve(["--config", path], flags: Self.flags, environment: [:])
            } throws: { error in
                let text = "\(error)"
                return text.contains(path) && text.contains("key '\(key)' must be \(expected)")
            }
        }
    }

    @Test func aRealOrchestratorStartsFromItsFileAndRefusesABadOne() async throws {
        let good = try Self.file("""
        host = "127.0.0.1"
        port = 0
        token = "file-token"
        heartbeat-timeout = 7
        """)
        let service = try ServiceProcess("transcode-orchestrator", ["--config", good])
        #expect(try await API(service.baseURL, token: "file-token").call("GET", "/v1/workers").status == 200)
        #expect(try await API(service.baseURL, token: "other").call("GET", "/v1/workers").status == 401)

        let bad = try Self.file("port = \"eighty\"\n")
        let result = try await runProgramAsync(
            ServiceProcess.binDirectory.appendingPathComponent("transcode-orchestrator").path, ["--config", bad]
        )
        #expect(result.status == 78)
        #expect(result.stderr.contains("Config file \(bad): key 'port' must be a whole number, not string"), "\(result.stderr)")
    }
}
