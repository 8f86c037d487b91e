/* NVENC asked directly, as OBS does: load libnvidia-encode.so.1, open an encode session
 * on a CUDA context of each GPU, and read its codecs, profiles and caps. A GPU without
 * an encoder block (A100, H100) fails the session open or lists no codec: that is the
 * answer, not a fault. Types come from nv-codec-headers (Debian's libffmpeg-nvenc-dev),
 * which declare the API without any CUDA SDK; the library itself is only dlopen'ed. */
#include "nvidia.h"

#include <ffnvcodec/nvEncodeAPI.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef NVENCSTATUS (NVENCAPI *create_instance_fn)(NV_ENCODE_API_FUNCTION_LIST *list);
typedef NVENCSTATUS (NVENCAPI *max_version_fn)(uint32_t *version);

/* SDK 12's AV1 GUID; these headers (SDK 11.1) predate it. */
static const GUID nv_codec_av1 = {0x0a352289, 0x0aa7, 0x4759, {0x86, 0x2d, 0x5d, 0x15, 0xcd, 0x16, 0xd2, 0x54}};

typedef struct {
    const GUID *guid;
    const char *name;
} named_guid;

static const char *guid_name(const GUID *guid, const named_guid *table, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (memcmp(guid, table[i].guid, sizeof *guid) == 0) return table[i].name;
    return "unknown";
}

static const char *codec_name(const GUID *guid) {
    const named_guid table[] = {
        {&NV_ENC_CODEC_H264_GUID, "h264"}, {&NV_ENC_CODEC_HEVC_GUID, "hevc"}, {&nv_codec_av1, "av1"}};
    return guid_name(guid, table, sizeof table / sizeof table[0]);
}

static const char *profile_name(const GUID *guid) {
    const named_guid table[] = {
        {&NV_ENC_CODEC_PROFILE_AUTOSELECT_GUID, "auto"},
        {&NV_ENC_H264_PROFILE_BASELINE_GUID, "baseline"},
        {&NV_ENC_H264_PROFILE_MAIN_GUID, "main"},
        {&NV_ENC_H264_PROFILE_HIGH_GUID, "high"},
        {&NV_ENC_H264_PROFILE_HIGH_444_GUID, "high444"},
        {&NV_ENC_H264_PROFILE_STEREO_GUID, "stereo"},
        {&NV_ENC_H264_PROFILE_PROGRESSIVE_HIGH_GUID, "progressive_high"},
        {&NV_ENC_H264_PROFILE_CONSTRAINED_HIGH_GUID, "constrained_high"},
        {&NV_ENC_HEVC_PROFILE_MAIN_GUID, "main"},
        {&NV_ENC_HEVC_PROFILE_MAIN10_GUID, "main10"},
        {&NV_ENC_HEVC_PROFILE_FREXT_GUID, "rext"},
    };
    return guid_name(guid, table, sizeof table / sizeof table[0]);
}

static const char *status_name(NVENCSTATUS s) {
    switch (s) {
    case NV_ENC_SUCCESS: return "NV_ENC_SUCCESS";
    case NV_ENC_ERR_NO_ENCODE_DEVICE: return "NV_ENC_ERR_NO_ENCODE_DEVICE";
    case NV_ENC_ERR_UNSUPPORTED_DEVICE: return "NV_ENC_ERR_UNSUPPORTED_DEVICE";
    case NV_ENC_ERR_INVALID_ENCODERDEVICE: return "NV_ENC_ERR_INVALID_ENCODERDEVICE";
    case NV_ENC_ERR_INVALID_DEVICE: return "NV_ENC_ERR_INVALID_DEVICE";
    case NV_ENC_ERR_DEVICE_NOT_EXIST: return "NV_ENC_ERR_DEVICE_NOT_EXIST";
    case NV_ENC_ERR_OUT_OF_MEMORY: return "NV_ENC_ERR_OUT_OF_MEMORY";
    case NV_ENC_ERR_INVALID_VERSION: return "NV_ENC_ERR_INVALID_VERSION";
    case NV_ENC_ERR_INVALID_PARAM: return "NV_ENC_ERR_INVALID_PARAM";
    case NV_ENC_ERR_UNIMPLEMENTED: return "NV_ENC_ERR_UNIMPLEMENTED";
    case NV_ENC_ERR_GENERIC: return "NV_ENC_ERR_GENERIC";
    default: return "NVENC error";
    }
}

