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

    /// Decodes a recorded inventory; a fixture that does not decode is a test bug.

    /// Every recorded machine by name.
    public static let all: [(name: String, json: String)] = [
        ("nvidia-desktop", nvidiaDesktop), ("intel-ihd", intelIHD), ("amd-radeonsi", amdRadeonsi),
        ("two-render-nodes", twoNodes), ("no-gpu", noGPU),
    ]
}
