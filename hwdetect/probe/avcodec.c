/* Video encoders compiled into this libavcodec: proves the FFmpeg build, never the hardware. */
#include "probe_internal.h"

#include <libavcodec/avcodec.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void hw_write_encoders(jbuf *b) {
    const AVCodec *codec;
    void *opaque = NULL;
    size_t count = 0, cap = 0;
    const char **names = NULL;

    while ((codec = av_codec_iterate(&opaque)) != NULL) {
        if (!av_codec_is_encoder(codec) || codec->type != AVMEDIA_TYPE_VIDEO || codec->name == NULL)
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            const char **grown = realloc(names, ncap * sizeof *names);
            if (grown == NULL) break; /* report what we have rather than nothing */
            names = grown;
            cap = ncap;
        }
        names[count++] = codec->name; /* static strings owned by libavcodec */
    }
    if (count > 0) qsort(names, count, sizeof *names, by_name);

    jb_begin_array(b);
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0) continue;
        jb_string(b, names[i]);
    }
    jb_end_array(b);
    free(names);
}