/* "no_encoder" where the driver says this GPU has no encoder; "busy" where every
 * session is taken (consumer cards: "out of memory" past the session limit). */
static const char *verdict_for(NVENCSTATUS s) {
    switch (s) {
    case NV_ENC_ERR_NO_ENCODE_DEVICE:
    case NV_ENC_ERR_UNSUPPORTED_DEVICE:
    case NV_ENC_ERR_INVALID_ENCODERDEVICE:
    case NV_ENC_ERR_DEVICE_NOT_EXIST:
        return "no_encoder";
    case NV_ENC_ERR_OUT_OF_MEMORY:
        return "busy";
    default:
        return "error";
    }
}

static void fail(nv_device *d, const char *verdict, const char *call, NVENCSTATUS s) {
    d->nvenc_checked = 1;
    snprintf(d->nvenc_verdict, sizeof d->nvenc_verdict, "%s", verdict);
    snprintf(d->nvenc_error, sizeof d->nvenc_error, "%s failed: %s (%d)", call, status_name(s), (int)s);
}

static int cap(NV_ENCODE_API_FUNCTION_LIST *api, void *encoder, GUID codec, NV_ENC_CAPS which) {
    NV_ENC_CAPS_PARAM param;
    int value = 0;
    memset(&param, 0, sizeof param);
    param.version = NV_ENC_CAPS_PARAM_VER;
    param.capsToQuery = which;
    if (api->nvEncGetEncodeCaps(encoder, codec, &param, &value) != NV_ENC_SUCCESS) return 0;
    return value;
}

static void read_codec(NV_ENCODE_API_FUNCTION_LIST *api, void *encoder, GUID guid, nv_encode_codec *c) {
    GUID profiles[32];
    uint32_t count = 0;
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", codec_name(&guid));
    c->max_width = cap(api, encoder, guid, NV_ENC_CAPS_WIDTH_MAX);
    c->max_height = cap(api, encoder, guid, NV_ENC_CAPS_HEIGHT_MAX);
    c->max_b_frames = cap(api, encoder, guid, NV_ENC_CAPS_NUM_MAX_BFRAMES);
    c->ten_bit = cap(api, encoder, guid, NV_ENC_CAPS_SUPPORT_10BIT_ENCODE);
    c->lookahead = cap(api, encoder, guid, NV_ENC_CAPS_SUPPORT_LOOKAHEAD);
    if (api->nvEncGetEncodeProfileGUIDs(encoder, guid, profiles, 32, &count) != NV_ENC_SUCCESS) return;
    for (uint32_t i = 0; i < count && i < 32 && c->profile_count < NV_MAX_PROFILES; i++) {
        const char *name = profile_name(&profiles[i]);
        if (strcmp(name, "auto") == 0) continue;
        snprintf(c->profiles[c->profile_count++], sizeof c->profiles[0], "%s", name);
    }
}

