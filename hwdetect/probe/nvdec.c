/* NVDEC asked directly: cuvidGetDecoderCaps from libnvcuvid.so.1 on a CUDA context of
 * each GPU, for the codecs and 4:2:0 bit depths FFmpeg's cuda hwaccel decodes. Types from
 * nv-codec-headers; the library is only dlopen'ed. */
#include "nvidia.h"

#include <ffnvcodec/dynlink_cuda.h>
#include <ffnvcodec/dynlink_cuviddec.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    cudaVideoCodec codec;
    const char *name; /* as ffprobe names the codec */
    int bit_depth;
} decode_query;

static const decode_query queries[] = {
    {cudaVideoCodec_H264, "h264", 8},
    {cudaVideoCodec_HEVC, "hevc", 8},
    {cudaVideoCodec_HEVC, "hevc", 10},
    {cudaVideoCodec_HEVC, "hevc", 12},
    {cudaVideoCodec_VP9, "vp9", 8},
    {cudaVideoCodec_VP9, "vp9", 10},
    {cudaVideoCodec_AV1, "av1", 8},
    {cudaVideoCodec_AV1, "av1", 10},
    {cudaVideoCodec_MPEG2, "mpeg2video", 8},
    {cudaVideoCodec_MPEG4, "mpeg4", 8},
    {cudaVideoCodec_VC1, "vc1", 8},
    {cudaVideoCodec_VP8, "vp8", 8},
};

static void mark_all(nv_info *info, const char *why) {
    for (int i = 0; i < info->device_count; i++) {
        info->devices[i].decode_checked = 1;
        snprintf(info->devices[i].decode_error, sizeof info->devices[i].decode_error, "%s", why);
    }
}

static void query_device(tcuvidGetDecoderCaps *get_caps, const nv_cuda *cuda, nv_device *d) {
    void *ctx = nv_cuda_context(cuda, d->ordinal);
    d->decode_checked = 1;
    if (ctx == NULL) {
        snprintf(d->decode_error, sizeof d->decode_error, "cannot create a CUDA context on device %d", d->ordinal);
        return;
    }
    for (size_t q = 0; q < sizeof queries / sizeof queries[0] && d->decode_count < NV_MAX_DECODE; q++) {
        CUVIDDECODECAPS caps;
        memset(&caps, 0, sizeof caps);
        caps.eCodecType = queries[q].codec;
        caps.eChromaFormat = cudaVideoChromaFormat_420;
        caps.nBitDepthMinus8 = (unsigned)(queries[q].bit_depth - 8);
        if (get_caps(&caps) != CUDA_SUCCESS || !caps.bIsSupported) continue;
        nv_decode_cap *c = &d->decode[d->decode_count++];
        snprintf(c->codec, sizeof c->codec, "%s", queries[q].name);
        c->bit_depth = queries[q].bit_depth;
        c->max_width = (int)caps.nMaxWidth;
        c->max_height = (int)caps.nMaxHeight;
    }
    cuda->ctx_destroy(ctx);
}

void nv_query_nvdec(nv_info *info) {
    nv_cuda cuda;
    if (!info->cuda_available || info->device_count == 0) return;
    void *lib = dlopen("libnvcuvid.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        char why[256];
        snprintf(why, sizeof why, "cannot load libnvcuvid.so.1: %s", e ? e : "unknown dynamic loader error");
        mark_all(info, why);
        return;
    }
    tcuvidGetDecoderCaps *get_caps = (tcuvidGetDecoderCaps *)dlsym(lib, "cuvidGetDecoderCaps");
    if (get_caps == NULL) {
        mark_all(info, "libnvcuvid.so.1 lacks cuvidGetDecoderCaps");
    } else if (nv_cuda_open(&cuda) != 0) {
        mark_all(info, "libcuda.so.1 lacks the context calls");
    } else {
        for (int i = 0; i < info->device_count; i++) query_device(get_caps, &cuda, &info->devices[i]);
        nv_cuda_close(&cuda);
    }
    dlclose(lib);
}
