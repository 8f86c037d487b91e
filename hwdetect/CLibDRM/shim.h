/* libdrm device enumeration (drmGetDevices2, drmGetVersion). */
#include <xf86drm.h>
