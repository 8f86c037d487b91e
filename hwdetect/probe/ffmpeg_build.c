/* Filters and hardware device types of the FFmpeg build: vendor-neutral facts that
 * backend manifests require ("hwupload", "qsv"). */
#include "probe_internal.h"

#include <dlfcn.h>
#include <libavutil/hwcontext.h>
#include <stdlib.h>
#include <string.h>

void hw_write_hwaccels(jbuf *b) {
    enum AVHWDeviceType type = AV_HWDEVICE_TYPE_NONE;
    jb_begin_array(b);
    while ((type = av_hwdevice_iterate_types(type)) != AV_HWDEVICE_TYPE_NONE)
        jb_string(b, av_hwdevice_get_type_name(type));
    jb_end_array(b);
}

/* libavfilter is opened with dlopen so that hwdetect builds without its headers (Debian
 * ships libavfilter-dev separately). av_filter_iterate has been stable since FFmpeg 4.0, and
 * every AVFilter begins with `const char *name`. Not found: null (unknown), never a guess. */
typedef const void *(*iterate_fn)(void **opaque);

static int by_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void hw_write_filters(jbuf *b) {
    static const char *const libraries[] = {"libavfilter.so.8", "libavfilter.so.9", "libavfilter.so.10", "libavfilter.so.7", "libavfilter.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof libraries / sizeof *libraries && handle == NULL; i++)
        handle = dlopen(libraries[i], RTLD_NOW | RTLD_LOCAL);
    iterate_fn iterate = handle ? (iterate_fn)dlsym(handle, "av_filter_iterate") : NULL;
    if (iterate == NULL) {
        jb_null(b);
        return; /* the handle stays open: filter names point into the library */
    }
    size_t count = 0, cap = 0;
    const char **names = NULL;
    const void *filter;
    void *opaque = NULL;
    while ((filter = iterate(&opaque)) != NULL) {
        const char *name = *(const char *const *)filter;
        if (name == NULL) continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 128;
            const char **grown = realloc(names, ncap * sizeof *names);
            if (grown == NULL) break;
            names = grown;
            cap = ncap;
        }
        names[count++] = name;
    }
    if (count > 0) qsort(names, count, sizeof *names, by_name);
    jb_begin_array(b);
    for (size_t i = 0; i < count; i++) jb_string(b, names[i]);
    jb_end_array(b);
    free(names);
}
