#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/// Result of one spawn: the child's pid and the read ends of its stdout and stderr pipes.
typedef struct {
    pid_t pid;
    int stdout_fd;
    int stderr_fd;
    /// 0 on success, else the errno of what failed (fork, pipe, or exec in the child).
    int error;
} cspawn_result;

/// Starts `path` with `argv` (NULL-terminated) from a thread that lives as long as the
/// process, so that the child's parent-death signal (SIGKILL) fires only when the whole
/// process dies. The child gets its own process group, stdin from /dev/null, and no
/// other inherited descriptors.
cspawn_result cspawn_spawn(const char *path, char *const argv[]);

/// Parent-death signal set in children; exposed for tests.
int cspawn_parent_death_signal(void);

#endif
