import Foundation

/// The Jellyfin command lines in `fixtures/` (each with its source in its comments), turned
/// into argv the way .NET's `Process` turns Jellyfin's argument string into one, and
/// rewritten to a test's film and folders.
struct JellyfinFixture: Sendable {
    /// File name, e.g. `01-libx264-hls-basic.txt`.
    var name: String
    /// The command as published (one line).
    var line: String
    /// argv without the program.
    var argv: [String]

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fixtures")
    }

    /// Every fixture, by name.
    static func all() throws -> [JellyfinFixture] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted().map(load)
    }

    static func load(_ name: String) throws -> JellyfinFixture {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let line = text.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
        return JellyfinFixture(name: name, line: line, argv: Array(split(line).dropFirst()))
    }

    /// A logged command as argv: the server-log form `"<exe>" "<arguments>"` (inner quotes as
    /// `\"`) is unwrapped first; then double quotes group and are removed (also inside a word,
    /// `file:"/x"` -> `file:/x`), backslashes are literal unless before a quote. A plain
    /// Windows line starts with an unquoted exe path with spaces: it ends at `ffmpeg.exe`.
    static func split(_ line: String) -> [String] {
        var text = line
        if text.hasPrefix("\""), let close = text.dropFirst().firstIndex(of: "\"") {
            let exe = String(text[text.index(after: text.startIndex)..<close])
            var rest = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("\"") && rest.hasSuffix("\"") {
                rest = String(rest.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return [exe] + tokens(rest)
        }
        if let exe = text.range(of: "ffmpeg.exe ") {
            let program = String(text[..<exe.upperBound]).trimmingCharacters(in: .whitespaces)
            text = String(text[exe.upperBound...])
            return [program] + tokens(text)
        }
        return tokens(text)
    }

    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuotes = false
        var started = false
        var chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "\"" {
                current.append("\"")
                i += 2
                started = true
                continue
            }
            if c == "\"" {
                inQuotes.toggle()
                started = true
            } else if c == " " && !inQuotes {
                if started { result.append(current) }
                current = ""
                started = false
            } else {
                current.append(c)
                started = true
            }
            i += 1
        }
        if started { result.append(current) }
        chars.removeAll()
        return result
    }

    /// The argv with the input replaced by `source`, every output folder by `folder` (the
    /// playlist's, the segments' and a full `-hls_fmp4_init_filename`'s), the
    /// seek (if any) by `seek`, and `-start_number` made to match it; stream numbers are
    /// rewritten with `streams` (the fixture's absolute index -> the film's).
    func rewritten(source: String, folder: String, seek: String? = nil, startNumber: Int? = nil, streams: [Int: Int] = [:]) -> [String] {
        var out: [String] = []
        var i = 0
        // The server's own input, which a text burn-in names again inside -vf (`subtitles='...:si=0'`).
        let input = argv.firstIndex(of: "-i").flatMap { argv.indices.contains($0 + 1) ? argv[$0 + 1] : nil }
            .map { $0.hasPrefix("file:") ? String($0.dropFirst(5)) : $0 }
        while i < argv.count {
            let token = argv[i]
            let next: String? = i + 1 < argv.count ? argv[i + 1] : nil
            switch token {
            case "-i":
                out += ["-i", "file:" + source]
                i += 2
                continue
            case "-ss" where seek != nil:
                out += ["-ss", seek ?? ""]
                i += 2
                continue
            case "-start_number" where startNumber != nil:
                out += ["-start_number", "\(startNumber ?? 0)"]
                i += 2
                continue
            case "-hls_segment_filename", "-y":
                if let next {
                    out += [token, Self.inside(folder, next)]
                    i += 2
                    continue
                }
            case "-hls_fmp4_init_filename":
                // A full path (a Windows server's, 17) moves into the folder; a bare name stays bare.
                if let next, next.contains("/") || next.contains("\\") {
                    out += [token, Self.inside(folder, next)]
                    i += 2
                    continue
                }
            case "-map":
                if let next, let rewritten = Self.stream(next, streams) {
                    out += ["-map", rewritten]
                    i += 2
                    continue
                }
            case "-vf", "-filter:v":
                if let next, let input, next.contains(input) {
                    out += [token, next.replacingOccurrences(of: input, with: source)]
                    i += 2
                    continue
                }
            case "-filter_complex":
                if var graph = next {
                    // In one pass: {1: 5, 5: 2} must not turn [0:1] into [0:2].
                    for from in streams.keys { graph = graph.replacingOccurrences(of: "[0:\(from)]", with: "[0:#\(from)#]") }
                    for (from, to) in streams { graph = graph.replacingOccurrences(of: "[0:#\(from)#]", with: "[0:\(to)]") }
                    out += [token, graph]
                    i += 2
                    continue
                }
            default:
                break
            }
            // A trailing output path without -y.
            if i == argv.count - 1, !token.hasPrefix("-") {
                out.append(Self.inside(folder, token))
            } else {
                out.append(token)
            }
            i += 1
        }
        return out
    }

    /// `folder/<file name of path>`, for Unix and Windows paths.
    static func inside(_ folder: String, _ path: String) -> String {
        let unix: String = path.replacingOccurrences(of: "\\", with: "/")
        let name: String = (unix as NSString).lastPathComponent
        return folder + "/" + name
    }

    static func stream(_ map: String, _ streams: [Int: Int]) -> String? {
        let parts = map.split(separator: ":")
        guard parts.count == 2, parts[0] == "0", let n = Int(parts[1]), let to = streams[n] else { return nil }
        return "0:\(to)"
    }
}
