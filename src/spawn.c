/* spawn.c - fork, double fork, and the child's preparation before exec.
 *
 * Only async-signal-safe calls between fork() and exec(). All signals are
 * blocked around fork() so no handler of pxinit's (libev's) runs in a child,
 * and the child restores the wanted mask only after resetting dispositions.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

/* A service spawned with CLONE_VM (see spawn_vm()): the service reports a
 * failure here, in the memory it shares with pxinit and the intermediate,
 * which passes it on. Only one such spawn exists at a time (pxinit is
 * suspended until it is over), so one slot will do. */
#define REPORT_SHARED (-100)
/* volatile: written by a child inside clone(), which the compiler takes for
 * a call that cannot touch a static whose address never escapes, and so
 * would read the value it stored before the call (the report was lost so). */
static volatile struct {
    int stage, err;
} vm_report;

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

static void report(int fd, enum spawn_msg_kind kind, enum spawn_stage stage, int err, pid_t pid)
{
    if (fd == REPORT_SHARED) {
        vm_report.stage = stage;
        vm_report.err = err;
        return;
    }
    struct spawn_msg m = {.kind = kind, .stage = stage, .err = err, .pid = pid};
    /* One write of 16 bytes to a pipe is atomic. */
    while (write(fd, &m, sizeof(m)) < 0 && errno == EINTR)
        ;
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

static __attribute__((noreturn)) void child_fail(const struct spawn_params *p, int fd,
                                                 enum spawn_stage stage)
{
    int err = errno;
    report(fd, SPAWN_MSG_ERROR, stage, err, 0);
    _exit(spawn_exit_code(stage, err, p->shell_exit_codes));
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

#ifdef SYS_setresuid32 /* 32-bit x86 and arm, where the plain calls take 16-bit ids */
#define RAW_SETGROUPS SYS_setgroups32
#define RAW_SETRESGID SYS_setresgid32
#define RAW_SETRESUID SYS_setresuid32
#else
#define RAW_SETGROUPS SYS_setgroups
#define RAW_SETRESGID SYS_setresgid
#define RAW_SETRESUID SYS_setresuid
#endif

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

static bool is_passed(const struct spawn_params *p, int fd)
{
    for (size_t i = 0; i < p->npass_fds; i++)
        if (p->pass_fds[i] == fd)
            return true;
    return false;
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

/* The signals whose disposition in pxinit is not SIG_DFL (bit sig - 1),
 * read before the first spawn of a service. A service's child then resets
 * just those, a few system calls instead of 62 per spawn. pxinit sets its
 * dispositions once, in signals_start(), before any service is spawned
 * (tty.c's ignores are undone before it returns), so the set stays true;
 * a stale set could only list too many, which costs a call, not safety. */
static uint64_t nondefault;
static bool nondefault_read;

static void read_nondefault(void)
{
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

/* Everything of the process that will exec but the exec itself and its
 * mask; all of it is inherited across clone(), so a service's intermediate
 * can do it (see spawn_async). */
static void child_prepare(const struct spawn_params *p, int fd)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};

    /* Dispositions first (signals are still blocked), then the mask: a
     * caught signal's handler would run until exec, an ignored one stay
     * ignored beyond it. The main gets the launch dispositions back. */
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (p->sigactions)
            set_disposition(sig, &p->sigactions[sig]);
        else if (sig > 64 || (nondefault & (UINT64_C(1) << (sig - 1))))
            set_disposition(sig, &dfl);
    }

    if (p->pgrp_only) {
        /* Stay in pxinit's session, whose terminal pxinit cannot hand over:
         * own group, in the foreground (signals are blocked, so no SIGTTOU). */
        if (setpgid(0, 0) < 0)
            child_fail(p, fd, SPAWN_STAGE_SETSID);
        if (p->foreground)
            (void)tcsetpgrp(STDIN_FILENO, getpid()); /* best effort, as the tty allows */
    } else if (!p->double_fork && setsid() < 0) {
        child_fail(p, fd, SPAWN_STAGE_SETSID);
    }
    if (p->take_tty && !p->pgrp_only && isatty(STDIN_FILENO))
        (void)ioctl(STDIN_FILENO, TIOCSCTTY, 0); /* best effort: no tty, no job control */
    if (p->pid_env_slot)
        set_pid_env(p);

    if (setup_fd(p->fd_out, STDOUT_FILENO) < 0 || setup_fd(p->fd_err, STDERR_FILENO) < 0)
        child_fail(p, fd, SPAWN_STAGE_FDS);
    if (!p->double_fork || p->keep_fds) {
        /* the main command keeps stdin and what its launcher passed */
    } else if (setup_fd(SPAWN_FD_NULL, STDIN_FILENO) < 0) {
        child_fail(p, fd, SPAWN_STAGE_FDS);
    }
    if (!p->keep_fds) {
        /* Everything above 2 closes at exec, the report pipe included. */
        if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
            long max = sysconf(_SC_OPEN_MAX);
            for (int i = 3; i < (max > 0 && max < 65536 ? max : 65536); i++)
                if (i != fd && !is_passed(p, i))
                    close(i);
        }
        for (size_t i = 0; i < p->npass_fds; i++)
            (void)fcntl(p->pass_fds[i], F_SETFD, 0);
    }

    if (p->limit_set) {
        for (int r = 0; r < RLIM_NLIMITS; r++) {
            if (!p->limit_set[r] || setrlimit(r, &p->limits[r]) == 0)
                continue;
            /* Containers rarely grant CAP_SYS_RESOURCE: raising a hard limit
             * then fails, and packaged units (redis: LimitNOFILE=65535) would
             * never start. Take as much as the hard limit allows instead. */
            struct rlimit cur, want = p->limits[r];
            if (errno != EPERM || getrlimit(r, &cur) < 0)
                child_fail(p, fd, SPAWN_STAGE_LIMITS);
            if (want.rlim_max == RLIM_INFINITY || want.rlim_max > cur.rlim_max)
                want.rlim_max = cur.rlim_max;
            if (want.rlim_cur == RLIM_INFINITY || want.rlim_cur > want.rlim_max)
                want.rlim_cur = want.rlim_max;
            if (setrlimit(r, &want) < 0)
                child_fail(p, fd, SPAWN_STAGE_LIMITS);
        }
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
        child_fail(p, fd, sched_stage[step]);
    if (p->set_ids) {
        /* Raw calls, as posix_spawn makes them: this child shares pxinit's
         * memory, and glibc's wrappers act on the whole thread list there. */
        if (syscall(RAW_SETGROUPS, p->ngroups, p->groups) < 0 &&
            !exec_groups_denied_ok(errno, p->groups, p->ngroups, p->uid, p->gid))
            child_fail(p, fd, SPAWN_STAGE_GROUPS);
        if (syscall(RAW_SETRESGID, p->gid, p->gid, p->gid) < 0)
            child_fail(p, fd, SPAWN_STAGE_GROUPS);
        if (syscall(RAW_SETRESUID, p->uid, p->uid, p->uid) < 0)
            child_fail(p, fd, SPAWN_STAGE_USER);
    }
    if (p->cwd && chdir(p->cwd) < 0) {
        if (!p->cwd_optional)
            child_fail(p, fd, SPAWN_STAGE_CHDIR);
    }
    umask(p->umask);
    if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        child_fail(p, fd, SPAWN_STAGE_NO_NEW_PRIVS);
}

/* The process that will exec: prepare everything, then exec. */
static __attribute__((noreturn)) void child_exec(const struct spawn_params *p, int fd)
{
    child_prepare(p, fd);
    /* Raw too: glibc's would leave its reserved signals (32, 33) as they are. */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, p->sigmask, NULL, (size_t)(_NSIG / 8));
    execve(p->path, p->argv, p->envp);
    child_fail(p, fd, SPAWN_STAGE_EXEC);
}

