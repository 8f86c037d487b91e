import CUDABackend
import CUDADecodeBackend
import NVENCBackend
import TranscodeBackend
import VAAPIBackend
import X264Backend

/// Every encoder backend this build knows, like FFmpeg's allcodecs.c.
/// Adding a backend: its folder under Plugins/, one Package.swift entry, one line here.
public let allBackends: [any EncoderBackend] = [
    CUDABackend(),
    NVENCBackend(),
    VAAPIBackend(),
    CUDADecodeBackend(),
    X264Backend(),
]
