/* What nvidia.c, nvenc.c, nvdec.c and nvml.c gather before nvidia.c writes it as JSON.
 * Internal. Plain data without pointers: the CUDA part is filled in a child process and
 * copied back through a pipe byte for byte (see nvidia.c). */
#ifndef HWPROBE_NVIDIA_H
#define HWPROBE_NVIDIA_H

#define NV_MAX_DEVICES 16
#define NV_MAX_CODECS 4
#define NV_MAX_PROFILES 8
#define NV_MAX_DECODE 12

/* One NVENC codec as nvEncGetEncodeCaps describes it. */
typedef struct {
    char name[8];                    /* "h264", "hevc", "av1", "unknown" */
    char profiles[NV_MAX_PROFILES][16];
    int profile_count;
    int max_width, max_height;
    int max_b_frames;
    int ten_bit;                     /* NV_ENC_CAPS_SUPPORT_10BIT_ENCODE */
    int lookahead;                   /* NV_ENC_CAPS_SUPPORT_LOOKAHEAD */
} nv_encode_codec;

/* One NVDEC codec and bit depth (4:2:0) that cuvidGetDecoderCaps supports. */
typedef struct {
    char codec[12];                  /* ffprobe's names: "h264", "hevc", "vp9", "av1", "mpeg2video", ... */
    int bit_depth;
    int max_width, max_height;
} nv_decode_cap;

typedef struct {
    int ordinal;      /* CUDA device ordinal */
    char name[256];
    char bus_id[32];  /* "0000:01:00.0" from CUDA, empty when unknown */
    double utilization, temperature;
    int has_utilization, has_temperature;

    /* nvenc.c: an encode session was opened and queried (nvenc_checked), with what it
     * found, or why not. nvenc_verdict: "ok", "no_encoder" (the GPU has none), "busy"
     * (sessions exhausted) or "error". */
    int nvenc_checked;
    char nvenc_verdict[16];
    char nvenc_error[256];
    nv_encode_codec codecs[NV_MAX_CODECS];
    int codec_count;

    /* nvdec.c: decode caps from libnvcuvid (decode_checked), or why not. */
    int decode_checked;
    char decode_error[256];
    nv_decode_cap decode[NV_MAX_DECODE];
    int decode_count;

    /* nvml.c: encoder sessions in use and capacity (percent), when the driver tells. */
    int encoder_sessions, encoder_capacity;
    int has_encoder_sessions, has_encoder_capacity;
} nv_device;

typedef struct {
    int cuda_available;
    char cuda_error[512];      /* empty when CUDA works */
    char driver_version[96];   /* empty when unknown */
    nv_device devices[NV_MAX_DEVICES];
    int device_count;
    int nvml;
    int encode_library;        /* libnvidia-encode.so.1 loaded */
    char encode_library_error[512];
    char probe_error[256];     /* the child died or hung: what happened */
} nv_info;

/* nvidia.c: loads libcuda.so.1; fills CUDA availability, the driver version and devices. */
void nv_query_cuda(nv_info *info);
/* nvenc.c: per device, opens an NVENC session on a CUDA context and reads codecs and caps. */
void nv_query_nvenc(nv_info *info);
/* nvdec.c: per device, asks libnvcuvid which codecs and bit depths NVDEC decodes. */
void nv_query_nvdec(nv_info *info);
/* nvml.c: loads libnvidia-ml.so.1; fills nvml, the driver version and device metrics. */
void nv_query_nvml(nv_info *info);

/* cuda_context.c: the few libcuda entry points nvenc.c and nvdec.c share. */
typedef struct {
    void *lib;
    int (*device_get)(int *device, int ordinal);
    int (*ctx_create)(void **ctx, unsigned flags, int device);
    int (*ctx_destroy)(void *ctx);
    int (*ctx_pop)(void **ctx);
    int (*get_error_name)(int result, const char **name);
} nv_cuda;

/* Loads libcuda.so.1 (already initialised by nv_query_cuda). 0 on success. */
int nv_cuda_open(nv_cuda *cuda);
/* Creates a context on the device, current on this thread; NULL on failure. */
void *nv_cuda_context(const nv_cuda *cuda, int ordinal);
void nv_cuda_close(nv_cuda *cuda);

#endif
