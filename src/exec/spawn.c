/* spawn.c - fork, double fork, and the child's preparation before exec.
 *
 * Only async-signal-safe calls between fork() and exec(). All signals are
 * blocked around fork() so no handler of pxinit's (libev's) runs in a child,
 * and the child restores the wanted mask only after resetting dispositions.
 */
#include "exec/spawn.h"

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

/* What spawning with CLONE_VM keeps for pxinit's life: two stacks, each with
 * a guard page below it (spawns never overlap), the shared report pipe and
 * four low descriptors. The service's private file table is a copy of
 * pxinit's up to the highest descriptor it keeps, and its exec then closes
 * every copied one. Left where pxinit's table put them, the output pipes (a
 * descriptor per unit: near fd 1,000 at the 1,000th unit) would make every
 * spawn copy and close the whole table, O(units) per spawn. So the output
 * fds (and a Type=exec spawn's report pipe) are dup'ed into slots among the
 * lowest descriptors for the clone, and pointed back at /dev/null after it,
 * so that no slot holds a pipe or file open between spawns. */
struct vm_ctx {
    char *stack[2]; /* tops; NULL when CLONE_VM cannot be used: fork() then */
    void *map;      /* both stacks and their guards */
    size_t map_size;
    int null_fd;
    int slot[3];
    int report_r, report_w; /* the shared report pipe, non-blocking */
};

static struct vm_ctx vm = {.null_fd = -1, .slot = {-1, -1, -1}, .report_r = -1, .report_w = -1};

/* Records on the shared report pipe: fixed-size, so every write (atomic,
 * being below PIPE_BUF) and every read of whole records moves whole ones. */
#define REPORT_WHAT (256 - sizeof(struct spawn_msg))
struct report_rec {
    struct spawn_msg m;
    char what[REPORT_WHAT];
};

/* Written by a service that failed before its exec, in its own memory; the
 * pipe is non-blocking, so a full one loses the record, never blocks. */
static void report_shared(const struct spawn_params *p, int fd, enum spawn_stage stage, int err)
{
    struct report_rec r = {
        .m = {.kind = SPAWN_MSG_ERROR, .stage = stage, .err = err, .pid = getpid()}};
    if (p->what)
        strncat(r.what, p->what, sizeof(r.what) - 1);
    while (write(fd, &r, sizeof(r)) < 0 && errno == EINTR)
        ;
}

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

static void report(const struct spawn_params *p, int fd, enum spawn_msg_kind kind,
                   enum spawn_stage stage, int err, pid_t pid)
{
    if (fd >= 0 && fd == vm.report_w) {
        report_shared(p, fd, stage, err);
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
    report(p, fd, SPAWN_MSG_ERROR, stage, err, 0);
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

/* Everything of the process that will exec but the exec itself and its
 * mask; all of it is inherited across clone(), so a service's intermediate
 * can do it (see spawn_async). */
static void child_prepare(const struct spawn_params *p, int fd)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};

