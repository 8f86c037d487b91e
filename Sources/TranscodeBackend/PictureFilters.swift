/// What a backend can do to the picture besides encoding it.
public struct PictureFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    /// Creates a set from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// HDR (PQ, HLG) to BT.709 SDR.
    public static let toneMap = PictureFeatures(rawValue: 1)
    /// Text subtitles (SRT, ASS) drawn by libass.
    public static let burnInText = PictureFeatures(rawValue: 2)
    /// Bitmap subtitles (PGS, DVD, DVB) overlaid.
    public static let burnInBitmap = PictureFeatures(rawValue: 4)
    /// Everything.
    public static let all: PictureFeatures = [.toneMap, .burnInText, .burnInBitmap]

    /// Wire names, as `static_specs.backends[].features` and manifests spell them.
    public static let names: [(PictureFeatures, String)] = [
        (.toneMap, "tone_map"), (.burnInText, "burn_in_text"), (.burnInBitmap, "burn_in_bitmap"),
    ]

    /// The wire names of the set, in a fixed order.
    public var wireNames: [String] { Self.names.filter { contains($0.0) }.map(\.1) }

    /// The set the wire names spell; unknown names are ignored (a newer worker's features).
    public init(wireNames: [String]) {
        self = []
        for (feature, name) in Self.names where wireNames.contains(name) { insert(feature) }
    }

    /// What a request needs beyond a plain encode (a remux copies the picture: nothing).
    public init(needsOf request: EncodeRequest) {
        self = request.forceRemux ? [] : PictureFeatures(toneMap: request.toneMap, burnIn: request.burnIn)
    }

    /// What a tone map and a burn-in need.
    public init(toneMap: ToneMap?, burnIn: BurnIn?) {
        self = []
        if toneMap != nil { insert(.toneMap) }
        switch burnIn {
        case .text?: insert(.burnInText)
        case .bitmap?: insert(.burnInBitmap)
        case nil: break
        }
    }

    /// "tone-map HDR and burn in text subtitles", for refusals.
    public var sentence: String {
        var parts: [String] = []
        if contains(.toneMap) { parts.append("tone-map HDR to SDR") }
        if contains(.burnInText) { parts.append("burn in text subtitles") }
        if contains(.burnInBitmap) { parts.append("burn in bitmap subtitles") }
        return parts.joined(separator: " and ")
    }
}

/// Vendor-neutral picture filters that run on the CPU: HDR tone mapping (zscale + tonemap),
/// text subtitles (libass) and the bitmap subtitle overlay. GPU backends use them after a
/// download, or before their upload.
public enum PictureFilters {
    /// The tone-mapping curve: Hable keeps highlights without crushing mid-tones.
    public static let curve = "hable"

    /// `pq->bt709 (hable)`: what the job view reports as `tone_mapped`.
    public static func summary(_ toneMap: ToneMap?) -> String? {
        toneMap.map { "\($0.from.rawValue)->bt709 (\(curve))" }
    }

    /// The zimg name of the source's transfer.
    static func transfer(_ range: DynamicRange) -> String {
        range == .hlg ? "arib-std-b67" : "smpte2084"
    }

    /// PQ or HLG BT.2020 to BT.709 SDR 8-bit 4:2:0 on the CPU: to linear light (100 nits
    /// nominal peak), to BT.709 primaries in float, Hable, then BT.709 transfer and matrix in
    /// TV range. The input's transfer, primaries and matrix are named, not read from the
    /// frames, so a file whose container lost the tags still maps as ffprobe saw it.
    public static func toneMap(_ toneMap: ToneMap) -> String {
        [
            "zscale=tin=\(transfer(toneMap.from)):pin=bt2020:min=bt2020nc:t=linear:npl=100",
            "format=gbrpf32le",
            "zscale=p=bt709",
            "tonemap=tonemap=\(curve):desat=0",
            "zscale=t=bt709:m=bt709:r=tv",
            "format=yuv420p",
        ].joined(separator: ",")
    }