static void query_device(NV_ENCODE_API_FUNCTION_LIST *api, const nv_cuda *cuda, nv_device *d) {
    NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS params;
    void *encoder = NULL, *ctx = nv_cuda_context(cuda, d->ordinal);
    GUID guids[NV_MAX_CODECS * 2];
    uint32_t count = 0;
    NVENCSTATUS s;

    if (ctx == NULL) {
        d->nvenc_checked = 1;
        snprintf(d->nvenc_verdict, sizeof d->nvenc_verdict, "error");
        snprintf(d->nvenc_error, sizeof d->nvenc_error, "cannot create a CUDA context on device %d", d->ordinal);
        return;
    }
    memset(&params, 0, sizeof params);
    params.version = NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER;
    params.deviceType = NV_ENC_DEVICE_TYPE_CUDA;
    params.device = ctx;
    params.apiVersion = NVENCAPI_VERSION;
    s = api->nvEncOpenEncodeSessionEx(&params, &encoder);
    if (s != NV_ENC_SUCCESS || encoder == NULL) {
        fail(d, verdict_for(s), "nvEncOpenEncodeSessionEx", s);
        /* The driver wants the session closed even after a failed open. */
        if (encoder != NULL) api->nvEncDestroyEncoder(encoder);
        cuda->ctx_destroy(ctx);
        return;
    }
    s = api->nvEncGetEncodeGUIDs(encoder, guids, NV_MAX_CODECS * 2, &count);
    if (s != NV_ENC_SUCCESS) {
        fail(d, "error", "nvEncGetEncodeGUIDs", s);
    } else {
        d->nvenc_checked = 1;
        for (uint32_t i = 0; i < count && i < NV_MAX_CODECS * 2 && d->codec_count < NV_MAX_CODECS; i++)
            read_codec(api, encoder, guids[i], &d->codecs[d->codec_count++]);
        snprintf(d->nvenc_verdict, sizeof d->nvenc_verdict, "%s", d->codec_count > 0 ? "ok" : "no_encoder");
        if (d->codec_count == 0)
            snprintf(d->nvenc_error, sizeof d->nvenc_error, "the encode session lists no codec");
    }
    api->nvEncDestroyEncoder(encoder);
    cuda->ctx_destroy(ctx);
}

void nv_query_nvenc(nv_info *info) {
    void *lib = dlopen("libnvidia-encode.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(info->encode_library_error, sizeof info->encode_library_error,
                 "cannot load libnvidia-encode.so.1: %s", e ? e : "unknown dynamic loader error");
        return;
    }
    info->encode_library = 1;
    create_instance_fn create = (create_instance_fn)dlsym(lib, "NvEncodeAPICreateInstance");
    max_version_fn max_version = (max_version_fn)dlsym(lib, "NvEncodeAPIGetMaxSupportedVersion");
    const char *problem = NULL;
    uint32_t supported = 0;
    static NV_ENCODE_API_FUNCTION_LIST api; /* about 2 KB of function pointers */
    nv_cuda cuda;

    memset(&api, 0, sizeof api);
    api.version = NV_ENCODE_API_FUNCTION_LIST_VER;
    if (create == NULL) {
        problem = "libnvidia-encode.so.1 lacks NvEncodeAPICreateInstance";
    } else if (max_version != NULL && max_version(&supported) == NV_ENC_SUCCESS &&
               supported < ((NVENCAPI_MAJOR_VERSION << 4) | NVENCAPI_MINOR_VERSION)) {
        problem = "the driver's NVENC API is older than " "11.1" " (update the NVIDIA driver)";
    } else if (create(&api) != NV_ENC_SUCCESS || api.nvEncOpenEncodeSessionEx == NULL) {
        problem = "NvEncodeAPICreateInstance failed";
    } else if (info->cuda_available && nv_cuda_open(&cuda) != 0) {
        problem = "libcuda.so.1 lacks the context calls";
    } else if (info->cuda_available) {
        for (int i = 0; i < info->device_count; i++) query_device(&api, &cuda, &info->devices[i]);
        nv_cuda_close(&cuda);
    }
    if (problem != NULL) {
        for (int i = 0; i < info->device_count; i++) {
            nv_device *d = &info->devices[i];
            d->nvenc_checked = 1;
            snprintf(d->nvenc_verdict, sizeof d->nvenc_verdict, "error");
            snprintf(d->nvenc_error, sizeof d->nvenc_error, "%s", problem);
        }
    }
    dlclose(lib);
}