/* --- spawning without copying pxinit -------------------------------------------
 *
 * fork() copies pxinit's page tables and its file table, and the exec then
 * tears both down again and closes every inherited descriptor: with 10,000
 * units (a pidfd each) that is most of a spawn's cost, and it grows with the
 * number of units. So services are started the way posix_spawn() does it:
 * clone(CLONE_VM | CLONE_VFORK) on a stack of their own, sharing pxinit's
 * memory, and CLONE_FILES, sharing its file table. pxinit is suspended until
 * the intermediate exits, and the intermediate until the service has exec'd
 * (or failed), so nobody else runs on the shared memory meanwhile. The service
 * takes a private file table holding only what it keeps (close_range with
 * CLOSE_RANGE_UNSHARE copies just the descriptors below the range), so no
 * descriptor of pxinit's is copied or closed per spawn. All signals stay
 * blocked throughout, so no handler runs on pxinit's memory in a child, and
 * the children leave glibc's thread state alone (raw id calls, see child_exec).
 * When clone() returns in pxinit the service has exec'd or failed, so the
 * intermediate leaves its report (the service's pid, a failure) in that shared
 * memory too: no report pipe, so no descriptor per spawn in flight (a boot of
 * 10,000 units had 10,000 of them open at once) and no wakeup to read it.
 */

