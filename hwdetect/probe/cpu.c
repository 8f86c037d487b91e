/* CPU model from /proc/cpuinfo and the number of online hardware threads. */
#include "probe_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies the value of the first "<field> : value" line into out; 1 when found. */
static int cpuinfo_field(const char *field, char *out, size_t size) {
    FILE *f = fopen("/proc/cpuinfo", "re");
    char line[512];
    size_t flen = strlen(field);
    int found = 0;
    if (f == NULL) return 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, field, flen) != 0) continue;
        char *p = line + flen;
        while (*p == ' ' || *p == '\t') p++;
        if (*p != ':') continue; /* "model" must not match "model name" */
        p++;
        while (*p == ' ' || *p == '\t') p++;
        size_t n = strcspn(p, "\n");
        while (n > 0 && isspace((unsigned char)p[n - 1])) n--;
        if (n == 0) continue;
        if (n >= size) n = size - 1;
        memcpy(out, p, n);
        out[n] = '\0';
        found = 1;
    }
    fclose(f);
    return found;
}

void hw_write_cpu(jbuf *b) {
    char model[256];
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    /* x86 says "model name"; some ARM kernels only give "Hardware" or "Processor". */
    if (!cpuinfo_field("model name", model, sizeof model) &&
        !cpuinfo_field("Hardware", model, sizeof model) &&
        !cpuinfo_field("Processor", model, sizeof model))
        snprintf(model, sizeof model, "unknown");
    jb_begin_object(b);
    jb_key(b, "model");
    jb_string(b, model);
    jb_key(b, "threads");
    jb_int(b, threads > 0 ? threads : 1);
    jb_end_object(b);
}
