/// An FFmpeg command line read the way FFmpeg reads it: options before `-i` belong to that
/// input, options before a file name that is not an input belong to that output, and a few
/// options (`-filter_complex`, `-y`, ...) are global.
public struct FFmpegArguments: Sendable, Equatable {
    /// One option and its value (nil for a switch such as `-copyts`).
    public struct Option: Sendable, Equatable {
        public var name: String
        public var value: String?
    }

    /// An input or output file with its options, in order.
    public struct File: Sendable, Equatable {
        public var path: String
        public var options: [Option]

        /// The last value of any of `names` (later options win, as in FFmpeg).
        public func value(_ names: String...) -> String? {
            options.last { names.contains($0.name) }?.value
        }

        /// Every value of `name`, in order (`-map` may repeat).
        public func values(_ name: String) -> [String] {
            options.filter { $0.name == name }.compactMap(\.value)
        }
    }

    public var global: [Option] = []
    public var inputs: [File] = []
    public var outputs: [File] = []

    /// Options of FFmpeg 5.1 that take no value. Every other option takes one (FFmpeg's
    /// `HAS_ARG`), which holds for all that media servers pass.
    static let switches: Set<String> = [
        "y", "n", "hide_banner", "nostdin", "stdin", "nostats", "stats", "copyts", "start_at_zero", "noaccurate_seek",
        "accurate_seek", "re", "sn", "an", "vn", "dn", "shortest", "ignore_unknown", "copy_unknown", "benchmark",
        "benchmark_all", "debug_ts", "xerror", "dump", "hex", "vstats", "report", "bitexact", "fix_sub_duration",
        "noautorotate", "noautoscale", "autorotate_off", "version", "buildconf", "formats", "muxers", "demuxers", "devices", "codecs", "decoders", "encoders", "bsfs",
        "protocols", "filters", "pix_fmts", "layouts", "sample_fmts", "colors", "hwaccels", "L", "h", "?", "help",
    ]

    /// Options that are global wherever they stand.
    static let globals: Set<String> = [
        "y", "n", "hide_banner", "nostdin", "stdin", "nostats", "stats", "loglevel", "v", "filter_complex",
        "filter_complex_script", "lavfi", "progress", "threads_global", "stats_period", "max_error_rate", "report",
        "filter_threads", "init_hw_device", "filter_hw_device", "benchmark", "benchmark_all", "debug_ts", "xerror",
    ]

    /// Reads `argv` (without the program name).
    public init(_ argv: [String]) {
        var pending: [Option] = []
        var index = 0
        while index < argv.count {
            let token = argv[index]
            index += 1
            guard token.count > 1, token.hasPrefix("-") else {
                outputs.append(File(path: token, options: pending))
                pending = []
                continue
            }
            let name = String(token.dropFirst())
            var value: String?
            // `-h filter=x`: help takes an optional topic.
            if !Self.switches.contains(name) || (["h", "help", "?"].contains(name) && index < argv.count && !argv[index].hasPrefix("-")) {
                if index < argv.count {
                    value = argv[index]
                    index += 1
                }
            }
            if name == "i", let value {
                inputs.append(File(path: value, options: pending))
                pending = []
            } else if Self.globals.contains(name) {
                global.append(Option(name: name, value: value))
            } else {
                pending.append(Option(name: name, value: value))
            }
        }
        // Trailing options with no file after them (queries such as `-encoders`).
        global += pending
    }

    /// Whether a global option (or a trailing query) is present.
    public func has(_ name: String) -> Bool { global.contains { $0.name == name } }

    /// The value of a global option.
    public func globalValue(_ name: String) -> String? { global.last { $0.name == name }?.value }
}
