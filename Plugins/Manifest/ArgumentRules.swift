/// What a manifest may write into its argument slots: a whitelist, not a blacklist.
///
/// A slot holds option/value pairs only, so no word can stand where FFmpeg would take it as
/// another output. Literal text keeps to letters, digits and `_ . , : = + @ - { }`: no path,
/// quote, space or shell word (`| ; & $( ...`). No value may name a protocol (`file:`,
/// `concat:`, `http:` ...). Input options are limited to hardware set-up; codec options may
/// not touch inputs, outputs, mapping, filters, logging or files; filters come from a list.
enum ArgumentRules {
    /// Characters allowed in literal fragments.
    static let characters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,:=+@-{}")

    /// Options allowed before the input: device and decoder set-up only.
    static let inputOptions: Set<String> = [
        "-init_hw_device", "-filter_hw_device", "-hwaccel", "-hwaccel_device", "-hwaccel_output_format",
        "-qsv_device", "-vaapi_device", "-extra_hw_frames", "-threads",
    ]

    /// FFmpeg's own options that a codec slot may not set: the worker owns input, output,
    /// streams, timing, audio, filters and logging.
    static let reservedOptions: Set<String> = Set([
        "-i", "-f", "-y", "-n", "-c", "-codec", "-vcodec", "-acodec", "-scodec", "-an", "-vn", "-sn", "-dn",
        "-ss", "-sseof", "-t", "-to", "-fs", "-r", "-ar", "-ac", "-aq", "-shortest", "-re", "-stream_loop",
        "-vf", "-af", "-lavfi", "-frames", "-vframes", "-aframes", "-progress", "-nostats", "-stats", "-stdin", "-nostdin",
        "-v", "-loglevel", "-report", "-hide_banner", "-benchmark", "-timelimit", "-attach", "-start_number",
        "-output_ts_offset", "-itsoffset", "-copyts", "-tag", "-bsf", "-muxdelay", "-muxpreload", "-segment_time",
        "-force_key_frames", "-pass", "-target", "-discard", "-disposition", "-program", "-streamid",
    ]).union(inputOptions)

    /// Words that, inside an option name, mean it touches files, mapping, logs or the muxer.
    static let reservedWords = ["file", "pass", "log", "stats", "dump", "report", "map", "filter", "hls", "metadata", "codec", "url", "attach"]

    /// Words of `key=value` keys (e.g. in `-x265-params`) that read or write files: `csv=`,
    /// `stats=`, `analysis-load=`, `qpfile=`. Matched against the key's `-`/`_` parts, so a
    /// filter such as `hwupload` is not taken for `load`; `file` and `csv` anywhere in a key.
    static let fileWords: Set<String> = ["stats", "analysis", "save", "load", "recon", "dump", "zones", "log", "pass"]
    /// `key=value` keys that contain a file word but touch no file.
    static let harmlessKeys: Set<String> = ["log-level", "log_level"]

    /// Filters a manifest may chain in `video_filter`: format, scaling, upload and
    /// deinterlacing; none reads or writes a file.
    static let filters: Set<String> = [
        "format", "scale", "hwupload", "hwdownload", "hwmap", "hwupload_cuda", "scale_cuda", "scale_vaapi", "scale_qsv",
        "vpp_qsv", "deinterlace_vaapi", "deinterlace_qsv", "yadif", "yadif_cuda", "bwdif", "fps", "setsar", "setdar",
        "pad", "crop", "transpose", "tonemap", "tonemap_vaapi", "tonemap_opencl", "zscale", "null", "setparams",
        "colorspace", "scale_vulkan", "hqdn3d", "unsharp", "vflip", "hflip",
    ]

    /// FFmpeg 5.1's protocols (`ffmpeg -protocols`) and a few of other builds.
    static let protocols: Set<String> = [
        "async", "bluray", "cache", "concat", "concatf", "crypto", "data", "fd", "ffrtmpcrypt", "ffrtmphttp", "file",
        "ftp", "gopher", "gophers", "hls", "http", "httpproxy", "https", "icecast", "ipfs", "ipns", "librist",
        "libsmbclient", "libsrt", "libssh", "libzmq", "md5", "mmsh", "mmst", "pipe", "prompeg", "rist", "rtmp", "rtmpe",
        "rtmps", "rtmpt", "rtmpte", "rtmpts", "rtp", "sctp", "sftp", "smb", "srt", "srtp", "subfile", "tee", "tcp",
        "tls", "udp", "udplite", "unix", "zmq", "amqp", "android_content",
    ]

