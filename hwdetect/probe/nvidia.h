/* What nvidia.c and nvml.c gather before nvidia.c writes it as JSON. Internal. */
#ifndef HWPROBE_NVIDIA_H
#define HWPROBE_NVIDIA_H

#define NV_MAX_DEVICES 64

typedef struct {
    int ordinal;      /* CUDA device ordinal */
    char name[256];
    char bus_id[32];  /* "0000:01:00.0" from CUDA, empty when unknown */
    double utilization, temperature;
    int has_utilization, has_temperature;
} nv_device;

typedef struct {
    int cuda_available;
    char cuda_error[512];      /* empty when CUDA works */
    char driver_version[96];   /* empty when unknown */
    nv_device devices[NV_MAX_DEVICES];
    int device_count;
    int nvml;
} nv_info;

/* nvml.c: loads libnvidia-ml.so.1; fills nvml, the driver version and device metrics. */
void nv_query_nvml(nv_info *info);

#endif
