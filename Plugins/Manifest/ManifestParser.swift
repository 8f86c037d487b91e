import TOMLKit
import TranscodeBackend

/// Turns the text of one manifest into a `BackendManifest`, or refuses it with a sentence
/// naming the file, the key and the fault. As strict as a compiler: unknown keys, wrong
/// types, missing fields, unknown placeholders and unsafe fragments are all refused.
public enum ManifestParser {
    /// Software encoders known by name; every other encoder must be `<codec>_<api>`.
    public static let softwareEncoders: Set<String> = ["libx264", "libx265"]
    /// Codecs MPEG-TS HLS carries, hence the `<codec>` of `<codec>_<api>`.
    public static let codecs: Set<String> = ["h264", "hevc"]

    static let topKeys = ["id", "description", "encoders", "hardware_api", "rank", "session_capacity", "session_pool", "features", "requires", "device", "arguments"]
    static let requireKeys = ["ffmpeg_encoders", "ffmpeg_filters", "ffmpeg_hwaccels", "libraries", "one_of_libraries", "verify"]
    static let deviceKeys = ["paths", "drm_drivers"]
    static let argumentKeys = ["input", "video_filter", "codec", "keyframes"]

    /// Parses and validates `text`, read from `file`.
    public static func parse(_ text: String, file: String) throws(ManifestRefusal) -> BackendManifest {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw ManifestRefusal(file: file, key: nil, fault: "malformed TOML at line \(at.line), column \(at.column): \(error.description)")
        } catch {
            throw ManifestRefusal(file: file, key: nil, fault: "malformed TOML: \(error)")
        }
        let top = TOMLFields(table: table, prefix: "", file: file)
        try top.rejectUnknownKeys(topKeys)

        let id = try top.string("id", required: true) ?? ""
        try checkName(id, key: "id", in: top)
        let encoders = try top.strings("encoders", required: true) ?? []
        guard !encoders.isEmpty else { throw top.refusal("encoders", "must name at least one FFmpeg encoder") }
        for (index, encoder) in encoders.enumerated() {
            if let fault = encoderFault(encoder) { throw top.refusal("encoders[\(index)]", fault) }
        }
        let hardwareAPI = try top.string("hardware_api")
        if let hardwareAPI { try checkName(hardwareAPI, key: "hardware_api", in: top) }
        let sessionPool = try top.string("session_pool")
        if let sessionPool { try checkName(sessionPool, key: "session_pool", in: top) }