    /// The fault of an input slot, nil when it is well formed.
    static func checkInput(_ arguments: [String]) -> String? {
        checkPairs(arguments) { option in
            inputOptions.contains(option) ? nil
                : "'\(option)' is not an input option a manifest may set; allowed: \(inputOptions.sorted().joined(separator: ", "))"
        }
    }

    /// The fault of a codec slot, nil when it is well formed.
    static func checkCodec(_ arguments: [String]) -> String? {
        checkPairs(arguments) { option in
            let name = option.dropFirst().split(separator: ":").first.map(String.init) ?? ""
            if reservedOptions.contains(option) || reservedOptions.contains("-" + name) {
                return "'\(option)' is set by the worker, never by a manifest (input, output, streams, timing, audio, filters and logging are fixed)"
            }
            if let word = reservedWords.first(where: { name.lowercased().contains($0) }) {
                return "'\(option)' is refused: an option about '\(word)' may touch files, streams or the muxer"
            }
            if option.contains(":") && !option.hasSuffix(":v") {
                return "'\(option)' names a stream other than video (':v')"
            }
            return nil
        }
    }

    /// The fault of a `-vf` chain, nil when it is well formed.
    static func checkFilter(_ chain: String) -> String? {
        if let fault = checkText(chain) { return fault }
        for part in chain.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            guard filters.contains(name) else {
                return "filter '\(name)' is not one a manifest may use; allowed: \(filters.sorted().joined(separator: ", "))"
            }
        }
        return nil
    }

    /// Option/value pairs: an option (`-name`) then one value. A lone word would be an output.
    private static func checkPairs(_ arguments: [String], option check: (String) -> String?) -> String? {
        guard arguments.count % 2 == 0 else {
            return "'\(arguments.last ?? "")' has no partner: the list must be option/value pairs, and FFmpeg takes a lone word as another output"
        }
        for index in stride(from: 0, to: arguments.count, by: 2) {
            let option = arguments[index], value = arguments[index + 1]
            guard isOptionName(option) else {
                return "'\(option)' stands where an option must (-name): FFmpeg would take it as another output or input"
            }
            if let fault = check(option) ?? checkText(value) { return fault }
            if value.hasPrefix("-") && Double(value) == nil {
                return "'\(option)' is followed by '\(value)', an option, where its value must be"
            }
        }
        return nil
    }

    /// `-name` or `-name:v`, letters, digits, `_` and `-`.
    private static func isOptionName(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1, Double(word) == nil else { return false }
        let body = word.dropFirst()
        guard let first = body.first, first.isLetter else { return false }
        return body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ":") }
    }

    /// A literal fragment: allowed characters, no protocol, no file key.
    static func checkText(_ text: String) -> String? {
        guard !text.isEmpty else { return "an empty argument" }
        if let bad = text.first(where: { !characters.contains($0) }) {
            let why: String
            switch bad {
            case "/", "\\": why = "a manifest names no path (the device comes from {device}, input and output from the worker)"
            case "|", ";", "&", "$", "`", "(", ")", "<", ">": why = "that is a shell word, and FFmpeg is never run through a shell"
            case " ", "\t", "\n", "'", "\"": why = "each argument is one list item, without spaces or quotes"
            default: why = "only letters, digits and _ . , : = + @ - { } are allowed"
            }
            return "'\(text)' holds '\(bad)': \(why)"
        }
        // Any word followed by ':' may start a URL wherever FFmpeg opens something (`va:file:x`).
        for part in text.split(whereSeparator: { "=,@".contains($0) }) {
            for word in part.split(separator: ":", omittingEmptySubsequences: false).dropLast() where protocols.contains(word.lowercased()) {
                return "'\(text)' names the protocol '\(word):': a manifest never opens anything but the device"
            }
        }
        for pair in text.split(whereSeparator: { ":,".contains($0) }) where pair.contains("=") {
            let key = String(pair.split(separator: "=").first ?? "").lowercased()
            let words = key.split(whereSeparator: { "-_".contains($0) }).map(String.init)
            let fileWord = ["file", "csv"].first(where: key.contains) ?? words.first(where: fileWords.contains)
            if !harmlessKeys.contains(key), let word = fileWord {
                return "'\(text)' sets '\(key)', which would make the encoder read or write a file ('\(word)')"
            }
        }
        return nil
    }
}
