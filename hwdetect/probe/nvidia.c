/* NVIDIA driver libraries, loaded with dlopen so that the probe runs (and says why
 * not) on machines without them. No CUDA headers: the few entry points are declared here.
 *
 * Everything that touches CUDA (devices, NVENC sessions, NVDEC caps) runs in a forked
 * child, as OBS probes NVENC: a driver that crashes or hangs takes the child, and the
 * inventory says so. The child must be forked before anything here initialises CUDA,
 * which does not survive a fork. */
#include "probe_internal.h"
#include "nvidia.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CUresult is an int-sized enum and CUdevice an int. */
typedef int (*cu_init_fn)(unsigned flags);
typedef int (*cu_driver_get_version_fn)(int *version);
typedef int (*cu_device_get_count_fn)(int *count);
typedef int (*cu_device_get_fn)(int *device, int ordinal);
typedef int (*cu_device_get_name_fn)(char *name, int len, int device);
typedef int (*cu_device_get_pci_bus_id_fn)(char *bus_id, int len, int device);
typedef int (*cu_get_error_fn)(int result, const char **text);

static const char *dl_reason(void) {
    const char *e = dlerror();
    return e ? e : "unknown dynamic loader error";
}

/* "cuInit failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)". */
static void cuda_failure(nv_info *info, void *lib, const char *call, int result) {
    cu_get_error_fn get_name = (cu_get_error_fn)dlsym(lib, "cuGetErrorName");
    cu_get_error_fn get_text = (cu_get_error_fn)dlsym(lib, "cuGetErrorString");
    const char *name = NULL, *text = NULL;
    if (get_name == NULL || get_name(result, &name) != 0) name = NULL;
    if (get_text == NULL || get_text(result, &text) != 0) text = NULL;
    if (name != NULL && text != NULL)
        snprintf(info->cuda_error, sizeof info->cuda_error, "%s failed: %s (%s)", call, name, text);
    else
        snprintf(info->cuda_error, sizeof info->cuda_error, "%s failed with CUDA error %d", call, result);
}

void nv_query_cuda(nv_info *info) {
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(info->cuda_error, sizeof info->cuda_error, "cannot load libcuda.so.1: %s", dl_reason());
        return;
    }
    cu_init_fn init = (cu_init_fn)dlsym(lib, "cuInit");
    cu_driver_get_version_fn version = (cu_driver_get_version_fn)dlsym(lib, "cuDriverGetVersion");
    cu_device_get_count_fn get_count = (cu_device_get_count_fn)dlsym(lib, "cuDeviceGetCount");
    cu_device_get_fn get_device = (cu_device_get_fn)dlsym(lib, "cuDeviceGet");
    cu_device_get_name_fn get_name = (cu_device_get_name_fn)dlsym(lib, "cuDeviceGetName");
    cu_device_get_pci_bus_id_fn get_bus = (cu_device_get_pci_bus_id_fn)dlsym(lib, "cuDeviceGetPCIBusId");
    int result, count = 0, v = 0;

    if (!init || !get_count || !get_device || !get_name) {
        snprintf(info->cuda_error, sizeof info->cuda_error,
                 "libcuda.so.1 lacks cuInit, cuDeviceGetCount, cuDeviceGet or cuDeviceGetName");
        goto done;
    }
    if ((result = init(0)) != 0) {
        cuda_failure(info, lib, "cuInit", result);
        goto done;
    }
    if (version != NULL && version(&v) == 0 && v > 0) /* 12040 -> "12.4" */
        snprintf(info->driver_version, sizeof info->driver_version, "%d.%d", v / 1000, (v % 1000) / 10);
    if ((result = get_count(&count)) != 0) {
        cuda_failure(info, lib, "cuDeviceGetCount", result);
        goto done;
    }
    info->cuda_available = 1;
    for (int i = 0; i < count && info->device_count < NV_MAX_DEVICES; i++) {
        nv_device *d = &info->devices[info->device_count];
        int dev = 0;
        memset(d, 0, sizeof *d);
        if (get_device(&dev, i) != 0) continue;
        d->ordinal = i;
        if (get_name(d->name, (int)sizeof d->name, dev) != 0) snprintf(d->name, sizeof d->name, "unknown");
        d->name[sizeof d->name - 1] = '\0';
        if (get_bus == NULL || get_bus(d->bus_id, (int)sizeof d->bus_id, dev) != 0) d->bus_id[0] = '\0';
        d->bus_id[sizeof d->bus_id - 1] = '\0';
        info->device_count++;
    }
