/* VA-API: open each render node, initialise a display and list the codecs it can encode. */
#include "probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <va/va.h>
#include <va/va_drm.h>

enum { CODEC_H264, CODEC_HEVC, CODEC_AV1, CODEC_VP9, CODEC_COUNT };
static const char *const codec_names[CODEC_COUNT] = {"h264", "hevc", "av1", "vp9"};

/* The codec a profile belongs to, or -1 for codecs the inventory does not track. */
static int codec_of(VAProfile p) {
    switch (p) {
    case VAProfileH264Main: case VAProfileH264High: case VAProfileH264ConstrainedBaseline:
    case VAProfileH264MultiviewHigh: case VAProfileH264StereoHigh:
        return CODEC_H264;
    case VAProfileHEVCMain: case VAProfileHEVCMain10:
#if VA_CHECK_VERSION(1, 2, 0)
    case VAProfileHEVCMain12: case VAProfileHEVCMain422_10: case VAProfileHEVCMain422_12:
    case VAProfileHEVCMain444: case VAProfileHEVCMain444_10: case VAProfileHEVCMain444_12:
#endif
#if VA_CHECK_VERSION(1, 8, 0)
    case VAProfileHEVCSccMain: case VAProfileHEVCSccMain10: case VAProfileHEVCSccMain444:
    case VAProfileHEVCSccMain444_10:
#endif
        return CODEC_HEVC;
#if VA_CHECK_VERSION(1, 8, 0)
    case VAProfileAV1Profile0: case VAProfileAV1Profile1:
        return CODEC_AV1;
#endif
    case VAProfileVP9Profile0: case VAProfileVP9Profile1: case VAProfileVP9Profile2:
    case VAProfileVP9Profile3:
        return CODEC_VP9;
    default:
        return -1;
    }
}

/* libva prints driver search and init messages to stderr by default; the
 * inventory already carries what matters, so keep stdout/stderr clean. */
static void quiet(void *context, const char *message) {
    (void)context;
    (void)message;
}

/* Marks in `encodable` each codec that has an encode entrypoint on some profile;
 * on failure describes it in `error`. */
static void query_codecs(VADisplay dpy, const char *node, int encodable[CODEC_COUNT],
                         char *error, size_t size) {
    int max_profiles = vaMaxNumProfiles(dpy), max_entry = vaMaxNumEntrypoints(dpy), nprofiles = 0;
    if (max_profiles <= 0 || max_entry <= 0) return; /* a display with nothing to offer */
    VAProfile *profiles = calloc((size_t)max_profiles, sizeof *profiles);
    VAEntrypoint *entries = calloc((size_t)max_entry, sizeof *entries);
    VAStatus status;
    if (profiles == NULL || entries == NULL) {
        snprintf(error, size, "out of memory while querying %s", node);
        goto done;
    }
    status = vaQueryConfigProfiles(dpy, profiles, &nprofiles);
    if (status != VA_STATUS_SUCCESS) {
        snprintf(error, size, "vaQueryConfigProfiles failed on %s: %s", node, vaErrorStr(status));
        goto done;
    }
    for (int i = 0; i < nprofiles && i < max_profiles; i++) {
        int codec = codec_of(profiles[i]), nentries = 0;
        if (codec < 0 || encodable[codec]) continue;
        if (vaQueryConfigEntrypoints(dpy, profiles[i], entries, &nentries) != VA_STATUS_SUCCESS)
            continue; /* one unsupported profile says nothing about the others */
        for (int e = 0; e < nentries && e < max_entry; e++)
            if (entries[e] == VAEntrypointEncSlice || entries[e] == VAEntrypointEncSliceLP)
                encodable[codec] = 1;
    }
done:
    free(profiles);
    free(entries);
}

static void write_node(jbuf *b, const char *node) {
    char error[512] = "", vendor[256] = "";
    int encodable[CODEC_COUNT] = {0}, have_vendor = 0;
    int fd = open(node, O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        snprintf(error, sizeof error, "cannot open %s: %s", node, strerror(errno));
    } else {
        VADisplay dpy = vaGetDisplayDRM(fd);
        if (dpy == NULL) {
            snprintf(error, sizeof error, "vaGetDisplayDRM found no VA display on %s", node);
        } else {
            int major = 0, minor = 0;
            vaSetErrorCallback(dpy, quiet, NULL);
            vaSetInfoCallback(dpy, quiet, NULL);
            VAStatus status = vaInitialize(dpy, &major, &minor);
            if (status != VA_STATUS_SUCCESS) {
                snprintf(error, sizeof error, "vaInitialize failed on %s: %s", node, vaErrorStr(status));
            } else {
                const char *v = vaQueryVendorString(dpy);
                if (v != NULL) {
                    snprintf(vendor, sizeof vendor, "%s", v); /* owned by the display */
                    have_vendor = 1;
                }
                query_codecs(dpy, node, encodable, error, sizeof error);
            }
            vaTerminate(dpy); /* also frees a display whose initialisation failed */
        }
        close(fd);
    }

    jb_begin_object(b);
    jb_key(b, "render_node");
    jb_string(b, node);
    jb_key(b, "vendor");
    jb_string(b, have_vendor ? vendor : NULL);
    jb_key(b, "encode_codecs");
    jb_begin_array(b);
    for (int c = 0; c < CODEC_COUNT; c++)
        if (encodable[c]) jb_string(b, codec_names[c]);
    jb_end_array(b);
    jb_key(b, "error");
    jb_string(b, error[0] ? error : NULL);
    jb_end_object(b);
}

void hw_write_vaapi(jbuf *b, const hw_nodes *nodes) {
    jb_begin_array(b);
    for (size_t i = 0; i < nodes->count; i++) write_node(b, nodes->paths[i]);
    jb_end_array(b);
}
