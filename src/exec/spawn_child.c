/* spawn_child.c - what a spawned process does between its fork and its exec
 * (spawn.h): signal dispositions, session, fds 0-2 and close-on-exec for the
 * rest, resource limits, scheduling, groups and ids, working directory,
 * umask, NoNewPrivileges=, then the signal mask and the exec. A failure on
 * the way is reported ({stage, errno}, spawn_report.c) and ends the process
 * with the stage's exit code.
 *
 * Only async-signal-safe calls here: the process is a fork of pxinit.
 * Signals are blocked from before the fork until the mask is restored last,
 * so no handler of pxinit's runs in the child, and the dispositions are
 * reset before that.
 */
#include "exec/spawn_child.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/spawn_report.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#ifdef SYS_setresuid32 /* 32-bit x86 and arm, where the plain calls take 16-bit ids */
#define RAW_SETGROUPS SYS_setgroups32
#define RAW_SETRESGID SYS_setresgid32
#define RAW_SETRESUID SYS_setresuid32
#else
#define RAW_SETGROUPS SYS_setgroups
#define RAW_SETRESGID SYS_setresgid
#define RAW_SETRESUID SYS_setresuid
#endif

__attribute__((noreturn)) void spawn_child_fail(const struct spawn_params *p, int fd,
                                                enum spawn_stage stage)
{
    int err = errno;
    spawn_report_write(p, fd, SPAWN_MSG_ERROR, stage, err, 0);
    _exit(spawn_exit_code(stage, err, p->shell_exit_codes));
}

/* --- signals ------------------------------------------------------------------ */

/* The kernel's struct sigaction (x86, arm, most others), for the raw call. */
struct raw_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

int spawn_raw_disposition(int sig, void (*const *set)(int), void (**old)(int))
{
    struct raw_sigaction ka = {.handler = set ? *set : SIG_DFL}, oka;
    if (syscall(SYS_rt_sigaction, sig, set ? &ka : NULL, old ? &oka : NULL, sizeof(ka.mask)) < 0)
        return -1;
    if (old)
        *old = oka.handler;
    return 0;
}

/* The disposition sa asks for; for the signals glibc reserves (32, 33),
 * whose ignored disposition survives exec too, just SIG_IGN or SIG_DFL. */
static void set_disposition(int sig, const struct sigaction *sa)
{
    void (*h)(int) = sa->sa_handler == SIG_IGN ? SIG_IGN : SIG_DFL;
    if (sigaction(sig, sa, NULL) < 0)
        spawn_raw_disposition(sig, &h, NULL);
}

/* The signals whose disposition in pxinit is not SIG_DFL (bit sig - 1),
 * read before the first spawn of a service. A service's child then resets
 * just those, a few system calls instead of 62 per spawn. pxinit sets its
 * dispositions once, in signals_start(), before any service is spawned
 * (tty.c's ignores are undone before it returns), so the set stays true;
 * a stale set could only list too many, which costs a call, not safety. */
static uint64_t nondefault;
static bool nondefault_read;

void spawn_child_ready(const struct spawn_params *p)
{
    if (p->sigactions || nondefault_read)
        return;
    for (int sig = 1; sig < NSIG && sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        struct sigaction sa;
        void (*h)(int) = SIG_IGN; /* unreadable: reset it to be sure */
        if (sigaction(sig, NULL, &sa) == 0)
            h = sa.sa_handler;
        else
            (void)spawn_raw_disposition(sig, NULL, &h);
        if (h != SIG_DFL)
            nondefault |= UINT64_C(1) << (sig - 1);
    }
    nondefault_read = true;
}

/* Dispositions first (signals are still blocked), the mask only at exec: a
 * caught signal's handler would run until exec, an ignored one stay ignored
 * beyond it. The main command gets the launch dispositions back. */
static void child_reset_signals(const struct spawn_params *p)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (p->sigactions)
            set_disposition(sig, &p->sigactions[sig]);
        else if (sig == SIGPIPE && p->ignore_sigpipe)
            set_disposition(sig, &ign); /* systemd's default for services */
        else if (sig > 64 || (nondefault & (UINT64_C(1) << (sig - 1))))
            set_disposition(sig, &dfl);
    }
}

/* --- session, environment, descriptors ----------------------------------------- */

static void child_setup_session(const struct spawn_params *p, int fd)
{
    if (p->pgrp_only) {
        /* Stay in pxinit's session, whose terminal pxinit cannot hand over:
         * own group, in the foreground (signals are blocked, so no SIGTTOU). */
        if (setpgid(0, 0) < 0)
            spawn_child_fail(p, fd, SPAWN_STAGE_SETSID);
        if (p->foreground)
            (void)tcsetpgrp(STDIN_FILENO, getpid()); /* best effort, as the tty allows */
    } else if (!p->double_fork && setsid() < 0) {
        spawn_child_fail(p, fd, SPAWN_STAGE_SETSID);
    }
    if (p->take_tty && !p->pgrp_only && isatty(STDIN_FILENO))
        (void)ioctl(STDIN_FILENO, TIOCSCTTY, 0); /* best effort: no tty, no job control */
}