#define VM_STACK_SIZE (256u * 1024u)

struct async_slot;

struct vm_spawn {
    const struct spawn_params *p;
    char *stack; /* the service's */
    struct async_slot *async; /* set: the service's exec overlaps pxinit (below) */
    /* The report, written by the intermediate in the memory it shares with
     * pxinit: no pipe, so a spawn costs pxinit no descriptor at all. */
    pid_t svc;
    int stage, err;
};

/* A private file table holding only 0-2 and the output fds, which spawn_vm()
 * put in low slots: the table copied here is as small as those slots,
 * whatever the number of pxinit's descriptors. Everything above goes (not
 * copied). */
static int unshare_low_fds(const struct spawn_params *p)
{
    int keep = 2;
    if (p->fd_out > keep)
        keep = p->fd_out;
    if (p->fd_err > keep)
        keep = p->fd_err;
    if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return -1;
    /* The few copied below the slots go now, not at exec: the exec lets the
     * intermediate, and so pxinit, run on before it closes them, and a copy
     * of a pipe that pxinit closes meanwhile keeps it in libev's epoll set;
     * its next event then makes libev rebuild the whole set (seen as an
     * epoll_create1 and an epoll_ctl per watched fd, several times a second
     * in a crash loop). */
    for (int fd = 3; fd <= keep; fd++)
        if (fd != p->fd_out && fd != p->fd_err)
            close(fd);
    return 0;
}

static int vm_service(void *arg)
{
    const struct vm_spawn *v = arg;
    const struct spawn_params *p = v->p;
    if (unshare_low_fds(p) < 0)
        child_fail(p, REPORT_SHARED, SPAWN_STAGE_FDS);
    setpgid(0, 0);
    child_exec(p, REPORT_SHARED);
}

/* --- services whose exec overlaps pxinit ------------------------------------------
 *
 * Above, pxinit is suspended until the service's execve() has replaced its
 * memory: the kernel's half of an exec (opening the binary, a new address
 * space, copying argv and the environment) runs while pxinit waits, one spawn
 * after another, and at a boot of thousands of units that is half of pxinit's
 * time while the other CPUs idle. So where it can, the intermediate does all
 * of the service's preparation itself (everything of it is inherited across
 * clone(): ids, limits, directory, umask, descriptors, dispositions), then
 * starts the service with CLONE_VM but without CLONE_VFORK and exits at once.
 * pxinit goes on while the service execs, on another CPU.
 *
 * Until its exec the service shares pxinit's memory while pxinit runs, so it
 * touches nothing of pxinit's: it runs on a stack of its own, reads a copy of
 * the path, argv and environment in its slot, makes its few system calls
 * without libc (no errno: that is pxinit's thread-local variable too) and
 * writes only its slot. The kernel zeroes the slot's `busy` when the service
 * has exec'd or exited (CLONE_CHILD_CLEARTID), which frees the slot. An exec
 * that fails leaves its errno in the slot and exits 203 (SPAWN_EXIT_EXEC);
 * the reaper picks the report up with spawn_take_failure(). */

#if defined(__x86_64__) || defined(__aarch64__)
#define ASYNC_EXEC 1
#endif

#ifdef ASYNC_EXEC
#define ASYNC_SLOTS 8
#define ASYNC_STACK (32u * 1024u)
#define ASYNC_ARENA (32u * 1024u)
#define ASYNC_WHAT 256

struct async_slot {
    pid_t busy; /* non-zero until the service exec'd or exited: the kernel clears it */
    int failed; /* the exec failed; the report below waits for spawn_take_failure() */
    int err;
    pid_t pid;
    int exit_code;
    const char *path;
    char *const *argv, *const *envp;
    uint64_t mask[16]; /* the kernel's sigset, as rt_sigprocmask takes it */
    char what[ASYNC_WHAT];
    char *stack;
    char arena[ASYNC_ARENA]; /* path, argv and envp, copied */
};

static struct async_slot *async_slots; /* ASYNC_SLOTS of them, mapped at the first use */
static bool async_unavailable;

