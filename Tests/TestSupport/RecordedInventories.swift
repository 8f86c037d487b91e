/// Recorded `hwdetect` inventories of machines this project targets, as the probe prints them.
/// Tests feed them to backends (detection logic) and to real workers (`--inventory`).
public enum RecordedInventories {
    /// Encoders of Debian 12's FFmpeg 5.1 that the backends care about.
    public static let debianEncoders = #"["libx264", "libx265", "h264_nvenc", "hevc_nvenc", "h264_vaapi", "hevc_vaapi", "h264_qsv", "hevc_qsv"]"#

    /// A desktop with an RTX 3060 and the full proprietary driver.
    public static let nvidiaDesktop = """
        {"cpu": {"model": "AMD Ryzen 7 5800X 8-Core Processor", "threads": 16},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [{"render_node": "/dev/dri/renderD128", "vendor_id": 4318, "device_id": 9476, "driver": "nvidia"}],
         "vaapi": [{"render_node": "/dev/dri/renderD128", "vendor": null, "encode_codecs": [],
                    "error": "vaInitialize failed on /dev/dri/renderD128: unknown libva error"}],
         "nvidia": {"cuda_available": true, "cuda_error": null, "driver_version": "550.54.14",
                    "devices": [{"index": 0, "name": "NVIDIA GeForce RTX 3060", "utilization": 3, "temperature": 41}],
                    "encode_library": true, "encode_library_error": null, "nvml": true}}
        """

    /// A laptop with an Intel iGPU on the iHD driver.
    public static let intelIHD = """
        {"cpu": {"model": "12th Gen Intel(R) Core(TM) i5-1235U", "threads": 12},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [{"render_node": "/dev/dri/renderD128", "vendor_id": 32902, "device_id": 18086, "driver": "i915"}],
         "vaapi": [{"render_node": "/dev/dri/renderD128",
                    "vendor": "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()",
                    "encode_codecs": ["h264", "hevc", "mjpeg"], "error": null}],
         "nvidia": {"cuda_available": false, "cuda_error": "cannot load libcuda.so.1: libcuda.so.1: cannot open shared object file: No such file or directory",
                    "driver_version": null, "devices": [], "encode_library": false,
                    "encode_library_error": "cannot load libnvidia-encode.so.1: libnvidia-encode.so.1: cannot open shared object file: No such file or directory", "nvml": false}}
        """

    /// A Radeon card on Mesa's radeonsi Gallium driver.
    public static let amdRadeonsi = """
        {"cpu": {"model": "AMD Ryzen 5 5600X 6-Core Processor", "threads": 12},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [{"render_node": "/dev/dri/renderD128", "vendor_id": 4098, "device_id": 29663, "driver": "amdgpu"}],
         "vaapi": [{"render_node": "/dev/dri/renderD128",
                    "vendor": "Mesa Gallium driver 22.3.6 for AMD Radeon RX 6700 XT (navi22, LLVM 15.0.6, DRM 3.49, 6.1.0-18-amd64)",
                    "encode_codecs": ["h264", "hevc"], "error": null}],
         "nvidia": {"cuda_available": false, "cuda_error": "cannot load libcuda.so.1: libcuda.so.1: cannot open shared object file: No such file or directory",
                    "driver_version": null, "devices": [], "encode_library": false, "encode_library_error": null, "nvml": false}}
        """

    /// Two render nodes: renderD128 is an NVIDIA card without a VA encoder, renderD129 an Intel iGPU.
    /// The NVIDIA card's encode library is missing (a headless driver install).
    public static let twoNodes = """
        {"cpu": {"model": "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz", "threads": 16},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [{"render_node": "/dev/dri/renderD128", "vendor_id": 4318, "device_id": 8068, "driver": "nvidia"},
                         {"render_node": "/dev/dri/renderD129", "vendor_id": 32902, "device_id": 39877, "driver": "i915"}],
         "vaapi": [{"render_node": "/dev/dri/renderD128", "vendor": "VA-API NVDEC driver [direct backend]",
                    "encode_codecs": [], "error": null},
                   {"render_node": "/dev/dri/renderD129",
                    "vendor": "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()",
                    "encode_codecs": ["h264", "hevc"], "error": null}],
         "nvidia": {"cuda_available": true, "cuda_error": null, "driver_version": "535.161.07",
                    "devices": [{"index": 0, "name": "NVIDIA GeForce GTX 1660 SUPER"}],
                    "encode_library": false,
                    "encode_library_error": "cannot load libnvidia-encode.so.1: libnvidia-encode.so.1: cannot open shared object file: No such file or directory",
                    "nvml": true}}
        """

