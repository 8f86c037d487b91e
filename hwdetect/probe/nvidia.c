/* NVIDIA driver libraries, loaded with dlopen so that the probe runs (and says why
 * not) on machines without them. No CUDA headers: the few entry points are declared here. */
#include "probe_internal.h"
#include "nvidia.h"

#include <dlfcn.h>
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

static void query_cuda(nv_info *info) {
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
    jb_end_object(b);
}

void hw_write_nvidia(jbuf *b) {
    nv_info *info = calloc(1, sizeof *info); /* about 20 KB: keep it off the stack */
    char encode_error[512] = "";
    void *encode;
    int have_encode;

    if (info == NULL) {
        b->failed = 1;
        return;
    }
    query_cuda(info);
    nv_query_nvml(info);
    encode = dlopen("libnvidia-encode.so.1", RTLD_NOW | RTLD_LOCAL);
    have_encode = encode != NULL;
    if (have_encode)
        dlclose(encode);
    else
        snprintf(encode_error, sizeof encode_error, "cannot load libnvidia-encode.so.1: %s", dl_reason());

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
    jb_bool(b, have_encode);
    jb_key(b, "encode_library_error");
    jb_string(b, have_encode ? NULL : encode_error);
    jb_key(b, "nvml");
    jb_bool(b, info->nvml);
    jb_end_object(b);
    free(info);
}