/* System calls without errno, for the service that shares pxinit's memory. */
#if defined(__x86_64__)
static inline long raw_call(long n, long a, long b, long c, long d)
{
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}
#else
static inline long raw_call(long n, long a, long b, long c, long d)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
#endif

/* The service: three system calls and the exec. Not instrumented (a
 * sanitizer's runtime keeps per-thread state, which is pxinit's here). */
__attribute__((no_sanitize("address", "undefined"), noreturn)) static int async_service(void *arg)
{
    struct async_slot *a = arg;
    raw_call(SYS_setpgid, 0, 0, 0, 0);
    raw_call(SYS_rt_sigprocmask, SIG_SETMASK, (long)a->mask, 0, _NSIG / 8);
    long r = raw_call(SYS_execve, (long)a->path, (long)a->argv, (long)a->envp, 0);
    a->err = (int)-r;
    __atomic_store_n(&a->failed, 1, __ATOMIC_RELEASE);
    for (;;)
        raw_call(SYS_exit_group, a->exit_code, 0, 0, 0);
}

static struct async_slot *async_slot_free(void)
{
    if (!async_slots && !async_unavailable) {
        void *m = mmap(NULL, ASYNC_SLOTS * (sizeof(struct async_slot) + ASYNC_STACK),
                       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            async_unavailable = true;
            return NULL;
        }
        async_slots = m;
        char *stacks = (char *)(async_slots + ASYNC_SLOTS);
        for (unsigned i = 0; i < ASYNC_SLOTS; i++)
            async_slots[i].stack = stacks + (size_t)i * ASYNC_STACK;
    }
    for (unsigned i = 0; async_slots && i < ASYNC_SLOTS; i++) {
        struct async_slot *a = &async_slots[i];
        if (__atomic_load_n(&a->busy, __ATOMIC_ACQUIRE) == 0 &&
            __atomic_load_n(&a->failed, __ATOMIC_ACQUIRE) == 0)
            return a;
    }
    return NULL;
}

/* Copies s into the arena at *at; NULL when it does not fit. */
static char *arena_put(struct async_slot *a, size_t *at, const char *s)
{
    size_t len = strlen(s) + 1;
    if (len > sizeof(a->arena) - *at)
        return NULL;
    char *d = memcpy(a->arena + *at, s, len);
    *at += len;
    return d;
}

/* An argv-style array copied into the arena; NULL when it does not fit. */
static char **arena_putv(struct async_slot *a, size_t *at, char *const *v)
{
    size_t n = 0;
    while (v[n])
        n++;
    *at = (*at + sizeof(char *) - 1) & ~(sizeof(char *) - 1);
    if ((n + 1) * sizeof(char *) > sizeof(a->arena) - *at)
        return NULL;
    char **out = (char **)(void *)(a->arena + *at);
    *at += (n + 1) * sizeof(char *);
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = arena_put(a, at, v[i])))
            return NULL;
    out[n] = NULL;
    return out;
}

/* A free slot holding what the service needs after the intermediate is
 * gone; NULL when there is none or the command does not fit: the spawn
 * then waits for the exec, as before. */
static struct async_slot *async_slot_fill(const struct spawn_params *p)
{
    /* CPUSchedulingResetOnFork= would undo, at the clone of the service,
     * the scheduling the intermediate set: the service must set it itself. */
    if (!p->async_exec || p->sched.cpu_reset_on_fork)
        return NULL;
    struct async_slot *a = async_slot_free();
    if (!a)
        return NULL;
    size_t at = 0;
    a->path = arena_put(a, &at, p->path);
    a->argv = a->path ? arena_putv(a, &at, p->argv) : NULL;
    a->envp = a->argv ? arena_putv(a, &at, p->envp) : NULL;
    if (!a->envp)
        return NULL;
    memset(a->mask, 0, sizeof(a->mask));
    memcpy(a->mask, p->sigmask, sizeof(a->mask) < sizeof(*p->sigmask) ? sizeof(a->mask)
                                                                       : sizeof(*p->sigmask));
    a->what[0] = '\0';
    if (p->what)
        strncat(a->what, p->what, sizeof(a->what) - 1);
    /* Services: 203 whatever the errno (shells' 126/127 are the main's). */
    a->exit_code = spawn_exit_code(SPAWN_STAGE_EXEC, ENOENT, p->shell_exit_codes);
    a->err = 0;
    a->pid = 0;
    return a;
}

