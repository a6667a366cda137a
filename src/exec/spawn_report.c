/* spawn_report.c - how a spawn's failure reaches pxinit (spawn.h).
 *
 * Owns the stage names and their exit codes, the messages on a spawn's own
 * report pipe (16 bytes: the pid, or a stage and errno), and the report pipe
 * that all CLONE_VM spawns share: fixed-size records naming the failed
 * process, read when that process is reaped (spawn_take_failure()), so that
 * no descriptor per spawn in flight is needed.
 */
#include "exec/spawn_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const stage_names[] = {
    [SPAWN_STAGE_FORK] = "fork",
    [SPAWN_STAGE_SETSID] = "setsid",
    [SPAWN_STAGE_FDS] = "set up file descriptors",
    [SPAWN_STAGE_CHDIR] = "change directory",
    [SPAWN_STAGE_LIMITS] = "set resource limits",
    [SPAWN_STAGE_NICE] = "set nice level",
    [SPAWN_STAGE_GROUPS] = "set groups",
    [SPAWN_STAGE_USER] = "set user",
    [SPAWN_STAGE_EXEC] = "execute",
    [SPAWN_STAGE_OOM_ADJUST] = "set OOMScoreAdjust=",
    [SPAWN_STAGE_NO_NEW_PRIVS] = "set NoNewPrivileges=",
    [SPAWN_STAGE_SETSCHEDULER] = "set CPU scheduling",
    [SPAWN_STAGE_IOPRIO] = "set I/O scheduling",
};

const char *spawn_stage_name(enum spawn_stage stage)
{
    if (stage >= SPAWN_STAGE_FORK && stage <= SPAWN_STAGE_IOPRIO)
        return stage_names[stage];
    return "start";
}

int spawn_exit_code(enum spawn_stage stage, int err, bool shell)
{
    if (stage == SPAWN_STAGE_EXEC && shell)
        return err == ENOENT ? 127 : 126;
    if (shell)
        return 126;
    switch (stage) {
    case SPAWN_STAGE_CHDIR:
        return SPAWN_EXIT_CHDIR;
    case SPAWN_STAGE_NICE:
        return SPAWN_EXIT_NICE;
    case SPAWN_STAGE_FDS:
        return SPAWN_EXIT_FDS;
    case SPAWN_STAGE_LIMITS:
        return SPAWN_EXIT_LIMITS;
    case SPAWN_STAGE_GROUPS:
        return SPAWN_EXIT_GROUP;
    case SPAWN_STAGE_USER:
        return SPAWN_EXIT_USER;
    case SPAWN_STAGE_SETSID:
        return SPAWN_EXIT_SETSID;
    case SPAWN_STAGE_OOM_ADJUST:
        return SPAWN_EXIT_OOM_ADJUST;
    case SPAWN_STAGE_NO_NEW_PRIVS:
        return SPAWN_EXIT_NO_NEW_PRIVILEGES;
    case SPAWN_STAGE_SETSCHEDULER:
        return SPAWN_EXIT_SETSCHEDULER;
    case SPAWN_STAGE_IOPRIO:
        return SPAWN_EXIT_IOPRIO;
    default:
        return SPAWN_EXIT_EXEC;
    }
}

/* Records on the shared report pipe: fixed-size, so every write (atomic,
 * being below PIPE_BUF) and every read of whole records moves whole ones. */
#define REPORT_WHAT (256 - sizeof(struct spawn_msg))
struct report_rec {
    struct spawn_msg m;
    char what[REPORT_WHAT];
};

/* The shared pipe, kept for pxinit's life once opened: records of spawns
 * before may still be in it. */
static int shared_r = -1, shared_w = -1;
static bool shared_tried;

int spawn_report_shared_fd(void)
{
    if (shared_tried)
        return shared_w;
    shared_tried = true;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    shared_r = pfd[0];
    shared_w = pfd[1];
    /* Room for many failures at once (a boot of broken units) before one is
     * reaped; best effort: a record that does not fit is lost, and the exit
     * status still tells the stage. */
    (void)fcntl(shared_w, F_SETPIPE_SZ, 1 << 20);
    return shared_w;
}

/* Runs in a child (after fork, before exec): async-signal-safe calls only. */
void spawn_report_write(const struct spawn_params *p, int fd, enum spawn_msg_kind kind,
                        enum spawn_stage stage, int err, pid_t pid)
{
    if (fd >= 0 && fd == shared_w) {
        /* Written by a service in its own memory; the pipe is non-blocking,
         * so a full one loses the record, never blocks. */
        struct report_rec r = {
            .m = {.kind = SPAWN_MSG_ERROR, .stage = stage, .err = err, .pid = getpid()}};
        if (p->what)
            strncat(r.what, p->what, sizeof(r.what) - 1);
        while (write(fd, &r, sizeof(r)) < 0 && errno == EINTR)
            ;
        return;
    }
    struct spawn_msg m = {.kind = kind, .stage = stage, .err = err, .pid = pid};
    /* One write of 16 bytes to a pipe is atomic. */
    while (write(fd, &m, sizeof(m)) < 0 && errno == EINTR)
        ;
}

/* Failure records taken from the shared pipe, until their process is reaped. */
#define REPORT_PENDING_MAX 4096
static struct report_rec *pending;
static size_t npending, pending_cap;

static void report_drain(void)
{
    if (shared_r < 0)
        return;
    while (npending < REPORT_PENDING_MAX) {
        if (npending == pending_cap) {
            size_t cap = pending_cap ? 2 * pending_cap : 16;
            struct report_rec *n = realloc(pending, cap * sizeof(*n));
            if (!n)
                return; /* left in the pipe for the next try */
            pending = n;
            pending_cap = cap;
        }
        ssize_t r = read(shared_r, pending + npending, (pending_cap - npending) * sizeof(*pending));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        npending += (size_t)r / sizeof(*pending);
    }
}

bool spawn_take_failure(pid_t pid, int *stage, int *err, char *what, size_t size)
{
    report_drain();
    for (size_t i = 0; i < npending; i++) {
        struct report_rec *r = &pending[i];
        if (r->m.pid != pid)
            continue;
        *stage = r->m.stage;
        *err = r->m.err;
        if (size) {
            size_t len = strnlen(r->what, sizeof(r->what));
            if (len >= size)
                len = size - 1;
            memcpy(what, r->what, len);
            what[len] = '\0';
        }
        pending[i] = pending[--npending];
        if (npending == 0 && pending_cap > 64) {
            free(pending);
            pending = NULL;
            pending_cap = 0;
        }
        return true;
    }
    return false;
}

int spawn_read_msg(int fd, struct spawn_msg *msg)
{
    for (;;) {
        ssize_t n = read(fd, msg, sizeof(*msg));
        if (n == (ssize_t)sizeof(*msg))
            return 1;
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0) {
            /* Writes of one message are atomic; a short one means a broken peer. */
            errno = EPROTO;
        }
        return -1;
    }
}
