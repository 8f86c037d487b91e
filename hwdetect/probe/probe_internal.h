/* Shared by the probe's source files; not part of the public API. */
#ifndef HWPROBE_INTERNAL_H
#define HWPROBE_INTERNAL_H

#include <stddef.h>

/* ---- json.c: a growable buffer that writes well-formed JSON ---- */

#define JB_MAX_DEPTH 16

/* A JSON writer. Commas are inserted automatically; `failed` is set (and all
 * further writes ignored) when memory runs out or nesting is too deep. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
    int depth;
    int count[JB_MAX_DEPTH]; /* values written so far at each nesting level */
    int after_key;           /* a key was just written: no comma before the value */
} jbuf;

void jb_init(jbuf *b);
/* Returns the finished string (caller frees), or NULL when writing failed. */
char *jb_finish(jbuf *b);
void jb_begin_object(jbuf *b);
void jb_end_object(jbuf *b);
void jb_begin_array(jbuf *b);
void jb_end_array(jbuf *b);
void jb_key(jbuf *b, const char *key);
/* Writes an escaped string, or null when `s` is NULL. Invalid UTF-8 becomes U+FFFD. */
void jb_string(jbuf *b, const char *s);
void jb_int(jbuf *b, long long v);
/* Writes a number, or null when `known` is false. */
void jb_double_or_null(jbuf *b, double v, int known);
void jb_bool(jbuf *b, int v);
void jb_null(jbuf *b);

/* ---- a list of render node paths, found by drm.c and opened by vaapi.c ---- */

typedef struct {
    char **paths;
    size_t count;
} hw_nodes;

void hw_nodes_add(hw_nodes *n, const char *path); /* ignores duplicates */
void hw_nodes_free(hw_nodes *n);

/* ---- one writer per section: each writes a single JSON value ---- */

void hw_write_cpu(jbuf *b);                      /* cpu.c */
void hw_write_encoders(jbuf *b);                 /* avcodec.c */
void hw_write_drm(jbuf *b, hw_nodes *nodes);     /* drm.c: also collects render nodes */
void hw_write_vaapi(jbuf *b, const hw_nodes *n); /* vaapi.c */
void hw_write_nvidia(jbuf *b);                   /* nvidia.c */
void hw_write_filters(jbuf *b);                  /* ffmpeg_build.c: null when libavfilter cannot be opened */
void hw_write_hwaccels(jbuf *b);                 /* ffmpeg_build.c */

#endif
