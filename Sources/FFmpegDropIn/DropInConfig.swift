import Foundation
import TOMLKit

/// Where the pool is and how to reach it: `/etc/transcode/ffmpeg.toml` (or the file in
/// `TRANSCODE_FFMPEG_CONFIG`), overridden by `TRANSCODE_*` variables, since a media server
/// passes its FFmpeg no flags of ours.
public struct DropInConfig: Sendable, Equatable {
    /// Orchestrator base URL (`orchestrator`, `TRANSCODE_ORCHESTRATOR`).
    public var orchestrator: String?
    /// The pool's bearer token (`token`, `TRANSCODE_TOKEN`).
    public var token: String?
    /// The real FFmpeg for queries and pass-through (`ffmpeg`, `TRANSCODE_FFMPEG`).
    public var ffmpeg = "/usr/bin/ffmpeg"
    /// Media server path prefix -> orchestrator path prefix (`path-map = ["/data/movies=/mnt/movies"]`,
    /// `TRANSCODE_PATH_MAP` with `;` between pairs).
    public var pathMaps: [(from: String, to: String)] = []
    /// When the pool cannot be reached or refuses: `local` runs the local FFmpeg instead,
    /// `none` (the default) fails the way FFmpeg does.
    public var fallback = "none"
    /// How a command's `-c:v` becomes the job's encoder (`encoder`, `TRANSCODE_ENCODER`):
    /// `codec` (the default: the pool picks the encoder for the asked codec, hardware where it
    /// has it) or `as-asked`.
    public var encoder = EncoderChoice.codec

    /// The default config file.
    public static let defaultPath = "/etc/transcode/ffmpeg.toml"
    static let keys = ["orchestrator", "token", "ffmpeg", "path-map", "fallback", "encoder"]

    public static func == (a: DropInConfig, b: DropInConfig) -> Bool {
        a.orchestrator == b.orchestrator && a.token == b.token && a.ffmpeg == b.ffmpeg && a.fallback == b.fallback && a.encoder == b.encoder
            && a.pathMaps.map(\.from) == b.pathMaps.map(\.from) && a.pathMaps.map(\.to) == b.pathMaps.map(\.to)
    }

    /// Creates a config with defaults.
    public init() {}

    /// Reads the file (if it exists) and then the environment.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DropInConfig {
        var config = DropInConfig()
        let path = environment["TRANSCODE_FFMPEG_CONFIG"] ?? defaultPath
        if let data = FileManager.default.contents(atPath: path) {
            try config.read(String(decoding: data, as: UTF8.self), file: path)
        } else if environment["TRANSCODE_FFMPEG_CONFIG"] != nil {
            throw ConfigError(description: "Config file \(path) cannot be read.")
        }
        if let value = environment["TRANSCODE_ORCHESTRATOR"] { config.orchestrator = value }
        if let value = environment["TRANSCODE_TOKEN"] { config.token = value }
        if let value = environment["TRANSCODE_FFMPEG"] { config.ffmpeg = value }
        if let value = environment["TRANSCODE_FALLBACK"] { config.fallback = value }
        if let value = environment["TRANSCODE_ENCODER"] { try config.setEncoder(value, from: "TRANSCODE_ENCODER") }
        if let value = environment["TRANSCODE_PATH_MAP"] {
            config.pathMaps = try value.split(separator: ";").map { try pair(String($0), file: "TRANSCODE_PATH_MAP") }
        }
        guard ["none", "local"].contains(config.fallback) else {
            throw ConfigError(description: "fallback must be \"none\" or \"local\"; got \"\(config.fallback)\".")
        }
        if let url = config.orchestrator, url.hasSuffix("/") { config.orchestrator = String(url.dropLast()) }
        return config
    }

    /// Why the configuration was refused.
    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    mutating func read(_ text: String, file: String) throws {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw ConfigError(description: "Config file \(file) is not valid TOML: \(error).")
        }
        for key in table.keys {
            let name = key.replacingOccurrences(of: "_", with: "-")
            guard Self.keys.contains(name), let value = table[key] else {
                throw ConfigError(description: "Config file \(file): unknown key '\(key)'; the keys are \(Self.keys.joined(separator: ", ")).")
            }
            if name == "path-map" {
                guard let list = value.array?.map({ $0.string }), list.allSatisfy({ $0 != nil }) else {
                    throw ConfigError(description: "Config file \(file): key 'path-map' must be a list of \"FROM=TO\" strings.")
                }
                pathMaps = try list.compactMap { $0 }.map { try Self.pair($0, file: file) }
                continue
            }
            guard let string = value.string else {
                throw ConfigError(description: "Config file \(file): key '\(key)' must be a string in quotes.")
            }
            switch name {
            case "orchestrator": orchestrator = string
            case "token": token = string
            case "ffmpeg": ffmpeg = string
            case "encoder": try setEncoder(string, from: file)
            default: fallback = string
            }
        }
    }

    mutating func setEncoder(_ value: String, from place: String) throws {
        guard let choice = EncoderChoice(rawValue: value) else {
            throw ConfigError(description: "\(place): encoder must be \"codec\" or \"as-asked\"; got \"\(value)\".")
        }
        encoder = choice
    }

    static func pair(_ text: String, file: String) throws -> (from: String, to: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("/"), parts[1].hasPrefix("/") else {
            throw ConfigError(description: "\(file): a path map is FROM=TO with two absolute paths; got '\(text)'.")
        }
        return (parts[0], parts[1])
    }

    /// The orchestrator's name for a media server path: the longest matching FROM, by whole
    /// path components, replaced by its TO; unmapped paths stay as they are.
    public func mapped(_ path: String) -> String {
        let match = pathMaps
            .filter { path == $0.from || path.hasPrefix($0.from.hasSuffix("/") ? $0.from : $0.from + "/") }
            .max { $0.from.count < $1.from.count }
        guard let match else { return path }
        return match.to + path.dropFirst(match.from.count)
    }
}