    /* Dispositions first (signals are still blocked), then the mask: a
     * caught signal's handler would run until exec, an ignored one stay
     * ignored beyond it. The main gets the launch dispositions back. */
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
        if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
            cloexec_each_above_2();
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

/* --- spawning without copying pxinit's file table -------------------------------
 *
 * fork() copies pxinit's file table, and the exec then closes every inherited
 * descriptor: with 10,000 units (a pidfd each) that is most of a spawn's
 * cost, and it grows with the number of units. So a service's intermediate
 * is started the way posix_spawn() starts its child: clone(CLONE_VM |
 * CLONE_VFORK | CLONE_FILES) on a stack of its own, sharing pxinit's memory
 * and file table, while pxinit is suspended. It takes a private file table
 * holding only what the service keeps (close_range with CLOSE_RANGE_UNSHARE
 * copies just the descriptors below the range), then forks the service
 * (clone without CLONE_VM: a copy of the memory, of that small table) and
 * exits. pxinit is suspended only while the intermediate runs, and the
 * intermediate stays root, touches no file system and waits on nothing: a
 * service's user cannot signal it, and no mount can hang it. Everything that
 * can block or runs with the service's credentials (its preparation: ids,
 * limits, the working directory, the exec) happens in the service, in memory
 * of its own, while pxinit goes on, on another CPU.
 *
 * The intermediate leaves the service's pid (or its own failure) in the
 * memory it shares with pxinit: when clone() returns, it is there. The
 * service reports a failure before exec on the shared report pipe, one
 * fixed-size record naming its pid (spawn_take_failure() reads them when a
 * process is reaped), so no descriptor per spawn in flight; a spawn that must
 * learn of the exec's success (Type=exec) gets a pipe of its own instead,
 * whose EOF means the exec succeeded.
 */

#define VM_STACK_SIZE (256u * 1024u)

struct vm_spawn {
    const struct spawn_params *p;
    int report_fd;   /* the service's: the shared report pipe, or the spawn's own */
    char *svc_stack; /* top of the service's stack, in its copy of the memory */
    /* Written by the intermediate in the memory it shares with pxinit. */
    pid_t svc;
    int stage, err;
};

/* A private file table holding only 0-2, the output fds and the report fd,
 * which spawn_vm() put in low slots: the table copied here is as small as
 * those slots, whatever the number of pxinit's descriptors. Everything
 * above goes (not copied). */
static int unshare_low_fds(const struct spawn_params *p, int report_fd)
{
    int keep = 2;
    if (p->fd_out > keep)
        keep = p->fd_out;
    if (p->fd_err > keep)
        keep = p->fd_err;
    if (report_fd > keep)
        keep = report_fd;
    if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return -1;
    /* The few copied below the slots go now, not at exec: the service's
     * preparation and exec run on while pxinit goes on, and a copy of a pipe
     * that pxinit closes meanwhile keeps it in libev's epoll set; its next
     * event then makes libev rebuild the whole set (seen as an epoll_create1
     * and an epoll_ctl per watched fd, several times a second in a crash
     * loop). */
    for (int fd = 3; fd <= keep; fd++)
        if (fd != p->fd_out && fd != p->fd_err && fd != report_fd)
            close(fd);
    return 0;
}

/* The service, in a copy of pxinit's memory. */
static int vm_service(void *arg)
{
    const struct vm_spawn *v = arg;
    setpgid(0, 0);
    child_exec(v->p, v->report_fd);
}

/* Not instrumented: its _exit() would make ASan warn, once, about the
 * foreign stack. Root throughout; no file system, no wait. */
__attribute__((no_sanitize("address"))) static int vm_intermediate(void *arg)
{
    struct vm_spawn *v = arg;
    pid_t svc = -1;
    if (setsid() < 0)
        v->stage = SPAWN_STAGE_SETSID;
    else if (unshare_low_fds(v->p, v->report_fd) < 0)
        v->stage = SPAWN_STAGE_FDS;
    else if ((svc = clone(vm_service, v->svc_stack, SIGCHLD, v)) < 0)
        v->stage = SPAWN_STAGE_FORK;
    if (svc < 0) {
        v->err = errno;
        _exit(spawn_exit_code(v->stage, v->err, false));
    }
    /* Both set the group, so it is in place before pxinit may signal -svc. */
    setpgid(svc, svc);
    v->svc = svc;
    _exit(0);
}

static void vm_ctx_drop(void)
{
    for (int i = 0; i < 3; i++)
        if (vm.slot[i] >= 0)
            close(vm.slot[i]);
    if (vm.null_fd >= 0)
        close(vm.null_fd);
    vm.null_fd = vm.slot[0] = vm.slot[1] = vm.slot[2] = -1;
    /* The report pipe stays: records of spawns before may still be in it. */
    if (vm.map)
        munmap(vm.map, vm.map_size);
    vm.map = vm.stack[0] = vm.stack[1] = NULL;
}

static const struct vm_ctx *vm_ctx_get(void)
{
    static bool tried;
    if (tried)
        return &vm;
    tried = true;
    /* Closing nothing with CLOSE_RANGE_UNSHARE: 0 where it is supported. */
    if (syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return &vm;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0)
        return &vm;
    vm.report_r = pfd[0];
    vm.report_w = pfd[1];
    /* Room for many failures at once (a boot of broken units) before one is
     * reaped; best effort: a record that does not fit is lost, and the exit
     * status still tells the stage. */
    (void)fcntl(vm.report_w, F_SETPIPE_SZ, 1 << 20);
    vm.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3 && vm.null_fd >= 0; i++)
        vm.slot[i] = fcntl(vm.null_fd, F_DUPFD_CLOEXEC, 3);
    long pg = sysconf(_SC_PAGESIZE);
    size_t guard = pg > 0 ? (size_t)pg : 4096u;
    vm.map_size = 2 * (guard + VM_STACK_SIZE);
    void *m = MAP_FAILED;
    if (vm.slot[2] >= 0)
        m = mmap(NULL, vm.map_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m != MAP_FAILED) {
        /* [guard][stack 0][guard][stack 1]: an overflow faults, it does not
         * write over the memory below, which is pxinit's. */
        char *base = m;
        vm.stack[0] = base + guard + VM_STACK_SIZE;
        vm.stack[1] = vm.stack[0] + guard + VM_STACK_SIZE;
        vm.map = m;
        if (mprotect(base, guard, PROT_NONE) < 0 || mprotect(vm.stack[0], guard, PROT_NONE) < 0) {
            munmap(m, vm.map_size);
            vm.map = vm.stack[0] = vm.stack[1] = NULL;
        }
    }
    if (!vm.stack[0])
        vm_ctx_drop();
    return &vm;
}