done:
    dlclose(lib);
}

/* Stages the child reports, each by writing the whole nv_info again. */
enum { STAGE_CUDA = 1, STAGE_NVENC, STAGE_NVDEC };
#define CHILD_TIMEOUT_MS 30000

static int write_all(int fd, const void *data, size_t size) {
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

static void query_in_process(nv_info *info) {
    nv_query_cuda(info);
    nv_query_nvenc(info);
    nv_query_nvdec(info);
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Says what the child's death cost: CUDA itself, or only the NVENC or NVDEC answers. */
static void note_lost_stage(nv_info *info, int stages, const char *what) {
    snprintf(info->probe_error, sizeof info->probe_error, "the NVIDIA probe child %s", what);
    if (stages < STAGE_CUDA) {
        snprintf(info->cuda_error, sizeof info->cuda_error, "the CUDA probe %s", what);
        return;
    }
    for (int i = 0; i < info->device_count; i++) {
        nv_device *d = &info->devices[i];
        if (stages < STAGE_NVENC) {
            d->nvenc_checked = 1;
            snprintf(d->nvenc_verdict, sizeof d->nvenc_verdict, "error");
            snprintf(d->nvenc_error, sizeof d->nvenc_error, "the NVENC probe %s", what);
        }
        d->decode_checked = 1;
        snprintf(d->decode_error, sizeof d->decode_error, "the NVDEC probe %s", what);
    }
}

/* Runs the CUDA, NVENC and NVDEC queries in a child and copies its answers back. */
static void query_isolated(nv_info *info) {
    int fds[2];
    if (pipe(fds) != 0) {
        query_in_process(info);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        query_in_process(info);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        nv_query_cuda(info);
        if (write_all(fds[1], info, sizeof *info) != 0) _exit(1);
        nv_query_nvenc(info);
        if (write_all(fds[1], info, sizeof *info) != 0) _exit(1);
        nv_query_nvdec(info);
        if (write_all(fds[1], info, sizeof *info) != 0) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    nv_info *snapshot = malloc(sizeof *snapshot);
    size_t got = 0;
    int stages = 0, timed_out = 0, status = 0;
    long long deadline = now_ms() + CHILD_TIMEOUT_MS;
    while (snapshot != NULL) {
        long long left = deadline - now_ms();
        struct pollfd p = {fds[0], POLLIN, 0};
        int ready = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            timed_out = 1;
            kill(pid, SIGKILL);
            break;
        }
        ssize_t n = read(fds[0], (char *)snapshot + got, sizeof *snapshot - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
        if (got == sizeof *snapshot) {
            memcpy(info, snapshot, sizeof *info);
            stages++;
            got = 0;
        }
    }
    free(snapshot);
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (stages >= STAGE_NVDEC) return;
    char what[128];
    if (timed_out)
        snprintf(what, sizeof what, "gave no answer within %d s and was killed", CHILD_TIMEOUT_MS / 1000);
    else if (WIFSIGNALED(status))
        snprintf(what, sizeof what, "crashed with signal %d", WTERMSIG(status));
    else
        snprintf(what, sizeof what, "exited early with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    note_lost_stage(info, stages, what);
}

static void write_encode_codec(jbuf *b, const nv_encode_codec *c) {
    jb_begin_object(b);
    jb_key(b, "name");
    jb_string(b, c->name);
    jb_key(b, "profiles");
    jb_begin_array(b);
    for (int i = 0; i < c->profile_count; i++) jb_string(b, c->profiles[i]);
    jb_end_array(b);
    jb_key(b, "max_width");
    jb_int(b, c->max_width);
    jb_key(b, "max_height");
    jb_int(b, c->max_height);
    jb_key(b, "max_b_frames");
    jb_int(b, c->max_b_frames);
    jb_key(b, "ten_bit");
    jb_bool(b, c->ten_bit);
    jb_key(b, "lookahead");
    jb_bool(b, c->lookahead);
    jb_end_object(b);
}

static void write_nvenc(jbuf *b, const nv_device *d) {
    if (!d->nvenc_checked) {
        jb_null(b);
        return;
    }
    jb_begin_object(b);
    jb_key(b, "verdict");
    jb_string(b, d->nvenc_verdict);
    jb_key(b, "error");
    jb_string(b, d->nvenc_error[0] ? d->nvenc_error : NULL);
    jb_key(b, "codecs");
    jb_begin_array(b);
    for (int i = 0; i < d->codec_count; i++) write_encode_codec(b, &d->codecs[i]);
    jb_end_array(b);
    jb_end_object(b);
}

static void write_nvdec(jbuf *b, const nv_device *d) {
    if (!d->decode_checked) {
        jb_null(b);
        return;
    }
    jb_begin_object(b);
    jb_key(b, "error");
    jb_string(b, d->decode_error[0] ? d->decode_error : NULL);
    jb_key(b, "codecs");
    jb_begin_array(b);
    for (int i = 0; i < d->decode_count; i++) {
        const nv_decode_cap *c = &d->decode[i];
        jb_begin_object(b);
        jb_key(b, "codec");
        jb_string(b, c->codec);
        jb_key(b, "bit_depth");
        jb_int(b, c->bit_depth);
        jb_key(b, "max_width");
        jb_int(b, c->max_width);
        jb_key(b, "max_height");
        jb_int(b, c->max_height);
        jb_end_object(b);
    }
    jb_end_array(b);
    jb_end_object(b);
}

static void write_device(jbuf *b, const nv_device *d) {
    jb_begin_object(b);
    jb_key(b, "index");
    jb_int(b, d->ordinal);
    jb_key(b, "name");
    jb_string(b, d->name);
    jb_key(b, "utilization");
    jb_double_or_null(b, d->utilization, d->has_utilization);
    jb_key(b, "temperature");
    jb_double_or_null(b, d->temperature, d->has_temperature);
    jb_key(b, "encoder_sessions");
    jb_double_or_null(b, d->encoder_sessions, d->has_encoder_sessions);
    jb_key(b, "encoder_capacity");
    jb_double_or_null(b, d->encoder_capacity, d->has_encoder_capacity);
    jb_key(b, "nvenc");
    write_nvenc(b, d);
    jb_key(b, "nvdec");
    write_nvdec(b, d);
    jb_end_object(b);
}

void hw_write_nvidia(jbuf *b) {
    nv_info *info = calloc(1, sizeof *info); /* about 30 KB: keep it off the stack */

    if (info == NULL) {
        b->failed = 1;
        return;
    }
    query_isolated(info);
    nv_query_nvml(info);

    jb_begin_object(b);
    jb_key(b, "cuda_available");
    jb_bool(b, info->cuda_available);
    jb_key(b, "cuda_error");
    jb_string(b, info->cuda_available ? NULL : info->cuda_error);
    jb_key(b, "driver_version");
    jb_string(b, info->driver_version[0] ? info->driver_version : NULL);
    jb_key(b, "devices");
    jb_begin_array(b);
    for (int i = 0; i < info->device_count; i++) write_device(b, &info->devices[i]);
    jb_end_array(b);
    jb_key(b, "encode_library");
    jb_bool(b, info->encode_library);
    jb_key(b, "encode_library_error");
    jb_string(b, info->encode_library || !info->encode_library_error[0] ? NULL : info->encode_library_error);
    jb_key(b, "nvml");
    jb_bool(b, info->nvml);
    jb_key(b, "probe_error");
    jb_string(b, info->probe_error[0] ? info->probe_error : NULL);
    jb_end_object(b);
    free(info);
}