    /// The output's colour tags after a tone map: BT.709 primaries, transfer and matrix.
    public static let bt709Tags = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]

    /// libass drawing subtitle stream `track` of the source. The run seeks with `-ss S`, so
    /// frames reach the filter at movie time minus S, while libass reads the file in movie
    /// time: the chain moves the frames to movie time around it and back, by a whole number of
    /// ticks both ways (setpts truncates: `PTS+S/TB` and back would move a frame a tick early
    /// whenever S is not a multiple of the time base, and its segment's timestamps with it).
    public static func textSubtitles(track: Int, of request: EncodeRequest) -> String {
        let start = request.runStart
        let filter = "subtitles=filename=\(escapeOption(request.sourcePath)):si=\(track)"
        guard start.seconds > 0 else { return filter }
        let ticks = "round(\(start.text)/TB)"
        return "setpts=PTS+\(ticks),\(filter),setpts=PTS-\(ticks)"
    }

    /// The CPU chain for a request on frames in system memory: tone map or `format=yuv420p`,
    /// then text subtitles when asked (drawn on the SDR picture, so their colours stay).
    public static func software(for request: EncodeRequest) -> String {
        var chain = [request.toneMap.map(toneMap) ?? "format=yuv420p"]
        if case .text(let track)? = request.burnIn { chain.append(textSubtitles(track: track, of: request)) }
        return chain.joined(separator: ",")
    }

    /// Fills the command's picture slot for frames that reach the CPU after `before` (a
    /// download; nil when they are there already): `software(for:)`, then `after` (a format,
    /// an upload). A bitmap burn-in becomes a `-filter_complex` graph, the rest a `-vf` chain.
    public static func fill(_ command: inout FFmpegCommand, for request: EncodeRequest, before: String? = nil, after: String? = nil) {
        var software = software(for: request)
        // A download that already ends in 8-bit 4:2:0 needs no second conversion.
        if before?.hasSuffix("format=yuv420p") == true, software.hasPrefix("format=yuv420p") {
            software = String(software.dropFirst("format=yuv420p".count).drop { $0 == "," })
        }
        let chain = [before, software.isEmpty ? nil : software].compactMap { $0 }.joined(separator: ",")
        if case .bitmap(let track)? = request.burnIn {
            // The overlay's output is 4:2:0 again, but say so: `after` may expect it.
            let tail = ["format=yuv420p", after].compactMap { $0 }.joined(separator: ",")
            command.filterGraph = .init(graph: bitmapGraph(track: track, before: chain, after: tail), output: graphOutput)
        } else {
            command.videoFilter = [chain, after].compactMap { $0 }.joined(separator: ",")
        }
    }

    /// Label of the video a bitmap-overlay graph ends in (mapped instead of `0:v:0`).
    public static let graphOutput = "vout"

    /// The `-filter_complex` graph of a bitmap burn-in: `before` on the video, the subtitle
    /// stream scaled to the picture (DVD canvases are 720x480 whatever the film) and overlaid,
    /// then `after`. Bitmap streams are seeked with the input, so no shift is needed.
    public static func bitmapGraph(track: Int, before: String, after: String?) -> String {
        let tail = after.map { ",\($0)" } ?? ""
        return "[0:v:0]\(before)[main];[0:s:\(track)][main]scale2ref=w=main_w:h=main_h[subs][base];"
            + "[base][subs]overlay=eof_action=pass\(tail)[\(graphOutput)]"
    }

    /// A filter option value escaped twice, as a filter graph reads it: first for the
    /// option parser (`\`, `'`, `:`), then for the graph parser (`\`, `'`, `[`, `]`, `,`, `;`).
    public static func escapeOption(_ value: String) -> String {
        escape(escape(value, special: "\\':"), special: "\\'[],;")
    }

    static func escape(_ value: String, special: String) -> String {
        var out = ""
        for character in value {
            if special.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