bool spawn_take_failure(pid_t pid, int *err, char *what, size_t size)
{
    for (unsigned i = 0; async_slots && i < ASYNC_SLOTS; i++) {
        struct async_slot *a = &async_slots[i];
        if (a->pid != pid || !__atomic_load_n(&a->failed, __ATOMIC_ACQUIRE))
            continue;
        *err = a->err;
        if (size) {
            what[0] = '\0';
            strncat(what, a->what, size - 1);
        }
        a->pid = 0;
        __atomic_store_n(&a->failed, 0, __ATOMIC_RELEASE);
        return true;
    }
    return false;
}
#else
bool spawn_take_failure(pid_t pid, int *err, char *what, size_t size)
{
    (void)pid, (void)err, (void)what, (void)size;
    return false;
}
#endif

/* Not instrumented: its _exit() would make ASan warn, once, about the
 * foreign stack, and after child_prepare() its stderr is a unit's output. */
__attribute__((no_sanitize("address"))) static int vm_intermediate(void *arg)
{
    struct vm_spawn *v = arg;
    if (setsid() < 0) {
        v->stage = SPAWN_STAGE_SETSID;
        v->err = errno;
        _exit(SPAWN_EXIT_SETSID);
    }
    pid_t svc;
#ifdef ASYNC_EXEC
    if (v->async) {
        /* pxinit is suspended, nothing else runs on its memory: libc is fine
         * here. A failure reports in vm_report and ends the intermediate. */
        if (unshare_low_fds(v->p) < 0)
            child_fail(v->p, REPORT_SHARED, SPAWN_STAGE_FDS);
        child_prepare(v->p, REPORT_SHARED);
        svc = clone(async_service, v->async->stack + ASYNC_STACK,
                    CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, v->async, NULL, NULL,
                    &v->async->busy);
    } else
#endif
        svc = clone(vm_service, v->stack + VM_STACK_SIZE,
                    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, arg);
    if (svc < 0) {
        v->stage = SPAWN_STAGE_FORK;
        v->err = errno;
        _exit(SPAWN_EXIT_EXEC);
    }
    /* Both set the group, so it is in place before pxinit may signal -svc. */
    setpgid(svc, svc);
    v->svc = svc;
    _exit(0);
}

/* What spawning with CLONE_VM keeps for pxinit's life: two stacks (spawns
 * never overlap) and three low descriptors. The service's private file table
 * is a copy of pxinit's up to the highest descriptor it keeps, and its exec
 * then closes every copied one. Left where pxinit's table put them, the
 * output pipes (a descriptor per unit: near fd 1,000 at the 1,000th unit)
 * would make every spawn copy and close the whole table, O(units) per spawn.
 * So the output fds are dup'ed into two slots among the lowest descriptors
 * for the clone, and pointed back at /dev/null after it, so that no slot
 * holds a pipe or file open between spawns. */
struct vm_ctx {
    char *stacks; /* NULL when the kernel lacks CLOSE_RANGE_UNSHARE (before 5.9): fork() then */
    int null_fd;
    int slot[2];
};

