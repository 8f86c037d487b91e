import Foundation
import TranscodeWire

/// A media server's HLS playback command line, as far as the pool can run it: what to read,
/// where to start, which tracks, how to encode, and where the server expects the files.
public struct HLSTranscode: Sendable, Equatable {
    /// A stream named on the command line: `0:3` (the file's fourth stream) or `0:a:1` (its
    /// second audio stream).
    public enum StreamRef: Sendable, Equatable {
        case absolute(Int)
        case typed(Int)
    }

    /// Subtitles the command draws into the picture.
    public enum BurnIn: Sendable, Equatable {
        /// libass `subtitles=` over the input itself, `si=N` (N-th subtitle stream).
        case text(subtitleIndex: Int)
        /// A subtitle stream overlaid in a filter graph (`[0:3]...overlay`).
        case bitmap(StreamRef)
    }

    /// The input file (without `file:`), as the media server names it.
    public var source: String
    /// `-ss` in seconds.
    public var seek: Double?
    /// `-c:v`: an FFmpeg encoder, or `copy`.
    public var encoder: String
    /// `-b:v`, else `-maxrate`, in bits per second.
    public var bitrate: Int?
    /// The streams the command maps that may be its audio (`0:a:N`, or absolute `0:N`; which
    /// absolute one is audio only the source's listing tells).
    public var audio: [StreamRef]
    /// `-ac`.
    public var channels: Int?
    public var burnIn: BurnIn?
    /// Whether the filters tone-map (any `tonemap*` filter).
    public var toneMap: Bool
    /// `-hls_time`, rounded to whole seconds.
    public var segmentSeconds: Int
    /// `-start_number`.
    public var startNumber: Int
    /// `-hls_segment_filename`: a path with `%d` (or `%0Nd`) for the number.
    public var segmentPattern: String
    /// The playlist path (the output file).
    public var playlist: String
    /// `-hls_segment_type`: `mpegts` is `.ts`, `fmp4` is `.fmp4` (an init segment, then fragments).
    public var container: SegmentContainer = .ts
    /// `-hls_fmp4_init_filename` (FFmpeg's default `init.mp4`), as the playlist's `EXT-X-MAP` names it.
    public var initName = SegmentContainer.initName

    /// The segment file for number `n`, by the pattern's own `%d`/`%0Nd`.
    public func segmentPath(_ n: Int) -> String {
        SegmentPattern.path(segmentPattern, number: n)
    }

    /// Where FFmpeg writes the fMP4 init segment: a plain name goes beside the playlist, as
    /// FFmpeg's HLS muxer puts it.
    public var initPath: String {
        initName.hasPrefix("/") ? initName : (playlist as NSString).deletingLastPathComponent + "/" + initFileName
    }

    /// The init segment's file name, as the playlist's `EXT-X-MAP` names it (a Windows server's
    /// full path keeps only its last component).
    public var initFileName: String {
        String(initName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(SegmentContainer.initName))
    }
}

/// Why a command line is not run on the pool (it goes to the local FFmpeg as it is).
public struct NotMappable: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension HLSTranscode {
    /// The HLS transcode a command line asks for, or why it is not one the pool runs.
    public init(_ args: FFmpegArguments) throws {
        guard args.inputs.count == 1, let input = args.inputs.first else {
            throw NotMappable(description: "it has \(args.inputs.count) inputs, not one")
        }
        guard args.outputs.count == 1, let output = args.outputs.first, output.value("f") == "hls" else {
            throw NotMappable(description: "its output is not one HLS playlist")
        }
        var path = input.path
        if path.hasPrefix("file:") { path.removeFirst(5) }
        guard path.hasPrefix("/") else { throw NotMappable(description: "its input '\(input.path)' is not a local file") }
        let container: SegmentContainer
        switch output.value("hls_segment_type") ?? "mpegts" {
        case "mpegts": container = .ts
        case "fmp4": container = .fmp4
        case let other: throw NotMappable(description: "it asks for \(other) segments; the pool writes MPEG-TS or fMP4")
        }
        guard let encoder = output.value("codec:v:0", "codec:v", "c:v:0", "c:v", "vcodec") else {
            throw NotMappable(description: "it names no video encoder")
        }
        guard let pattern = output.value("hls_segment_filename"), pattern.contains("%") else {
            throw NotMappable(description: "it names no -hls_segment_filename pattern")
        }
        let filters = ([args.globalValue("filter_complex")] + [output.value("vf", "filter:v", "filter:v:0")]).compactMap { $0 }
        if filters.contains(where: { Self.externalSubtitleFile(in: $0, input: path) }) {
            throw NotMappable(description: "it burns in a subtitle file other than its input")
        }
        self.init(
            source: path,
            seek: (input.value("ss") ?? output.value("ss")).flatMap(Self.seconds),
            encoder: encoder,
            bitrate: (output.value("b:v", "b:v:0") ?? output.value("maxrate", "maxrate:v", "maxrate:v:0")).flatMap(Self.bitrate),
            audio: Self.audioMap(output.values("map")),
            channels: output.value("ac", "ac:a", "ac:a:0").flatMap { Int($0) },
            burnIn: filters.lazy.compactMap(Self.burnIn).first,
            toneMap: filters.contains { $0.contains("tonemap") },
            segmentSeconds: max(1, Int((output.value("hls_time").flatMap(Double.init) ?? 2).rounded())),
            startNumber: output.value("start_number").flatMap { Int($0) } ?? 0,
            segmentPattern: pattern.hasPrefix("file:") ? String(pattern.dropFirst(5)) : pattern,
            playlist: output.path.hasPrefix("file:") ? String(output.path.dropFirst(5)) : output.path
        )
        self.container = container
        if let name = output.value("hls_fmp4_init_filename"), !name.isEmpty {
            initName = name.hasPrefix("file:") ? String(name.dropFirst(5)) : name
        }
    }

