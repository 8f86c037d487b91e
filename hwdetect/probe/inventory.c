/* The public entry point: one JSON object with every section of the inventory. */
#include "hwprobe.h"
#include "probe_internal.h"

#include <stdlib.h>

char *hwprobe_inventory_json(void) {
    jbuf b;
    hw_nodes nodes = {0};

    jb_init(&b);
    jb_begin_object(&b);
    jb_key(&b, "cpu");
    hw_write_cpu(&b);
    jb_key(&b, "ffmpeg_encoders");
    hw_write_encoders(&b);
    jb_key(&b, "ffmpeg_filters");
    hw_write_filters(&b);
    jb_key(&b, "ffmpeg_hwaccels");
    hw_write_hwaccels(&b);
    jb_key(&b, "drm_devices");
    hw_write_drm(&b, &nodes);
    jb_key(&b, "vaapi");
    hw_write_vaapi(&b, &nodes);
    jb_key(&b, "nvidia");
    hw_write_nvidia(&b);
    jb_end_object(&b);

    hw_nodes_free(&nodes);
    return jb_finish(&b);
}

void hwprobe_free(char *json) { free(json); }
