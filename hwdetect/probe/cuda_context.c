/* The libcuda entry points that the NVENC and NVDEC queries share: both need a CUDA
 * context on each GPU. Declared with plain C types; libcuda is reached only by dlopen. */
#include "nvidia.h"

#include <dlfcn.h>
#include <string.h>

int nv_cuda_open(nv_cuda *cuda) {
    memset(cuda, 0, sizeof *cuda);
    cuda->lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (cuda->lib == NULL) return -1;
    cuda->device_get = (int (*)(int *, int))dlsym(cuda->lib, "cuDeviceGet");
    cuda->ctx_create = (int (*)(void **, unsigned, int))dlsym(cuda->lib, "cuCtxCreate_v2");
    cuda->ctx_destroy = (int (*)(void *))dlsym(cuda->lib, "cuCtxDestroy_v2");
    cuda->ctx_pop = (int (*)(void **))dlsym(cuda->lib, "cuCtxPopCurrent_v2");
    cuda->get_error_name = (int (*)(int, const char **))dlsym(cuda->lib, "cuGetErrorName");
    if (!cuda->device_get || !cuda->ctx_create || !cuda->ctx_destroy) {
        nv_cuda_close(cuda);
        return -1;
    }
    return 0;
}

void *nv_cuda_context(const nv_cuda *cuda, int ordinal) {
    int device = 0;
    void *ctx = NULL;
    if (cuda->device_get(&device, ordinal) != 0) return NULL;
    if (cuda->ctx_create(&ctx, 0, device) != 0) return NULL;
    return ctx;
}

void nv_cuda_close(nv_cuda *cuda) {
    if (cuda->lib != NULL) dlclose(cuda->lib);
    memset(cuda, 0, sizeof *cuda);
}