    /// `00:10:00.000`, `600`, `600.5` -> seconds.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":").map { Double($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }.reduce(0) { $0 * 60 + $1 }
    }

    /// `8000000`, `8000k`, `8M` -> bits per second.
    static func bitrate(_ text: String) -> Int? {
        let scale: Double = text.hasSuffix("k") || text.hasSuffix("K") ? 1e3 : text.hasSuffix("M") ? 1e6 : 1
        let digits = scale == 1 ? Substring(text) : text.dropLast()
        return Double(digits).map { Int($0 * scale) }
    }

    /// The `-map`s that may be the audio: `0:a:N` (or `0:a`), else every absolute `0:N`.
    /// Negative maps (`-map -0:s`) exclude and are skipped, labels (`[v]`) are graph outputs.
    static func audioMap(_ maps: [String]) -> [StreamRef] {
        let positive = maps.filter { !$0.hasPrefix("-") && !$0.hasPrefix("[") }
        for map in positive {
            let parts = map.split(separator: ":")
            if parts.count == 3, parts[1] == "a", let n = Int(parts[2].filter(\.isNumber)) { return [.typed(n)] }
            if parts.count == 2, parts[1] == "a" { return [.typed(0)] }
        }
        return positive.compactMap { map -> StreamRef? in
            let parts = map.split(separator: ":")
            return parts.count == 2 ? Int(parts[1].filter(\.isNumber)).map(StreamRef.absolute) : nil
        }
    }

    /// A burn-in in a filter chain or graph: libass `subtitles=` with `si=N` (or
    /// `stream_index=N`), or an overlay of a stream label `[0:N]`/`[0:s:N]`.
    static func burnIn(in filter: String) -> BurnIn? {
        if let range = filter.range(of: "subtitles=") {
            let rest = filter[range.upperBound...].prefix { $0 != "," && $0 != ";" && $0 != "[" }
            for key in ["si=", "stream_index="] {
                if let at = rest.range(of: key) {
                    return .text(subtitleIndex: Int(rest[at.upperBound...].prefix(while: \.isNumber)) ?? 0)
                }
            }
            return .text(subtitleIndex: 0)
        }
        guard filter.contains("overlay") else { return nil }
        for label in labels(in: filter) {
            let parts = label.split(separator: ":")
            if parts.count == 3, parts[0] == "0", parts[1] == "s", let n = Int(parts[2]) { return .bitmap(.typed(n)) }
            // `[0:0]` is the video in a media server's graphs; another absolute stream overlaid is the subtitle.
            if parts.count == 2, parts[0] == "0", let n = Int(parts[1]), n > 0 { return .bitmap(.absolute(n)) }
        }
        return nil
    }

    /// `[0:3]` -> `0:3`, every label of a graph.
    static func labels(in graph: String) -> [String] {
        var labels: [String] = []
        var rest = Substring(graph)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            labels.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return labels
    }

    /// Whether a `subtitles=` filter reads a file other than the input (a sidecar `.srt`),
    /// which the pool's workers may not have.
    static func externalSubtitleFile(in filter: String, input: String) -> Bool {
        guard let range = filter.range(of: "subtitles=") else { return false }
        var rest = filter[range.upperBound...]
        if rest.hasPrefix("f=") || rest.hasPrefix("filename=") { rest = rest.drop { $0 != "=" }.dropFirst() }
        let quoted = rest.hasPrefix("'")
        let file = quoted ? rest.dropFirst().prefix { $0 != "'" } : rest.prefix { $0 != ":" && $0 != "," }
        var named = String(file).replacingOccurrences(of: "\\", with: "")
        // `'/x.mkv:si=0'`: the quotes are the graph's; the filter then splits its own options
        // on ':' (FFmpeg's two levels of escaping), so the file is what comes before `:key=`.
        if quoted, let option = named.range(of: #":[a-z_]+="#, options: .regularExpression) { named = String(named[..<option.lowerBound]) }
        let plain = named.hasPrefix("file:") ? String(named.dropFirst(5)) : named
        return !plain.isEmpty && plain != input
    }
}

/// Segment file names from an FFmpeg pattern (`/t/abc%d.ts`, `/t/seg%05d.ts`).
enum SegmentPattern {
    static func path(_ pattern: String, number n: Int) -> String {
        guard let percent = pattern.range(of: "%") else { return pattern }
        let spec = pattern[percent.upperBound...].prefix { $0 != "d" }
        guard pattern[percent.upperBound...].dropFirst(spec.count).first == "d" else { return pattern }
        let width = Int(spec) ?? 0
        var digits = String(n)
        if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
        let end = pattern.index(percent.upperBound, offsetBy: spec.count + 1)
        return String(pattern[..<percent.lowerBound]) + digits + String(pattern[end...])
    }
}
