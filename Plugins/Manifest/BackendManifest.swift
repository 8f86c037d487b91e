import TranscodeBackend

/// One backend described as data: what a `backends.d/*.toml` file holds once it passed
/// every check of `ManifestParser`. Built once, where it is validated, then only read.
public struct BackendManifest: Sendable, Equatable {
    /// The file it came from, named in every sentence about it.
    public var file: String
    /// Stable identifier, like a compiled backend's `id`.
    public var id: String
    /// A line for people (hwdetect shows it).
    public var summary: String?
    /// FFmpeg encoder names (`<codec>_<api>` or a known software encoder).
    public var encoders: [String]
    /// The `hardware_acceleration` tag; nil for software.
    public var hardwareAPI: String?
    /// Preference for `auto`: higher wins.
    public var rank: Int
    /// Concurrent encodes the hardware allows; nil for unlimited.
    public var sessionCapacity: Int?
    /// Backends sharing one encoder chip name the same pool; nil means the id.
    public var sessionPool: String?
    /// What must hold on the machine before the backend is offered.
    public var requirements: Requirements
    /// Which device node fills `{device}`; nil when the backend opens none.
    public var device: DeviceRule?
    /// The argument fragments, each for one fixed slot of `FFmpegCommand`.
    public var arguments: ArgumentSlots
    /// Picture work it takes (`features`): the CPU filters run before `video_filter`.
    public var features: PictureFeatures = []

    /// The `features` names: `burn_in` is both kinds of subtitles.
    public static let featureNames: [String: PictureFeatures] = [
        "tone_map": .toneMap, "burn_in": [.burnInText, .burnInBitmap],
    ]

    /// What the machine must have.
    public struct Requirements: Sendable, Equatable {
        /// Encoders that must be in the FFmpeg build (default: `encoders`).
        public var ffmpegEncoders: [String]
        /// Filters that must be in the FFmpeg build.
        public var ffmpegFilters: [String] = []
        /// Hardware device types (`-hwaccels`) that must be in the FFmpeg build.
        public var ffmpegHWAccels: [String] = []
        /// Shared libraries that must all load (dlopen).
        public var libraries: [String] = []
        /// Shared libraries of which at least one must load (runtimes that differ by hardware generation).
        public var oneOfLibraries: [String] = []
        /// Run a verification encode at start-up before offering the backend.
        public var verify = false
    }

    /// How `{device}` is found.
    public struct DeviceRule: Sendable, Equatable {
        /// Absolute glob patterns, tried in order: the first existing match is the device.
        public var paths: [String]
        /// When set, only DRM render nodes that hwdetect saw with one of these kernel drivers.
        public var drmDrivers: [String] = []
    }

    /// The manifest's parts of the command line. Everything else is `FFmpegCommand`'s.
    public struct ArgumentSlots: Sendable, Equatable {
        /// Options before `-ss`/`-i`: hardware devices only (left out on a remux).
        public var input: [String] = []
        /// The `-vf` chain.
        public var videoFilter: String?
        /// Encoder options after `-c:v <encoder>`.
        public var codec: [String] = []
        /// Where keyframes come from.
        public var keyframes: KeyframeMode = .forced
    }

    /// How a backend puts a keyframe at every segment boundary.
    public enum KeyframeMode: String, Sendable, Equatable, CaseIterable {
        /// `-force_key_frames expr:gte(t,n_forced*T)`: for encoders that honour it.
        case forced
        /// `-g N -keyint_min N`, N = ceil(T x fps): for encoders that ignore forced keyframes.
        case gop
    }
}
