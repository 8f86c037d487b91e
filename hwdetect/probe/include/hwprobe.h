#ifndef HWPROBE_H
#define HWPROBE_H

#ifdef __cplusplus
extern "C" {
#endif

/// Probes this machine (CPU, libavcodec encoders, DRM devices, VA-API displays,
/// NVIDIA driver libraries) and returns the inventory as a malloc'd UTF-8 JSON
/// object whose snake_case keys match TranscodeBackend's `HardwareInventory`.
/// Missing hardware is reported in the JSON, never as a failure. Returns NULL
/// only when memory runs out. Free the result with `hwprobe_free`.
char *hwprobe_inventory_json(void);

/// Frees a string returned by `hwprobe_inventory_json`. NULL is allowed.
void hwprobe_free(char *json);

#ifdef __cplusplus
}
#endif

#endif
