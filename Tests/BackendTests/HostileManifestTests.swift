import ManifestBackend
import Testing

/// Manifests that try to make FFmpeg write an output of their choosing, open a protocol,
/// read a file or run a shell are refused before any backend exists.
@Suite struct HostileManifestTests {
    /// A manifest whose `[arguments]` holds `lines`.
    static func refusal(_ lines: String) -> ManifestRefusal? {
        let text = "id = \"evil\"\nencoders = [\"libx264\"]\nrank = 100\n[arguments]\nkeyframes = \"forced\"\n" + lines
        do {
            _ = try ManifestParser.parse(text, file: "evil.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // A second output: a lone word, or a format and a file.
        #"codec = ["-preset", "fast", "stolen.ts"]"#,
        #"codec = ["-f", "mpegts"]"#,
        #"codec = ["-y", "-preset"]"#,
        #"codec = ["-preset", "fast", "-map", "0"]"#,
        #"codec = ["-hls_segment_filename", "x"]"#,
        #"codec = ["-progress", "tcp:evil:1"]"#,
        // A second input.
        #"input = ["-i", "secret.mkv"]"#,
        #"input = ["-f", "lavfi"]"#,
        // Files through encoder options.
        #"codec = ["-passlogfile", "x"]"#,
        #"codec = ["-x265-params", "csv=leak.csv"]"#,
        #"codec = ["-x264-params", "stats=x"]"#,
        // Stream selection and timing belong to the worker.
        #"codec = ["-b:a", "1k"]"#,
        #"codec = ["-ss", "10"]"#,
    ])
    func anOutputInputOrFileIsRefused(arguments: String) throws {
        let refusal = try #require(Self.refusal(arguments), "accepted: \(arguments)")
        #expect(refusal.key == "arguments.codec" || refusal.key == "arguments.input", "\(refusal)")
        #expect(refusal.description.hasPrefix("evil.toml: key 'arguments."), "\(refusal)")
    }

    @Test(arguments: [
        #"input = ["-init_hw_device", "vaapi=va:file:out.ts"]"#,
        #"codec = ["-x265-params", "concat:a"]"#,
        #"input = ["-hwaccel_device", "http:evil"]"#,
        #"codec = ["-preset", "pipe:1"]"#,
        #"video_filter = "format=yuv420p,scale=w=subfile:x""#,
    ])
    func aProtocolIsRefused(arguments: String) throws {
        let refusal = try #require(Self.refusal(arguments), "accepted: \(arguments)")
        #expect(refusal.fault.contains("names the protocol"), "\(refusal)")
    }

    @Test(arguments: [
        #"codec = ["-preset", "fast; rm -rf /"]"#,
        #"codec = ["-preset", "$(reboot)"]"#,
        #"codec = ["-preset", "fast|nc"]"#,
        #"codec = ["-preset", "`id`"]"#,
        #"video_filter = "format=yuv420p&&id""#,
    ])
    func aShellWordIsRefused(arguments: String) throws {
        let refusal = try #require(Self.refusal(arguments), "accepted: \(arguments)")
        #expect(refusal.fault.contains("shell word") || refusal.fault.contains("without spaces"), "\(refusal)")
    }

    @Test(arguments: [
        #"input = ["-init_hw_device", "vaapi=va:/dev/dri/renderD128"]"#,
        #"codec = ["-x265-params", "analysis-load=/etc/passwd"]"#,
        #"video_filter = "movie=secret.mkv""#,
        #"video_filter = "format=yuv420p;[in]null""#,
        #"video_filter = "drawtext=textfile=x""#,
    ])
    func aPathOrAFilterThatReadsFilesIsRefused(arguments: String) throws {
        let refusal = try #require(Self.refusal(arguments), "accepted: \(arguments)")
        #expect(refusal.key == "arguments.input" || refusal.key == "arguments.codec" || refusal.key == "arguments.video_filter", "\(refusal)")
    }

    @Test func theRefusalSentenceSaysWhy() throws {
        let output = try #require(Self.refusal(#"codec = ["-preset", "fast", "stolen.ts"]"#))
        #expect(output.description == "evil.toml: key 'arguments.codec': 'stolen.ts' has no partner: the list must be option/value pairs, and FFmpeg takes a lone word as another output.")
        let shell = try #require(Self.refusal(#"codec = ["-preset", "fast;id"]"#))
        #expect(shell.description == "evil.toml: key 'arguments.codec': 'fast;id' holds ';': that is a shell word, and FFmpeg is never run through a shell.")
        let path = try #require(Self.refusal(#"input = ["-init_hw_device", "vaapi=va:/dev/dri/renderD128"]"#))
        #expect(path.fault.hasSuffix("holds '/': a manifest names no path (the device comes from {device}, input and output from the worker)"))
    }
}
