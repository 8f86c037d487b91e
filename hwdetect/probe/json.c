/* A tiny JSON writer: growable buffer, automatic commas, strict string escaping. */
#include "probe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jb_init(jbuf *b) { memset(b, 0, sizeof *b); }

char *jb_finish(jbuf *b) {
    if (b->failed || b->data == NULL) {
        free(b->data);
        b->data = NULL;
        return NULL;
    }
    return b->data;
}

static void put(jbuf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > cap) cap *= 2;
        char *data = realloc(b->data, cap);
        if (data == NULL) {
            b->failed = 1;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_(jbuf *b, const char *s) { put(b, s, strlen(s)); }

/* Called before every value and key: writes the separating comma if needed. */
static void separate(jbuf *b) {
    if (b->after_key) {
        b->after_key = 0;
        return;
    }
    if (b->count[b->depth]++ > 0) put(b, ",", 1);
}

static void open_(jbuf *b, const char *c) {
    separate(b);
    put(b, c, 1);
    if (b->depth + 1 >= JB_MAX_DEPTH) {
        b->failed = 1;
        return;
    }
    b->count[++b->depth] = 0;
}

static void close_(jbuf *b, const char *c) {
    if (b->depth > 0) b->depth--;
    put(b, c, 1);
}

void jb_begin_object(jbuf *b) { open_(b, "{"); }
void jb_end_object(jbuf *b) { close_(b, "}"); }
void jb_begin_array(jbuf *b) { open_(b, "["); }
void jb_end_array(jbuf *b) { close_(b, "]"); }

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is invalid. */
static int utf8_length(const unsigned char *s) {
    unsigned char c = s[0];
    int n;
    unsigned min;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

static void escaped(jbuf *b, const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    put(b, "\"", 1);
    while (*s) {
        unsigned char c = *s;
        char tmp[8];
        switch (c) {
        case '"': puts_(b, "\\\""); s++; continue;
        case '\\': puts_(b, "\\\\"); s++; continue;
        case '\n': puts_(b, "\\n"); s++; continue;
        case '\r': puts_(b, "\\r"); s++; continue;
        case '\t': puts_(b, "\\t"); s++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            puts_(b, tmp);
            s++;
            continue;
        }
        int n = utf8_length(s);
        if (n == 0) {
            puts_(b, "\\ufffd"); /* keep the output decodable whatever the source bytes */
            s++;
            continue;
        }
        put(b, (const char *)s, (size_t)n);
        s += n;
    }
    put(b, "\"", 1);
}

void jb_key(jbuf *b, const char *key) {
    separate(b);
    escaped(b, key);
    put(b, ":", 1);
    b->after_key = 1;
}

void jb_string(jbuf *b, const char *s) {
    if (s == NULL) {
        jb_null(b);
        return;
    }
    separate(b);
    escaped(b, s);
}

void jb_int(jbuf *b, long long v) {
    char tmp[32];
    separate(b);
    snprintf(tmp, sizeof tmp, "%lld", v);
    puts_(b, tmp);
}

void jb_double_or_null(jbuf *b, double v, int known) {
    char tmp[64];
    if (!known || v != v || v > 1e300 || v < -1e300) { /* NaN and infinities are not JSON */
        jb_null(b);
        return;
    }
    separate(b);
    snprintf(tmp, sizeof tmp, "%.15g", v);
    puts_(b, tmp);
}

void jb_bool(jbuf *b, int v) {
    separate(b);
    puts_(b, v ? "true" : "false");
}

void jb_null(jbuf *b) {
    separate(b);
    puts_(b, "null");
}