/* --- keeping the service's copy of pxinit small ---------------------------------
 *
 * The fork copies pxinit's page tables and write-protects its pages, and then
 * every page pxinit writes faults once per spawn (a copy while the service
 * has not exec'd yet). On a VM whose page-table updates trap to the
 * hypervisor that made a spawn cost pxinit 1.1 ms instead of 0.2. Most of
 * those pages are malloc's heap, which the service never reads: it is marked
 * MADV_DONTFORK (not mapped in the service at all), and what the service
 * needs of it (path, argv, environment, directory, limits, command) is
 * copied for each spawn into an arena of its own, which is copied. The
 * thread's TCB and static TLS (errno) sit at the bottom of the heap in a
 * static build: that part stays. */
struct fork_arena {
    char *base;
    size_t size, used;
};

static struct fork_arena arena;
static uintptr_t heap_dontfork_base, heap_dontfork_end;
static bool heap_dontfork_off;

/* The [heap] mapping's start from /proc/self/maps; 0 if unknown. */
static uintptr_t heap_start(void)
{
    char buf[4096];
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uintptr_t start = 0;
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
        buf[have] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = '\0';
            if (strstr(line, "[heap]"))
                start = (uintptr_t)strtoull(line, NULL, 16);
            line = nl + 1;
        }
        have = strlen(line);
        memmove(buf, line, have);
        if (start)
            break;
    }
    close(fd);
    return start;
}

/* Marks the heap pages below the break (but the TCB's) MADV_DONTFORK, again
 * whenever the break grew since. */
static void heap_dontfork(void)
{
#ifdef __SANITIZE_ADDRESS__
    heap_dontfork_off = true; /* its allocator is not the heap; keep it simple */
#endif
    if (heap_dontfork_off)
        return;
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (!heap_dontfork_base) {
        uintptr_t start = heap_start();
        uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
        if (!start) {
            heap_dontfork_off = true;
            return;
        }
        /* The TCB starts at the thread pointer and is a few KiB. */
        if (tp >= start && tp - start < (1u << 20))
            start = tp + 16384;
        heap_dontfork_base = (start + pg - 1) & ~(pg - 1);
    }
    uintptr_t end = ((uintptr_t)sbrk(0) + pg - 1) & ~(pg - 1);
    if (end <= heap_dontfork_base) {
        heap_dontfork_end = end;
        return;
    }
    if (end != heap_dontfork_end &&
        madvise((void *)heap_dontfork_base, end - heap_dontfork_base, MADV_DONTFORK) < 0) {
        heap_dontfork_off = true; /* the service then just copies more */
        return;
    }
    heap_dontfork_end = end;
}

/* Undoes heap_dontfork(), for a child that reads the heap; the next
 * heap_dontfork() marks it again. */
static void heap_dofork(void)
{
    if (heap_dontfork_end > heap_dontfork_base)
        (void)madvise((void *)heap_dontfork_base, heap_dontfork_end - heap_dontfork_base,
                      MADV_DOFORK);
    heap_dontfork_end = 0;
}

/* n bytes, aligned for pointers, from the arena; NULL when it is full. */
static void *arena_take(size_t n)
{
    size_t at = (arena.used + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    if (at > arena.size || n > arena.size - at)
        return NULL;
    arena.used = at + n;
    return arena.base + at;
}

static char *arena_str(const char *str)
{
    if (!str)
        return NULL;
    size_t n = strlen(str) + 1;
    char *d = arena_take(n);
    return d ? memcpy(d, str, n) : NULL;
}

static char **arena_strv(char *const *v)
{
    size_t n = 0;
    while (v[n])
        n++;
    char **out = arena_take((n + 1) * sizeof(char *));
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = arena_str(v[i])))
            return NULL;
    if (out)
        out[n] = NULL;
    return out;
}

/* Copies what q points to in the heap into the arena; -1 when it does not
 * fit (the arena then grows for the next try). */
static int arena_fill(struct spawn_params *q)
{
    arena.used = 0;
    const char *path = arena_str(q->path);
    char **argv = arena_strv(q->argv);
    char **envp = arena_strv(q->envp);
    const char *cwd = q->cwd ? arena_str(q->cwd) : NULL;
    const char *what = q->what ? arena_str(q->what) : NULL;
    bool *set = NULL;
    struct rlimit *lim = NULL;
    if (q->limit_set) {
        set = arena_take(RLIM_NLIMITS * sizeof(*set));
        lim = arena_take(RLIM_NLIMITS * sizeof(*lim));
        if (set && lim) {
            memcpy(set, q->limit_set, RLIM_NLIMITS * sizeof(*set));
            memcpy(lim, q->limits, RLIM_NLIMITS * sizeof(*lim));
        }
    }
    if (!path || !argv || !envp || (q->cwd && !cwd) || (q->what && !what) ||
        (q->limit_set && (!set || !lim)))
        return -1;
    q->path = path;
    q->argv = argv;
    q->envp = envp;
    q->cwd = cwd;
    q->what = what;
    q->limit_set = set;
    q->limits = lim;
    return 0;
}