    /// A VM with no GPU at all: no render node, no driver.
    public static let noGPU = """
        {"cpu": {"model": "Intel Xeon Processor (Icelake)", "threads": 2},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [], "vaapi": [],
         "nvidia": {"cuda_available": false, "cuda_error": "cannot load libcuda.so.1: libcuda.so.1: cannot open shared object file: No such file or directory",
                    "driver_version": null, "devices": [], "encode_library": false, "encode_library_error": null, "nvml": false}}
        """

    /// NVDEC caps of an Ada GPU as `cuvidGetDecoderCaps` lists them.
    static let recentNVDEC = """
        {"error": null, "codecs": [
            {"codec": "h264", "bit_depth": 8, "max_width": 4096, "max_height": 4096},
            {"codec": "hevc", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
            {"codec": "hevc", "bit_depth": 10, "max_width": 8192, "max_height": 8192},
            {"codec": "hevc", "bit_depth": 12, "max_width": 8192, "max_height": 8192},
            {"codec": "vp9", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
            {"codec": "vp9", "bit_depth": 10, "max_width": 8192, "max_height": 8192},
            {"codec": "av1", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
            {"codec": "av1", "bit_depth": 10, "max_width": 8192, "max_height": 8192},
            {"codec": "mpeg2video", "bit_depth": 8, "max_width": 4080, "max_height": 4080}]}
        """

    /// NVENC caps of an RTX 40 card (h264, hevc, av1) from an opened encode session.
    static let adaNVENC = """
        {"verdict": "ok", "error": null, "codecs": [
            {"name": "h264", "profiles": ["baseline", "main", "high", "high444", "progressive_high", "constrained_high"],
             "max_width": 4096, "max_height": 4096, "max_b_frames": 4, "ten_bit": false, "lookahead": true},
            {"name": "hevc", "profiles": ["main", "main10", "rext"],
             "max_width": 8192, "max_height": 8192, "max_b_frames": 5, "ten_bit": true, "lookahead": true},
            {"name": "av1", "profiles": ["unknown"],
             "max_width": 8192, "max_height": 8192, "max_b_frames": 5, "ten_bit": true, "lookahead": true}]}
        """

    /// An RTX 4070 whose NVENC session opened: codecs and caps asked of the driver.
    public static let rtx4070 = """
        {"cpu": {"model": "Intel(R) Core(TM) i7-13700K", "threads": 24},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [{"render_node": "/dev/dri/renderD128", "vendor_id": 4318, "device_id": 10118, "driver": "nvidia"}],
         "vaapi": [],
         "nvidia": {"cuda_available": true, "cuda_error": null, "driver_version": "550.120",
                    "devices": [{"index": 0, "name": "NVIDIA GeForce RTX 4070", "utilization": 2, "temperature": 38,
                                 "encoder_sessions": 0, "encoder_capacity": 100,
                                 "nvenc": \(adaNVENC), "nvdec": \(recentNVDEC)}],
                    "encode_library": true, "encode_library_error": null, "nvml": true, "probe_error": null}}
        """

