#define _GNU_SOURCE
#include "cspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits. Swift's
// cooperative pool may retire threads, so every fork happens on one dedicated thread
// that never exits.

typedef struct {
    const char *path;
    char *const *argv;
    cspawn_result result;
    int done;
} spawn_request;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t request_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t request_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t caller_lock = PTHREAD_MUTEX_INITIALIZER;
static spawn_request *pending = NULL;
static pthread_once_t started = PTHREAD_ONCE_INIT;

int cspawn_parent_death_signal(void) { return SIGKILL; }

static void close_inherited(int keep_max) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, keep_max + 1, ~0U, 0) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = keep_max + 1; fd < max && fd < 65536; fd++) close(fd);
}

static void do_spawn(spawn_request *req) {
    int out[2], err[2], status[2];
    req->result = (cspawn_result){ .pid = -1, .stdout_fd = -1, .stderr_fd = -1, .error = 0 };
    if (pipe2(out, O_CLOEXEC) != 0) { req->result.error = errno; return; }
    if (pipe2(err, O_CLOEXEC) != 0) { req->result.error = errno; close(out[0]); close(out[1]); return; }
    if (pipe2(status, O_CLOEXEC) != 0) {
        req->result.error = errno;
        close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        return;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        // Child: only async-signal-safe calls from here to exec.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) { dup2(devnull, 0); }
        dup2(out[1], 1);
        dup2(err[1], 2);
        dup2(status[1], 3);
        fcntl(3, F_SETFD, FD_CLOEXEC);
        close_inherited(3);
        execv(req->path, req->argv);
        int e = errno;
        ssize_t ignored = write(3, &e, sizeof e);
        (void)ignored;
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    close(status[1]);
    if (pid < 0) {
        req->result.error = errno;
        close(out[0]); close(err[0]); close(status[0]);
        return;
    }
    int child_errno = 0;
    ssize_t n;
    do { n = read(status[0], &child_errno, sizeof child_errno); } while (n < 0 && errno == EINTR);
    close(status[0]);
    if (n == (ssize_t)sizeof child_errno) {
        // exec failed: the child has exited; the caller reaps it.
        req->result = (cspawn_result){ .pid = pid, .stdout_fd = -1, .stderr_fd = -1, .error = child_errno };
        close(out[0]); close(err[0]);
        return;
    }
    req->result = (cspawn_result){ .pid = pid, .stdout_fd = out[0], .stderr_fd = err[0], .error = 0 };
}

static void *spawner_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (pending == NULL) pthread_cond_wait(&request_ready, &lock);
        spawn_request *req = pending;
        pending = NULL;
        do_spawn(req);
        req->done = 1;
        pthread_cond_broadcast(&request_done);
    }
    return NULL;
}

static void start_spawner(void) {
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&thread, &attr, spawner_main, NULL);
    pthread_attr_destroy(&attr);
}

cspawn_result cspawn_spawn(const char *path, char *const argv[]) {
    pthread_once(&started, start_spawner);
    spawn_request req = { .path = path, .argv = argv, .done = 0 };
    pthread_mutex_lock(&caller_lock);  // one request at a time
    pthread_mutex_lock(&lock);
    pending = &req;
    pthread_cond_signal(&request_ready);
    while (!req.done) pthread_cond_wait(&request_done, &lock);
    pthread_mutex_unlock(&lock);
    pthread_mutex_unlock(&caller_lock);
    return req.result;
}