static const struct vm_ctx *vm_ctx_get(void)
{
    static struct vm_ctx ctx = {.null_fd = -1, .slot = {-1, -1}};
    static bool tried;
    if (tried)
        return &ctx;
    tried = true;
    /* Closing nothing with CLOSE_RANGE_UNSHARE: 0 where it is supported. */
    if (syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return &ctx;
    int fds[3] = {-1, -1, -1};
    fds[0] = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 1; i < 3 && fds[0] >= 0; i++)
        fds[i] = fcntl(fds[0], F_DUPFD_CLOEXEC, 3);
    void *m = MAP_FAILED;
    if (fds[2] >= 0)
        m = mmap(NULL, 2 * (size_t)VM_STACK_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (m == MAP_FAILED) {
        for (int i = 0; i < 3; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return &ctx;
    }
    ctx.stacks = m;
    ctx.null_fd = fds[0];
    ctx.slot[0] = fds[1];
    ctx.slot[1] = fds[2];
    return &ctx;
}

/* fd dup'ed into slot for the clone (SPAWN_FD_* pass through); -1 on error. */
static int slot_put(int fd, int slot)
{
    if (fd < 0)
        return fd;
    return dup3(fd, slot, O_CLOEXEC) < 0 ? -1 : slot;
}

/* Returns the intermediate's pid (it has exited, or is exiting, by then),
 * with the service's pid and any failure in h; -1 with errno when the
 * intermediate could not be started. */
static pid_t spawn_vm(const struct spawn_params *p, struct spawn_handle *h,
                      const struct vm_ctx *ctx)
{
    struct spawn_params q = *p;
    q.fd_out = slot_put(p->fd_out, ctx->slot[0]);
    q.fd_err = p->fd_err == p->fd_out ? q.fd_out : slot_put(p->fd_err, ctx->slot[1]);
    pid_t pid = -1;
    if (q.fd_out != -1 && q.fd_err != -1) {
        struct vm_spawn v = {.p = &q, .stack = ctx->stacks + VM_STACK_SIZE};
#ifdef ASYNC_EXEC
        v.async = async_slot_fill(p);
        if (v.async)
            v.async->busy = 1; /* until the kernel clears it */
#endif
#ifdef __SANITIZE_ADDRESS__
        /* The children never return (they exec or _exit), so ASan's poison of
         * their frames stays on these stacks: clear it for the next spawn. */
        __asan_unpoison_memory_region(ctx->stacks, 2 * (size_t)VM_STACK_SIZE);
#endif
        vm_report.stage = vm_report.err = 0;
        pid = clone(vm_intermediate, ctx->stacks + VM_STACK_SIZE,
                    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &v);
        /* CLONE_VFORK: the intermediate is done with v now (v escaped to
         * clone(), so the compiler reads it again). A failure of its own is
         * in v; one of the preparation or of a waited-for exec in vm_report. */
        h->pid = v.svc;
        h->stage = v.stage ? v.stage : vm_report.stage;
        h->err = v.stage ? v.err : vm_report.err;
#ifdef ASYNC_EXEC
        if (v.async && v.svc > 0)
            v.async->pid = v.svc;
        else if (v.async)
            __atomic_store_n(&v.async->busy, 0, __ATOMIC_RELEASE); /* no service started */
#endif
    }
    int saved = errno;
    for (int i = 0; i < 2; i++)
        (void)dup3(ctx->null_fd, ctx->slot[i], O_CLOEXEC);
    errno = saved;
    return pid;
}

int spawn_start(const struct spawn_params *p, struct spawn_handle *h)
{
    int fds[2];
    sigset_t all, old;

    h->child = -1;
    h->report_fd = -1;
    h->pid = 0;
    h->stage = h->err = 0;
    if (!p->sigactions && !nondefault_read)
        read_nondefault();
    sigfillset(&all);
    const struct vm_ctx *vm = p->double_fork && !p->keep_fds ? vm_ctx_get() : NULL;
    if (vm && vm->stacks) {
        sigprocmask(SIG_SETMASK, &all, &old);
        pid_t pid = spawn_vm(p, h, vm);
        int saved = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (pid < 0) {
            errno = saved;
            return -1;
        }
        h->child = pid;
        return 0;
    }

    /* Non-blocking at both ends: the loop must never wait on a child, and a
     * child's 16-byte write into the empty pipe cannot block. One call
     * instead of three. */
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (!p->double_fork)
            child_exec(p, fds[1]);
        if (setsid() < 0)
            child_fail(p, fds[1], SPAWN_STAGE_SETSID);
        pid_t svc = fork();
        if (svc < 0)
            child_fail(p, fds[1], SPAWN_STAGE_FORK);
        if (svc == 0) {
            setpgid(0, 0);
            child_exec(p, fds[1]);
        }
        /* Both sides set the group, so it is in place before the pid is
         * reported and pxinit may signal -pid. */
        setpgid(svc, svc);
        report(fds[1], SPAWN_MSG_PID, 0, 0, svc);
        _exit(0);
    }
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        errno = saved;
        return -1;
    }
    h->child = pid;
    h->report_fd = fds[0];
    return 0;
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

const char *spawn_resolve_path(const char *argv0, char *const *envp, char *buf, size_t size)
{
    const char *path = NULL;
    if (strchr(argv0, '/'))
        return argv0;
    for (char *const *e = envp; e && *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            path = *e + 5;
    if (!path)
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    size_t alen = strlen(argv0);
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dlen = colon ? (size_t)(colon - path) : strlen(path);
        const char *dir = path;
        if (dlen == 0) { /* an empty entry means the current directory */
            dir = ".";
            dlen = 1;
        }
        if (dlen + 1 + alen < size) {
            memcpy(buf, dir, dlen);
            buf[dlen] = '/';
            memcpy(buf + dlen + 1, argv0, alen + 1);
            if (access(buf, X_OK) == 0)
                return buf;
        }
        if (!colon)
            break;
        path = colon + 1;
    }
    return argv0;
}