    /// The lent H100, recorded by `scripts/gpu-check` (2026-11-26): CUDA and NVDEC (no AV1),
    /// an encode library that loads, and a session open that the driver refuses.
    public static let h100 = """
        {"cpu": {"model": "Intel(R) Xeon(R) Platinum 8480+", "threads": 16},
         "ffmpeg_encoders": ["h264_nvenc", "hevc_nvenc", "libx264", "wrapped_avframe"],
         "drm_devices": [], "vaapi": [],
         "nvidia": {"cuda_available": true, "cuda_error": null, "driver_version": "580.159.04",
                    "devices": [{"index": 0, "name": "NVIDIA H100 80GB HBM3", "utilization": 2, "temperature": 38,
                                 "encoder_sessions": 0, "encoder_capacity": 100,
                                 "nvenc": {"verdict": "no_encoder", "error": "nvEncOpenEncodeSessionEx failed: NV_ENC_ERR_UNSUPPORTED_DEVICE (2)", "codecs": []},
                                 "nvdec": {"error": null, "codecs": [
                                     {"codec": "h264", "bit_depth": 8, "max_width": 4096, "max_height": 4096},
                                     {"codec": "hevc", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
                                     {"codec": "hevc", "bit_depth": 10, "max_width": 8192, "max_height": 8192},
                                     {"codec": "hevc", "bit_depth": 12, "max_width": 8192, "max_height": 8192},
                                     {"codec": "vp9", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
                                     {"codec": "vp9", "bit_depth": 10, "max_width": 8192, "max_height": 8192},
                                     {"codec": "mpeg2video", "bit_depth": 8, "max_width": 4080, "max_height": 4080},
                                     {"codec": "mpeg4", "bit_depth": 8, "max_width": 2048, "max_height": 2048},
                                     {"codec": "vc1", "bit_depth": 8, "max_width": 2048, "max_height": 2048},
                                     {"codec": "vp8", "bit_depth": 8, "max_width": 4096, "max_height": 4096}]}}],
                    "encode_library": true, "encode_library_error": null, "nvml": true, "probe_error": null}}
        """

    /// Two GPUs: CUDA's first is an A100 (NVDEC, no NVENC), the second an RTX A4000 with NVENC.
    public static let twoGPUs = """
        {"cpu": {"model": "AMD EPYC 7313 16-Core Processor", "threads": 32},
         "ffmpeg_encoders": \(debianEncoders),
         "drm_devices": [], "vaapi": [],
         "nvidia": {"cuda_available": true, "cuda_error": null, "driver_version": "550.120",
                    "devices": [{"index": 0, "name": "NVIDIA A100-PCIE-40GB", "utilization": 0, "temperature": 35,
                                 "nvenc": {"verdict": "no_encoder", "error": "nvEncOpenEncodeSessionEx failed: NV_ENC_ERR_NO_ENCODE_DEVICE (1)", "codecs": []},
                                 "nvdec": {"error": null, "codecs": [
                                     {"codec": "h264", "bit_depth": 8, "max_width": 4096, "max_height": 4096},
                                     {"codec": "hevc", "bit_depth": 8, "max_width": 8192, "max_height": 8192},
                                     {"codec": "hevc", "bit_depth": 10, "max_width": 8192, "max_height": 8192}]}},
                                {"index": 1, "name": "NVIDIA RTX A4000", "utilization": 1, "temperature": 40,
                                 "encoder_sessions": 0, "encoder_capacity": 100,
                                 "nvenc": {"verdict": "ok", "error": null, "codecs": [
                                     {"name": "h264", "profiles": ["baseline", "main", "high"], "max_width": 4096, "max_height": 4096,
                                      "max_b_frames": 4, "ten_bit": false, "lookahead": true},
                                     {"name": "hevc", "profiles": ["main", "main10"], "max_width": 8192, "max_height": 8192,
                                      "max_b_frames": 5, "ten_bit": true, "lookahead": true}]},
                                 "nvdec": {"error": null, "codecs": [
                                     {"codec": "h264", "bit_depth": 8, "max_width": 4096, "max_height": 4096},
                                     {"codec": "hevc", "bit_depth": 8, "max_width": 8192, "max_height": 8192}]}}],
                    "encode_library": true, "encode_library_error": null, "nvml": true, "probe_error": null}}
        """

    /// Decodes a recorded inventory; a fixture that does not decode is a test bug.

    /// Every recorded machine by name.
    public static let all: [(name: String, json: String)] = [
        ("nvidia-desktop", nvidiaDesktop), ("intel-ihd", intelIHD), ("amd-radeonsi", amdRadeonsi),
        ("two-render-nodes", twoNodes), ("no-gpu", noGPU),
        ("rtx-4070", rtx4070), ("h100", h100), ("two-gpus", twoGPUs),
    ]
}
