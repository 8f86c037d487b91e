// swift-tools-version:6.0
import PackageDescription

/// One list of settings applied to every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "transcode",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "transcode-worker", targets: ["transcode-worker"]),
        .executable(name: "transcode-orchestrator", targets: ["transcode-orchestrator"]),
        .executable(name: "hwdetect", targets: ["hwdetect"]),
        .executable(name: "transcode-ffmpeg", targets: ["transcode-ffmpeg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // TOML parser for backend manifests (backends.d/*.toml).
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        // Prometheus text export of swift-metrics (GET /metrics on both services).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // The backend contract: what every encoder backend implements. Depends on nothing heavy.
        .target(name: "TranscodeBackend", dependencies: ["HWInventory", "TranscodeWire"], swiftSettings: swiftSettings),
        // What hwdetect prints: the inventory every backend's availability check reads.
        .target(name: "HWInventory", path: "hwdetect/inventory", swiftSettings: swiftSettings),

        // Encoder backends, one folder each under Plugins/.
        .target(name: "X264Backend", dependencies: ["TranscodeBackend"], path: "Plugins/X264", swiftSettings: swiftSettings),
        // What the NVIDIA driver told hwdetect (its `nvidia` section), shared by the NVIDIA backends.
        .target(name: "NVIDIAInventory", dependencies: ["TranscodeBackend"], path: "Plugins/NVIDIA", swiftSettings: swiftSettings),
        .target(name: "NVENCBackend", dependencies: ["TranscodeBackend", "NVIDIAInventory"], path: "Plugins/NVENC", swiftSettings: swiftSettings),
        .target(name: "VAAPIBackend", dependencies: ["TranscodeBackend"], path: "Plugins/VAAPI", swiftSettings: swiftSettings),
        .target(name: "CUDABackend", dependencies: ["TranscodeBackend", "NVENCBackend", "NVIDIAInventory"], path: "Plugins/CUDA", swiftSettings: swiftSettings),
        .target(
            name: "CUDADecodeBackend", dependencies: ["TranscodeBackend", "NVIDIAInventory"], path: "Plugins/CUDADecode",
            swiftSettings: swiftSettings
        ),
        // Backends defined as data: TOML manifests loaded at startup from --backends-dir.
        .target(
            name: "ManifestBackend",
            dependencies: ["TranscodeBackend", .product(name: "TOMLKit", package: "TOMLKit")],
            path: "Plugins/Manifest",
            swiftSettings: swiftSettings
        ),
        // The one registration list of backends.
        .target(
            name: "BackendRegistry",
            dependencies: ["TranscodeBackend", "X264Backend", "NVENCBackend", "VAAPIBackend", "CUDABackend", "CUDADecodeBackend", "ManifestBackend"],
            path: "Plugins/Registry",
            swiftSettings: swiftSettings
        ),

        // Hardware probe (C) over libva, libdrm, libavcodec and dlopen'ed NVIDIA libraries.
        .systemLibrary(name: "CLibVA", path: "hwdetect/CLibVA", pkgConfig: "libva-drm", providers: [.apt(["libva-dev"])]),
        .systemLibrary(name: "CLibDRM", path: "hwdetect/CLibDRM", pkgConfig: "libdrm", providers: [.apt(["libdrm-dev"])]),
        .systemLibrary(name: "CAVCodec", path: "hwdetect/CAVCodec", pkgConfig: "libavcodec", providers: [.apt(["libavcodec-dev"])]),
        .target(name: "HWProbe", dependencies: ["CLibVA", "CLibDRM", "CAVCodec"], path: "hwdetect/probe", linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("avutil")]),
        .executableTarget(name: "hwdetect", dependencies: ["HWProbe", "TranscodeBackend", "BackendRegistry", "ManifestBackend"], path: "hwdetect/cli", swiftSettings: swiftSettings),

        // Wire format: the seed's payloads and the contract's additions.
        .target(name: "TranscodeWire", swiftSettings: swiftSettings),
        // fork/exec with a parent-death signal, from a thread that lives as long as the process.
        .target(name: "CSpawn"),
        // libcurl, with typed setters for its variadic API.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CurlHTTP", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // What both services share: auth, JSON errors, flags from the environment.
        .target(
            name: "ServiceSupport",
            dependencies: [
                "TranscodeWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Child processes without a shell (ffprobe, FFmpeg, helpers) and what ffprobe says of a source.
        .target(name: "MediaProbe", dependencies: ["CSpawn", "TranscodeBackend", "ServiceSupport"], swiftSettings: swiftSettings),
        .target(
            name: "WorkerCore",
            dependencies: [
                "MediaProbe", "TranscodeBackend", "BackendRegistry", "TranscodeWire", "CSpawn", "CurlHTTP", "ServiceSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestratorCore",
            dependencies: [
                "TranscodeWire", "CurlHTTP", "ServiceSupport", "MediaProbe",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "transcode-worker",
            dependencies: ["WorkerCore", "BackendRegistry", "ServiceSupport", "TranscodeWire", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "transcode-orchestrator",
            dependencies: ["OrchestratorCore", "ServiceSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // The drop-in FFmpeg for media servers: reads their command lines, runs HLS on the pool.
        .target(
            name: "FFmpegDropIn",
            dependencies: ["CurlHTTP", "TranscodeWire", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "transcode-ffmpeg", dependencies: ["FFmpegDropIn", "MediaProbe"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DropInTests",
            dependencies: ["FFmpegDropIn", "TranscodeWire", "TestSupport", "CurlHTTP"],
            exclude: ["fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BackendTests",
            dependencies: [
                "TranscodeBackend", "BackendRegistry", "X264Backend", "NVENCBackend", "VAAPIBackend", "CUDABackend",
                "CUDADecodeBackend", "NVIDIAInventory", "ManifestBackend", "TestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        // Test helpers shared by the test targets: real processes, real HTTP, generated clips.
        .target(
            name: "TestSupport", dependencies: ["CurlHTTP", .product(name: "Hummingbird", package: "hummingbird")], path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["WorkerCore", "BackendRegistry", "ManifestBackend", "TranscodeWire", "CurlHTTP", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: [
                "OrchestratorCore", "TranscodeWire", "TestSupport", "ServiceSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Issue 11's hardening: schemathesis against docs/openapi*.yaml, real network partitions.
        .testTarget(
            name: "HardeningTests",
            dependencies: ["TestSupport", "CurlHTTP"],
            exclude: ["fuzz"],
            swiftSettings: swiftSettings
        ),
        // Real players (headless Chromium through Playwright, mpv) on the orchestrator's URL.
        .testTarget(
            name: "PlayerTests",
            dependencies: ["TestSupport", "CurlHTTP"],
            exclude: ["players"],
            swiftSettings: swiftSettings
        ),
    ]
)