/* Points *pid_env_slot at "NAME=<our pid>" in a buffer of this (forked,
 * about to exec) process: snprintf is not async-signal-safe, digits by hand. */
static void set_pid_env(const struct spawn_params *p)
{
    static char buf[64];
    char digits[16];
    size_t n = 0, len = strlen(p->pid_env_name);
    unsigned long v = (unsigned long)getpid();
    if (len + sizeof(digits) + 2 > sizeof(buf))
        return;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < sizeof(digits));
    memcpy(buf, p->pid_env_name, len);
    buf[len++] = '=';
    while (n)
        buf[len++] = digits[--n];
    buf[len] = '\0';
    *p->pid_env_slot = buf;
}

static int setup_fd(int want, int target)
{
    if (want == SPAWN_FD_INHERIT)
        return 0;
    if (want == SPAWN_FD_NULL) {
        int fd = open("/dev/null", O_RDWR);
        if (fd < 0)
            return -1;
        if (fd != target) {
            if (dup2(fd, target) < 0)
                return -1;
            close(fd);
        }
        return 0;
    }
    if (want == target)
        return fcntl(target, F_SETFD, 0);
    return dup2(want, target) < 0 ? -1 : 0;
}

/* The kernel's struct linux_dirent64, for getdents64 without libc. */
struct raw_dirent64 {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* close_range(CLOEXEC) where the kernel lacks it (before 5.9) or a seccomp
 * profile denies it: every descriptor the table holds, as /proc/self/fd
 * lists them (getdents64 into a buffer on the stack: no malloc after fork),
 * else every number up to the highest a table can have. The passed fds are
 * cleared again after. */
static void cloexec_each_above_2(void)
{
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    long n = -1;
    if (dir >= 0) {
        char buf[2048] __attribute__((aligned(8)));
        while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                const struct raw_dirent64 *d = (const void *)(buf + off);
                long fd = 0;
                const char *c = d->name;
                for (; *c >= '0' && *c <= '9' && fd < INT32_MAX / 10; c++)
                    fd = fd * 10 + (*c - '0');
                if (c != d->name && !*c && fd > 2 && fd != dir)
                    (void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
                off += d->reclen;
            }
        }
        close(dir);
    }
    if (n == 0)
        return;
    /* No /proc: the highest number is below the largest limit a table can
     * have been opened under; fs.nr_open's default when unknown. */
    struct rlimit rl;
    long max = 1L << 20;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
        rl.rlim_max > (rlim_t)max)
        max = rl.rlim_max > INT32_MAX ? INT32_MAX : (long)rl.rlim_max;
    for (long fd = 3; fd < max; fd++)
        (void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

/* fd moved to a number >= low, close-on-exec; the original stays open. */
static int dup_above(int fd, int low)
{
    return fcntl(fd, F_DUPFD_CLOEXEC, low);
}

/* The listening fds to 3, 4, ... in order (sd_listen_fds(3)). A source may
 * sit inside [3, 3 + n), even on another's target, so each is first copied
 * above the range, then the copies go onto their targets (dup2 clears
 * close-on-exec on the target; the copies keep it and go at exec). The
 * report fd moves above the range first, so no target overwrites it: the
 * number it ends on is returned. A stack array, as nothing may be
 * allocated after a fork. */
static int child_move_listen_fds(const struct spawn_params *p, int report)
{
    size_t n = p->nlisten_fds;
    int high[SPAWN_LISTEN_FDS_MAX];
    if (n == 0)
        return report;
    int end = 3 + (int)n; /* first number past the targets */
    if (n > SPAWN_LISTEN_FDS_MAX) {
        errno = E2BIG;
        spawn_child_fail(p, report, SPAWN_STAGE_FDS);
    }
    if (report >= 3 && report < end) {
        int moved = dup_above(report, end);
        if (moved < 0)
            spawn_child_fail(p, report, SPAWN_STAGE_FDS);
        report = moved;
    }
    for (size_t i = 0; i < n; i++)
        if ((high[i] = dup_above(p->listen_fds[i], end)) < 0)
            spawn_child_fail(p, report, SPAWN_STAGE_FDS);
    for (size_t i = 0; i < n; i++)
        if (dup2(high[i], 3 + (int)i) < 0)
            spawn_child_fail(p, report, SPAWN_STAGE_FDS);
    return report;
}

/* 1 and 2 as asked, 0 on /dev/null for a service (or its fd_in), everything
 * above 2 close-on-exec (the report pipe included) but what is passed on;
 * the listening fds then on 3, 4, ... Returns the report fd's number. */
static int child_setup_fds(const struct spawn_params *p, int fd)
{
    if (setup_fd(p->fd_out, STDOUT_FILENO) < 0 || setup_fd(p->fd_err, STDERR_FILENO) < 0)
        spawn_child_fail(p, fd, SPAWN_STAGE_FDS);
    if (!p->double_fork || p->keep_fds) {
        /* the main command keeps stdin and what its launcher passed */
    } else if (setup_fd(p->fd_in > 0 ? p->fd_in : SPAWN_FD_NULL, STDIN_FILENO) < 0) {
        spawn_child_fail(p, fd, SPAWN_STAGE_FDS);
    }
    if (p->keep_fds)
        return fd;
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        cloexec_each_above_2();
    for (size_t i = 0; i < p->npass_fds; i++)
        (void)fcntl(p->pass_fds[i], F_SETFD, 0);
    return child_move_listen_fds(p, fd);
}

/* --- limits, scheduling, credentials ------------------------------------------- */

static void child_apply_limits(const struct spawn_params *p, int fd)
{
    for (int r = 0; p->limit_set && r < RLIM_NLIMITS; r++) {
        if (!p->limit_set[r] || setrlimit(r, &p->limits[r]) == 0)
            continue;
        /* Containers rarely grant CAP_SYS_RESOURCE: raising a hard limit
         * then fails, and packaged units (redis: LimitNOFILE=65535) would
         * never start. Take as much as the hard limit allows instead. */
        struct rlimit cur, want = p->limits[r];
        if (errno != EPERM || getrlimit(r, &cur) < 0)
            spawn_child_fail(p, fd, SPAWN_STAGE_LIMITS);
        if (want.rlim_max == RLIM_INFINITY || want.rlim_max > cur.rlim_max)
            want.rlim_max = cur.rlim_max;
        if (want.rlim_cur == RLIM_INFINITY || want.rlim_cur > want.rlim_max)
            want.rlim_cur = want.rlim_max;
        if (setrlimit(r, &want) < 0)
            spawn_child_fail(p, fd, SPAWN_STAGE_LIMITS);
    }
    if (p->nofile && !(p->limit_set && p->limit_set[RLIMIT_NOFILE]))
        (void)setrlimit(RLIMIT_NOFILE, p->nofile); /* lowering cannot fail */

    static const enum spawn_stage sched_stage[] = {
        [EXEC_SCHED_OOM] = SPAWN_STAGE_OOM_ADJUST,
        [EXEC_SCHED_CPU] = SPAWN_STAGE_SETSCHEDULER,
        [EXEC_SCHED_NICE] = SPAWN_STAGE_NICE,
        [EXEC_SCHED_IOPRIO] = SPAWN_STAGE_IOPRIO,
    };
    enum exec_sched_step step = exec_sched_apply(&p->sched);
    if (step != EXEC_SCHED_OK)
        spawn_child_fail(p, fd, sched_stage[step]);
}

/* Groups, gid, uid, in that order (the uid last: it takes the right to set
 * the others). Raw calls, as posix_spawn makes them: glibc's wrappers act
 * on the whole thread list, which a child that shares pxinit's memory would
 * find to be pxinit's. */
static void child_set_ids(const struct spawn_params *p, int fd)
{
    if (!p->set_ids)
        return;
    if (syscall(RAW_SETGROUPS, p->ngroups, p->groups) < 0 &&
        !exec_groups_denied_ok(errno, p->groups, p->ngroups, p->uid, p->gid))
        spawn_child_fail(p, fd, SPAWN_STAGE_GROUPS);
    if (syscall(RAW_SETRESGID, p->gid, p->gid, p->gid) < 0)
        spawn_child_fail(p, fd, SPAWN_STAGE_GROUPS);
    if (syscall(RAW_SETRESUID, p->uid, p->uid, p->uid) < 0)
        spawn_child_fail(p, fd, SPAWN_STAGE_USER);
}

__attribute__((noreturn)) void spawn_child_exec(const struct spawn_params *p, int fd)
{
    child_reset_signals(p);
    child_setup_session(p, fd);
    if (p->pid_env_slot)
        set_pid_env(p);
    fd = child_setup_fds(p, fd);
    child_apply_limits(p, fd);
    child_set_ids(p, fd);
    if (p->cwd && chdir(p->cwd) < 0 && !p->cwd_optional)
        spawn_child_fail(p, fd, SPAWN_STAGE_CHDIR);
    umask(p->umask);
    if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        spawn_child_fail(p, fd, SPAWN_STAGE_NO_NEW_PRIVS);

    /* Raw too: glibc's would leave its reserved signals (32, 33) as they are. */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, p->sigmask, NULL, (size_t)(_NSIG / 8));
    execve(p->path, p->argv, p->envp);
    spawn_child_fail(p, fd, SPAWN_STAGE_EXEC);
}
