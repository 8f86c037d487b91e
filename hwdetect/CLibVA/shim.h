/* libva core API plus the DRM display entry point (vaGetDisplayDRM). */
#include <va/va.h>
#include <va/va_drm.h>