        var manifest = BackendManifest(
            file: file, id: id, summary: try top.string("description"), encoders: encoders, hardwareAPI: hardwareAPI,
            rank: try top.int("rank", required: true, in: -1000...1000) ?? 0,
            sessionCapacity: try top.int("session_capacity", in: 1...1024), sessionPool: sessionPool,
            requirements: try requirements(top, encoders: encoders),
            device: try device(top),
            arguments: try arguments(top)
        )
        manifest.features = try features(top, arguments: manifest.arguments)
        try checkPlaceholders(manifest)
        return manifest
    }

    /// Why an encoder name is refused, nil when it is `<codec>_<api>` or a known software encoder.
    public static func encoderFault(_ name: String) -> String? {
        if softwareEncoders.contains(name) { return nil }
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, codecs.contains(String(parts[0])), !parts[1].isEmpty,
              parts[1].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) })
        else {
            return "'\(name)' is neither <codec>_<api> with codec \(codecs.sorted().joined(separator: " or ")) (e.g. h264_qsv) nor a known software encoder (\(softwareEncoders.sorted().joined(separator: ", ")))"
        }
        return nil
    }

    /// Ids, tags and pools: lower case letters, digits, `-` and `_`, 1 to 32 characters.
    static func checkName(_ name: String, key: String, in fields: TOMLFields) throws(ManifestRefusal) {
        let ok = (1...32).contains(name.count) && name.first?.isLetter == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
        guard ok else { throw fields.refusal(key, "'\(name)' must be 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter") }
    }

    static func requirements(_ top: TOMLFields, encoders: [String]) throws(ManifestRefusal) -> BackendManifest.Requirements {
        guard let requires = try top.subtable("requires") else { return .init(ffmpegEncoders: encoders) }
        try requires.rejectUnknownKeys(requireKeys)
        var result = BackendManifest.Requirements(ffmpegEncoders: try requires.strings("ffmpeg_encoders") ?? encoders)
        result.ffmpegFilters = try requires.strings("ffmpeg_filters") ?? []
        result.ffmpegHWAccels = try requires.strings("ffmpeg_hwaccels") ?? []
        result.libraries = try requires.strings("libraries") ?? []
        result.oneOfLibraries = try requires.strings("one_of_libraries") ?? []
        result.verify = try requires.bool("verify") ?? false
        for key in ["ffmpeg_encoders", "ffmpeg_filters", "ffmpeg_hwaccels"] {
            for name in try requires.strings(key) ?? [] where !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                throw requires.refusal(key, "'\(name)' is not an FFmpeg component name")
            }
        }
        // A library is a bare soname found by the dynamic loader, never a path of the manifest's choosing.
        for name in result.libraries + result.oneOfLibraries where !(name.hasPrefix("lib") && name.contains(".so") && !name.contains("/")) {
            throw requires.refusal(result.libraries.contains(name) ? "libraries" : "one_of_libraries", "'\(name)' must be a library file name such as libmfx.so.1, without a path")
        }
        return result
    }

    static func device(_ top: TOMLFields) throws(ManifestRefusal) -> BackendManifest.DeviceRule? {
        guard let device = try top.subtable("device") else { return nil }
        try device.rejectUnknownKeys(deviceKeys)
        let paths = try device.strings("paths", required: true) ?? []
        guard !paths.isEmpty else { throw device.refusal("paths", "must list at least one device path or glob") }
        for path in paths {
            let allowed = path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-.*?[]".contains($0)) }
            guard path.hasPrefix("/dev/"), allowed, !path.contains("..") else {
                throw device.refusal("paths", "'\(path)' must be a device node or glob under /dev/ (e.g. /dev/dri/renderD*)")
            }
        }
        return .init(paths: paths, drmDrivers: try device.strings("drm_drivers") ?? [])
    }

    static func arguments(_ top: TOMLFields) throws(ManifestRefusal) -> BackendManifest.ArgumentSlots {
        guard let arguments = try top.subtable("arguments", required: true) else { return .init() }
        try arguments.rejectUnknownKeys(argumentKeys)
        var slots = BackendManifest.ArgumentSlots()
        slots.input = try arguments.strings("input") ?? []
        if let fault = ArgumentRules.checkInput(slots.input) { throw arguments.refusal("input", fault) }
        slots.videoFilter = try arguments.string("video_filter")
        if let chain = slots.videoFilter, let fault = ArgumentRules.checkFilter(chain) { throw arguments.refusal("video_filter", fault) }
        slots.codec = try arguments.strings("codec") ?? []
        if let fault = ArgumentRules.checkCodec(slots.codec) { throw arguments.refusal("codec", fault) }
        let mode = try arguments.string("keyframes", required: true) ?? ""
        guard let keyframes = BackendManifest.KeyframeMode(rawValue: mode) else {
            throw arguments.refusal("keyframes", "'\(mode)' is not a keyframe mode; use \"forced\" (-force_key_frames) or \"gop\" (-g and -keyint_min)")
        }
        slots.keyframes = keyframes
        return slots
    }

    /// `features = ["tone_map", "burn_in"]`: the CPU's `PictureFilters` run before the
    /// manifest's `video_filter`, so its frames must still be in system memory there.
    static func features(_ top: TOMLFields, arguments: BackendManifest.ArgumentSlots) throws(ManifestRefusal) -> PictureFeatures {
        let names = try top.strings("features") ?? []
        var features: PictureFeatures = []
        for (index, name) in names.enumerated() {
            guard let feature = BackendManifest.featureNames[name] else {
                throw top.refusal("features[\(index)]", "'\(name)' is not a feature; known: \(BackendManifest.featureNames.keys.sorted().joined(separator: ", "))")
            }
            features.formUnion(feature)
        }
        if !features.isEmpty, arguments.input.contains("-hwaccel_output_format") {
            throw top.refusal("features", "the CPU filters need decoded frames in system memory, but arguments.input keeps them on the device (-hwaccel_output_format)")
        }
        return features
    }

    /// Every `{name}` must be known, and `{device}` needs a `[device]` rule.
    static func checkPlaceholders(_ manifest: BackendManifest) throws(ManifestRefusal) {
        let slots: [(String, [String])] = [
            ("input", manifest.arguments.input), ("video_filter", manifest.arguments.videoFilter.map { [$0] } ?? []),
            ("codec", manifest.arguments.codec),
        ]
        for (key, fragments) in slots {
            for name in fragments.flatMap(Placeholders.names(in:)) {
                guard Placeholders.known[name] != nil else {
                    throw ManifestRefusal(file: manifest.file, key: "arguments.\(key)", fault:
                        "unknown placeholder {\(name)}; known: \(Placeholders.known.keys.sorted().map { "{\($0)}" }.joined(separator: ", "))")
                }
                if name == "device" && manifest.device == nil {
                    throw ManifestRefusal(file: manifest.file, key: "arguments.\(key)", fault: "uses {device} but the manifest has no [device] table to find it")
                }
            }
        }
    }
}
