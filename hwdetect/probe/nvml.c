/* NVML (libnvidia-ml.so.1): the driver's own version string, per-GPU utilisation and
 * temperature, and NVENC sessions in use and encoder capacity where the driver tells.
 * Declared here with plain C types; no NVIDIA headers needed. */
#include "nvidia.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    unsigned int gpu, memory; /* nvmlUtilization_t: percent over the last sample period */
} nvml_utilization;

typedef void *nvml_device; /* nvmlDevice_t is an opaque pointer */

typedef int (*nvml_void_fn)(void);
typedef int (*nvml_driver_version_fn)(char *version, unsigned int length);
typedef int (*nvml_by_index_fn)(unsigned int index, nvml_device *device);
typedef int (*nvml_by_bus_fn)(const char *bus_id, nvml_device *device);
typedef int (*nvml_utilization_fn)(nvml_device device, nvml_utilization *utilization);
typedef int (*nvml_temperature_fn)(nvml_device device, int sensor, unsigned int *celsius);
typedef int (*nvml_encoder_sessions_fn)(nvml_device device, unsigned int *count, void *sessions);
typedef int (*nvml_encoder_capacity_fn)(nvml_device device, int type, unsigned int *capacity);

#define NVML_TEMPERATURE_GPU 0
#define NVML_DRIVER_VERSION_LENGTH 80
#define NVML_ENCODER_QUERY_H264 0

void nv_query_nvml(nv_info *info) {
    void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return;
    nvml_void_fn init = (nvml_void_fn)dlsym(lib, "nvmlInit_v2");
    nvml_void_fn shutdown = (nvml_void_fn)dlsym(lib, "nvmlShutdown");
    nvml_driver_version_fn driver = (nvml_driver_version_fn)dlsym(lib, "nvmlSystemGetDriverVersion");
    nvml_by_index_fn by_index = (nvml_by_index_fn)dlsym(lib, "nvmlDeviceGetHandleByIndex_v2");
    nvml_by_bus_fn by_bus = (nvml_by_bus_fn)dlsym(lib, "nvmlDeviceGetHandleByPciBusId_v2");
    nvml_utilization_fn utilization = (nvml_utilization_fn)dlsym(lib, "nvmlDeviceGetUtilizationRates");
    nvml_temperature_fn temperature = (nvml_temperature_fn)dlsym(lib, "nvmlDeviceGetTemperature");
    nvml_encoder_sessions_fn sessions = (nvml_encoder_sessions_fn)dlsym(lib, "nvmlDeviceGetEncoderSessions");
    nvml_encoder_capacity_fn capacity = (nvml_encoder_capacity_fn)dlsym(lib, "nvmlDeviceGetEncoderCapacity");

    if (init == NULL || init() != 0) {
        dlclose(lib);
        return;
    }
    info->nvml = 1;

    char version[NVML_DRIVER_VERSION_LENGTH] = "";
    if (driver != NULL && driver(version, sizeof version) == 0 && version[0] != '\0') {
        version[sizeof version - 1] = '\0';
        snprintf(info->driver_version, sizeof info->driver_version, "%s", version); /* "550.54.14" */
    }

    for (int i = 0; i < info->device_count; i++) {
        nv_device *d = &info->devices[i];
        nvml_device handle = NULL;
        /* CUDA orders GPUs fastest first, NVML by PCI bus: match by bus id when we have it. */
        int found = d->bus_id[0] != '\0' && by_bus != NULL && by_bus(d->bus_id, &handle) == 0;
        if (!found) found = by_index != NULL && by_index((unsigned int)d->ordinal, &handle) == 0;
        if (!found) continue;
        nvml_utilization rates = {0, 0};
        unsigned int celsius = 0;
        if (utilization != NULL && utilization(handle, &rates) == 0) {
            d->utilization = rates.gpu;
            d->has_utilization = 1;
        }
        if (temperature != NULL && temperature(handle, NVML_TEMPERATURE_GPU, &celsius) == 0) {
            d->temperature = celsius;
            d->has_temperature = 1;
        }
        /* A count of 0 with no array asks only how many sessions run (NVML's documented form).
         * GPUs without NVENC answer NVML_ERROR_NOT_SUPPORTED: then both stay unknown. */
        unsigned int count = 0, percent = 0;
        if (sessions != NULL && sessions(handle, &count, NULL) == 0) {
            d->encoder_sessions = (int)count;
            d->has_encoder_sessions = 1;
        }
        if (capacity != NULL && capacity(handle, NVML_ENCODER_QUERY_H264, &percent) == 0) {
            d->encoder_capacity = (int)percent;
            d->has_encoder_capacity = 1;
        }
    }
    if (shutdown != NULL) shutdown();
    dlclose(lib);
}
