/* DRM devices from libdrm: render node, PCI ids and kernel driver of each GPU. */
#include "probe_internal.h"

#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#define MAX_DEVICES 64

void hw_nodes_add(hw_nodes *n, const char *path) {
    for (size_t i = 0; i < n->count; i++)
        if (strcmp(n->paths[i], path) == 0) return;
    char **grown = realloc(n->paths, (n->count + 1) * sizeof *grown);
    if (grown == NULL) return;
    n->paths = grown;
    char *copy = strdup(path);
    if (copy == NULL) return;
    n->paths[n->count++] = copy;
}

void hw_nodes_free(hw_nodes *n) {
    for (size_t i = 0; i < n->count; i++) free(n->paths[i]);
    free(n->paths);
    n->paths = NULL;
    n->count = 0;
}

/* Kernel driver from sysfs (no device access needed): basename of
 * /sys/class/drm/<node>/device/driver. 1 when found. */
static int driver_from_sysfs(const char *node, char *out, size_t size) {
    char base[64], link[256], target[512];
    const char *slash = strrchr(node, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : node);
    snprintf(link, sizeof link, "/sys/class/drm/%s/device/driver", base);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return 0;
    target[n] = '\0';
    const char *name = strrchr(target, '/');
    name = name ? name + 1 : target;
    size_t len = strlen(name);
    if (len == 0 || len >= size) return 0;
    memcpy(out, name, len + 1);
    return 1;
}

/* Kernel driver from the DRM_IOCTL_VERSION of an opened node. 1 when found. */
static int driver_from_ioctl(const char *node, char *out, size_t size) {
    int fd = open(node, O_RDWR | O_CLOEXEC);
    int found = 0;
    if (fd < 0) return 0;
    drmVersionPtr version = drmGetVersion(fd);
    if (version != NULL) {
        if (version->name != NULL && version->name_len > 0) {
            snprintf(out, size, "%.*s", version->name_len, version->name);
            found = 1;
        }
        drmFreeVersion(version);
    }
    close(fd);
    return found;
}

static void write_device(jbuf *b, drmDevicePtr dev, hw_nodes *nodes) {
    const char *render = NULL, *any = NULL;
    char driver[128];
    int have_driver = 0;

    if (dev->available_nodes & (1 << DRM_NODE_RENDER)) render = dev->nodes[DRM_NODE_RENDER];
    for (int t = 0; t < DRM_NODE_MAX && any == NULL; t++)
        if (dev->available_nodes & (1 << t)) any = dev->nodes[t];
    if (render != NULL) hw_nodes_add(nodes, render);
    if (any != NULL) {
        const char *node = render ? render : any;
        have_driver = driver_from_sysfs(node, driver, sizeof driver) ||
                      driver_from_ioctl(node, driver, sizeof driver);
    }

    int pci = dev->bustype == DRM_BUS_PCI && dev->deviceinfo.pci != NULL;
    jb_begin_object(b);
    jb_key(b, "render_node");
    jb_string(b, render);
    jb_key(b, "vendor_id");
    if (pci) jb_int(b, dev->deviceinfo.pci->vendor_id); else jb_null(b);
    jb_key(b, "device_id");
    if (pci) jb_int(b, dev->deviceinfo.pci->device_id); else jb_null(b);
    jb_key(b, "driver");
    jb_string(b, have_driver ? driver : NULL);
    jb_end_object(b);
}

/* Render nodes that exist even though libdrm listed none (e.g. a restricted sysfs). */
static void glob_render_nodes(hw_nodes *nodes) {
    glob_t g;
    if (glob("/dev/dri/renderD*", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) hw_nodes_add(nodes, g.gl_pathv[i]);
    }
    globfree(&g);
}

void hw_write_drm(jbuf *b, hw_nodes *nodes) {
    drmDevicePtr devices[MAX_DEVICES];
    /* No GPU: libdrm answers -ENOENT (or 0). Either way the list is empty. */
    int count = drmGetDevices2(0, devices, MAX_DEVICES);
    /* libdrm counts every device but fills at most MAX_DEVICES entries. */
    if (count > MAX_DEVICES) count = MAX_DEVICES;

    jb_begin_array(b);
    for (int i = 0; i < count; i++) write_device(b, devices[i], nodes);
    jb_end_array(b);
    if (count > 0) drmFreeDevices(devices, count);
    if (nodes->count == 0) glob_render_nodes(nodes);
}
