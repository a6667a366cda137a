/* exec_sched.c - scheduling and OOM settings in the child before exec, and
 * the container cases systemd lets pass (exec_sched.h). No allocation, no
 * stdio: this runs between fork (or clone) and exec. */
#include "exec/exec_sched.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

struct exec_sched exec_sched_of(const struct unit_exec *x)
{
    struct exec_sched s = {
        .nice = x->nice,
        .nice_set = x->nice_set,
        .oom_score_adjust = x->oom_score_adjust,
        .oom_score_adjust_set = x->oom_score_adjust_set,
        .cpu_set = x->cpu_sched_set,
        .cpu_policy = x->cpu_sched_policy,
        .cpu_priority = x->cpu_sched_priority,
        .cpu_reset_on_fork = x->cpu_sched_reset_on_fork,
        .ioprio_set = x->ioprio_set,
    };
    /* Real-time policies take 1..99, the others only 0 (systemd clamps
     * the same way). */
    if (s.cpu_policy == SCHED_FIFO || s.cpu_policy == SCHED_RR)
        s.cpu_priority = s.cpu_priority < 1 ? 1 : s.cpu_priority > 99 ? 99 : s.cpu_priority;
    else
        s.cpu_priority = 0;
    s.ioprio = x->ioprio_class << IOPRIO_CLASS_SHIFT | x->ioprio_level;
    return s;
}

/* Decimal digits by hand: snprintf is not async-signal-safe. */
static int write_oom_score_adjust(int value)
{
    char buf[16], *p = buf + sizeof(buf);
    unsigned v = value < 0 ? (unsigned)-value : (unsigned)value;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (value < 0)
        *--p = '-';
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, p, (size_t)(buf + sizeof(buf) - p));
    int saved = errno;
    close(fd);
    errno = saved;
    return n < 0 ? -1 : 0;
}

/* The lowest nice level RLIMIT_NICE lets an unprivileged process reach
 * (setrlimit(2): 20 - rlim_cur). */
static int nice_floor(rlim_t limit)
{
    if (limit <= 1)
        return 19;
    if (limit >= 40)
        return -20;
    return 20 - (int)limit;
}

/* Nice=: the level asked for, or when that is not permitted the closest one
 * RLIMIT_NICE allows (never higher than the current one), as systemd. */
static int set_nice_closest(int want)
{
    if (setpriority(PRIO_PROCESS, 0, want) == 0)
        return 0;
    int err = errno;
    if (err != EPERM && err != EACCES)
        return -1;
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (errno)
        return -1;
    if (want == current)
        return 0;
    /* Raising one's own nice level is always allowed: if even that fails,
     * setpriority() is blocked altogether. */
    if (want > current) {
        errno = err;
        return -1;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NICE, &rl) < 0)
        return -1;
    int floor = nice_floor(rl.rlim_cur);
    if (current <= floor)
        return 0; /* already as low as it may go */
    return setpriority(PRIO_PROCESS, 0, floor);
}

enum exec_sched_step exec_sched_apply(const struct exec_sched *s)
{
    /* A user namespace (or a container without CAP_SYS_RESOURCE) may not
     * lower the score: systemd skips it then, so packaged units saying
     * OOMScoreAdjust=-900 (postgresql) start. */
    if (s->oom_score_adjust_set && write_oom_score_adjust(s->oom_score_adjust) < 0 &&
        errno != EPERM && errno != EACCES)
        return EXEC_SCHED_OOM;
    if (s->cpu_set) {
        struct sched_param param = {.sched_priority = s->cpu_priority};
        int policy = s->cpu_policy | (s->cpu_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
        if (sched_setscheduler(0, policy, &param) < 0)
            return EXEC_SCHED_CPU;
    }
    if (s->nice_set && set_nice_closest(s->nice) < 0)
        return EXEC_SCHED_NICE;
    if (s->ioprio_set && syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, s->ioprio) < 0)
        return EXEC_SCHED_IOPRIO;
    return EXEC_SCHED_OK;
}

/* setgroups() is denied to everyone in this user namespace. */
static bool setgroups_denied(void)
{
    char buf[8];
    int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof(buf));
    close(fd);
    return n >= 4 && memcmp(buf, "deny", 4) == 0;
}

static bool listed(gid_t g, const gid_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == g)
            return true;
    return false;
}

/* Whether the groups the process has are those asked for, the primary
 * group aside: then setgroups() would change nothing. */
static bool groups_already(const gid_t *want, size_t nwant, gid_t gid)
{
    gid_t have[64];
    int n = getgroups(64, have);
    if (n < 0)
        return false;
    for (int i = 0; i < n; i++)
        if (have[i] != gid && !listed(have[i], want, nwant))
            return false;
    for (size_t i = 0; i < nwant; i++)
        if (want[i] != gid && !listed(want[i], have, (size_t)n))
            return false;
    return true;
}

bool exec_groups_denied_ok(int err, const gid_t *groups, size_t ngroups, uid_t uid, gid_t gid)
{
    bool ok = false;
    if (err != EPERM)
        ok = false;
    else if (getuid() == uid && geteuid() == uid && getgid() == gid && getegid() == gid)
        ok = true;
    else
        ok = groups_already(groups, ngroups, gid) && setgroups_denied();
    errno = err; /* for the report when not ok */
    return ok;
}