/* Prepares q for a service that will not see the heap; -1 (and q as it
 * was: the service then copies the heap) when that cannot be had. */
static int arena_prepare(struct spawn_params *q)
{
    heap_dontfork();
    if (heap_dontfork_off || q->pid_env_slot || q->pass_fds || q->sigactions)
        return -1;
    for (int tries = 0; tries < 2; tries++) {
        if (arena.base && arena_fill(q) == 0)
            return 0;
        size_t size = arena.size ? 4 * arena.size : 64u * 1024u;
        void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -1;
        if (arena.base)
            munmap(arena.base, arena.size);
        arena.base = m;
        arena.size = size;
    }
    return -1;
}

/* fd dup'ed into slot for the clone (SPAWN_FD_* pass through); -1 on error. */
static int slot_put(int fd, int slot)
{
    if (fd < 0)
        return fd;
    return dup3(fd, slot, O_CLOEXEC) < 0 ? -1 : slot;
}

/* Returns the intermediate's pid (it has exited, or is exiting, by then),
 * with the service's pid and any failure of the intermediate in h; -1 with
 * errno when the intermediate could not be started, -2 when CLONE_VM is
 * refused (a seccomp profile): fork() then, from now on. */
static pid_t spawn_vm(const struct spawn_params *p, struct spawn_handle *h)
{
    struct spawn_params q = *p;
    int own[2] = {-1, -1}; /* a spawn's own report pipe (Type=exec) */
    if (arena_prepare(&q) < 0)
        heap_dofork(); /* the service's copy then includes the heap */
    int report_fd = vm.report_w;
    pid_t pid = -1;
    if (!p->async_exec) {
        if (pipe2(own, O_CLOEXEC | O_NONBLOCK) < 0)
            return -1;
        report_fd = slot_put(own[1], vm.slot[2]);
        close(own[1]);
    }
    q.fd_out = slot_put(p->fd_out, vm.slot[0]);
    q.fd_err = p->fd_err == p->fd_out ? q.fd_out : slot_put(p->fd_err, vm.slot[1]);
    if (report_fd != -1 && q.fd_out != -1 && q.fd_err != -1) {
        struct vm_spawn v = {.p = &q, .report_fd = report_fd, .svc_stack = vm.stack[1]};
#ifdef __SANITIZE_ADDRESS__
        /* The children never return (they exec or _exit), so ASan's poison of
         * their frames stays on these stacks: clear it for the next spawn. */
        __asan_unpoison_memory_region(vm.stack[0] - VM_STACK_SIZE, VM_STACK_SIZE);
        __asan_unpoison_memory_region(vm.stack[1] - VM_STACK_SIZE, VM_STACK_SIZE);
#endif
        pid =
            clone(vm_intermediate, vm.stack[0], CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &v);
        /* CLONE_VFORK: the intermediate is done with v now (v escaped to
         * clone(), so the compiler reads it again). */
        h->pid = v.svc;
        h->stage = v.stage;
        h->err = v.err;
    }
    int saved = errno;
    for (int i = 0; i < 3; i++)
        (void)dup3(vm.null_fd, vm.slot[i], O_CLOEXEC);
    if (pid < 0 && own[0] >= 0)
        close(own[0]);
    else
        h->report_fd = own[0];
    if (pid < 0 && (saved == EPERM || saved == ENOSYS)) {
        vm_ctx_drop();
        return -2;
    }
    errno = saved;
    return pid;
}

/* Failure records taken from the report pipe, until their process is reaped. */
#define REPORT_PENDING_MAX 4096
static struct report_rec *pending;
static size_t npending, pending_cap;

static void report_drain(void)
{
    if (vm.report_r < 0)
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
        ssize_t r =
            read(vm.report_r, pending + npending, (pending_cap - npending) * sizeof(*pending));
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
    if (p->double_fork && !p->keep_fds && vm_ctx_get()->stack[0]) {
        sigprocmask(SIG_SETMASK, &all, &old);
        pid_t pid = spawn_vm(p, h);
        int saved = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (pid >= 0) {
            h->child = pid;
            return 0;
        }
        if (pid == -1) {
            errno = saved;
            return -1;
        }
        /* -2: CLONE_VM refused; fork() below, now and from now on. */
    }

    /* fork() copies the heap again: its children read their params there. */
    heap_dofork();

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
        report(p, fds[1], SPAWN_MSG_PID, 0, 0, svc);
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
