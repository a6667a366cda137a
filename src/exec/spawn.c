/* spawn.c - spawn_start(): how a service's processes are made (spawn.h).
 *
 * Two ways, chosen per spawn, both ending in spawn_child_exec()
 * (spawn_child.c) in the process that execs:
 *
 * The plain way (spawn_fork): fork() twice. The intermediate calls setsid(),
 * forks the service, reports its pid on a pipe of the spawn's own and
 * exits; either child reports a failure as {stage, errno} there. The main
 * command is forked once. It is the way wherever the trick is off
 * (PXINIT_PLAIN=clone-vm, tricks.h) or refused (a seccomp profile denying
 * CLONE_VM: EPERM or ENOSYS; a kernel without CLOSE_RANGE_UNSHARE, before
 * 5.9). Its cost grows with the number of units: fork() copies pxinit's page
 * tables and file table (a pidfd per unit), and the exec then closes every
 * inherited descriptor.
 *
 * The CLONE_VM island (spawn_clone, a speed trick): a service's
 * intermediate is started the way posix_spawn() starts its child:
 * clone(CLONE_VM | CLONE_VFORK | CLONE_FILES) on a stack of its own, sharing
 * pxinit's memory and file table, while pxinit is suspended. It takes a
 * private file table holding only what the service keeps (close_range with
 * CLOSE_RANGE_UNSHARE copies just the descriptors below the range), then
 * forks the service (clone without CLONE_VM: a copy of the memory, of that
 * small table, of less than the heap: spawn_arena.c) and exits. pxinit is
 * suspended only while the intermediate runs, and the intermediate stays
 * root, touches no file system and waits on nothing: a service's user cannot
 * signal it, and no mount can hang it. Everything that can block or runs
 * with the service's credentials happens in the service, in memory of its
 * own, while pxinit goes on, on another CPU.
 *
 * The intermediate leaves the service's pid (or its own failure) in the
 * memory it shares with pxinit: when clone() returns, it is there. The
 * service reports a failure before exec on the shared report pipe, one
 * fixed-size record naming its pid (spawn_report.c), so no descriptor per
 * spawn in flight; a spawn that must learn of the exec's success (Type=exec)
 * gets a pipe of its own instead, whose EOF means the exec succeeded.
 *
 * All signals are blocked around either, so no handler of pxinit's runs in a
 * child; the child restores the wanted mask only at its exec.
 */
#include "exec/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/tricks.h"
#include "exec/spawn_arena.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

/* --- the plain way: fork() ------------------------------------------------------ */

static int spawn_fork(const struct spawn_params *p, struct spawn_handle *h)
{
    int fds[2];
    sigset_t all, old;

    /* fork() copies the heap again: its children read their params there. */
    spawn_arena_heap_dofork();

    /* Non-blocking at both ends: the loop must never wait on a child, and a
     * child's 16-byte write into the empty pipe cannot block. One call
     * instead of three. */
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (!p->double_fork)
            spawn_child_exec(p, fds[1]);
        if (setsid() < 0)
            spawn_child_fail(p, fds[1], SPAWN_STAGE_SETSID);
        pid_t svc = fork();
        if (svc < 0)
            spawn_child_fail(p, fds[1], SPAWN_STAGE_FORK);
        if (svc == 0) {
            setpgid(0, 0);
            spawn_child_exec(p, fds[1]);
        }
        /* Both sides set the group, so it is in place before the pid is
         * reported and pxinit may signal -pid. */
        setpgid(svc, svc);
        spawn_report_write(p, fds[1], SPAWN_MSG_PID, 0, 0, svc);
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

/* --- the CLONE_VM island ------------------------------------------------------- */

/* What the island keeps for pxinit's life: two stacks, each with a guard
 * page below it (spawns never overlap), the shared report pipe and four low
 * descriptors. The service's private file table is a copy of pxinit's up to
 * the highest descriptor it keeps, and its exec then closes every copied
 * one. Left where pxinit's table put them, the output pipes (a descriptor
 * per unit: near fd 1,000 at the 1,000th unit) would make every spawn copy
 * and close the whole table, O(units) per spawn. So the output fds (and a
 * Type=exec spawn's report pipe) are dup'ed into slots among the lowest
 * descriptors for the clone, and pointed back at /dev/null after it, so that
 * no slot holds a pipe or file open between spawns. */
struct vm_ctx {
    char *stack[2]; /* tops; NULL when CLONE_VM cannot be used: fork() then */
    void *map;      /* both stacks and their guards */
    size_t map_size;
    int null_fd;
    int slot[3];
    int report_w; /* the shared report pipe (spawn_report.c) */
};

static struct vm_ctx vm = {.null_fd = -1, .slot = {-1, -1, -1}, .report_w = -1};

#define VM_STACK_SIZE (256u * 1024u)

struct vm_spawn {
    const struct spawn_params *p;
    int report_fd;   /* the service's: the shared report pipe, or the spawn's own */
    char *svc_stack; /* top of the service's stack, in its copy of the memory */
    /* Written by the intermediate in the memory it shares with pxinit. */
    pid_t svc;
    int stage, err;
};

/* The fds a service keeps through the island beyond its low slots: its
 * stdin and the fds it gets from 3 on, each below this (a bitmap on the
 * island's stack marks them); a spawn given higher ones forks instead. */
#define VM_KEEP_MAX 32768

static int max_given_fd(const struct spawn_params *p)
{
    int m = p->fd_in;
    for (size_t i = 0; i < p->nlisten_fds; i++)
        if (p->listen_fds[i] > m)
            m = p->listen_fds[i];
    return m;
}

/* A private file table holding only 0-2, the output fds and the report fd,
 * which spawn_clone() put in low slots: the table copied here is as small
 * as those slots, whatever the number of pxinit's descriptors. Everything
 * above goes (not copied). A service given fds (sockets, its fd store, a
 * connection) keeps those too: the table is then copied up to the highest,
 * and what lies between is closed a run at a time. */
static int unshare_low_fds(const struct spawn_params *p, int report_fd)
{
    int keep = 2;
    if (p->fd_out > keep)
        keep = p->fd_out;
    if (p->fd_err > keep)
        keep = p->fd_err;
    if (report_fd > keep)
        keep = report_fd;
    int given = max_given_fd(p);
    if (given > keep)
        keep = given;
    if (keep >= VM_KEEP_MAX) {
        errno = EMFILE;
        return -1;
    }
    if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return -1;
    /* The few copied below the slots go now, not at exec: the service's
     * preparation and exec run on while pxinit goes on, and a copy of a pipe
     * that pxinit closes meanwhile keeps it in libev's epoll set; its next
     * event then makes libev rebuild the whole set (seen as an epoll_create1
     * and an epoll_ctl per watched fd, several times a second in a crash
     * loop). */
    unsigned char kept[VM_KEEP_MAX / 8];
    memset(kept, 0, (size_t)keep / 8 + 1);
#define KEEP(fd) ((fd) > 2 ? (void)(kept[(fd) / 8] |= (unsigned char)(1u << ((fd) % 8))) : (void)0)
    KEEP(p->fd_out);
    KEEP(p->fd_err);
    KEEP(report_fd);
    KEEP(p->fd_in);
    for (size_t i = 0; i < p->nlisten_fds; i++)
        KEEP(p->listen_fds[i]);
#undef KEEP
    for (int fd = 3; fd <= keep;) {
        if (kept[fd / 8] & (1u << (fd % 8))) {
            fd++;
            continue;
        }
        int end = fd;
        while (end < keep && !(kept[(end + 1) / 8] & (1u << ((end + 1) % 8))))
            end++;
        if (end == fd)
            close(fd);
        else
            (void)syscall(SYS_close_range, (unsigned)fd, (unsigned)end, 0U);
        fd = end + 1;
    }
    return 0;
}

/* The service, in a copy of pxinit's memory, on the island's stack. Not
 * instrumented either: ASan would warn, in every service, about that stack
 * before the call to spawn_child_exec(), which does not return. */
__attribute__((no_sanitize("address"))) static int vm_service(void *arg)
{
    const struct vm_spawn *v = arg;
    setpgid(0, 0);
    spawn_child_exec(v->p, v->report_fd);
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
    /* The report pipe stays (spawn_report.c): records of spawns before may
     * still be in it. */
    if (vm.map)
        munmap(vm.map, vm.map_size);
    vm.map = vm.stack[0] = vm.stack[1] = NULL;
}

/* [guard][stack 0][guard][stack 1]: an overflow faults, it does not write
 * over the memory below, which is pxinit's. */
static void vm_stacks_map(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t guard = pg > 0 ? (size_t)pg : 4096u;
    vm.map_size = 2 * (guard + VM_STACK_SIZE);
    void *m = mmap(NULL, vm.map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return;
    char *base = m;
    vm.stack[0] = base + guard + VM_STACK_SIZE;
    vm.stack[1] = vm.stack[0] + guard + VM_STACK_SIZE;
    vm.map = m;
    if (mprotect(base, guard, PROT_NONE) < 0 || mprotect(vm.stack[0], guard, PROT_NONE) < 0) {
        munmap(m, vm.map_size);
        vm.map = vm.stack[0] = vm.stack[1] = NULL;
    }
}

/* Sets the island up at the first spawn; stack[0] NULL: it cannot be had. */
static const struct vm_ctx *vm_ctx_get(void)
{
    static bool tried;
    if (tried)
        return &vm;
    tried = true;
    /* Closing nothing with CLOSE_RANGE_UNSHARE: 0 where it is supported. */
    if (syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) < 0)
        return &vm;
    vm.report_w = spawn_report_shared_fd();
    if (vm.report_w < 0)
        return &vm;
    vm.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3 && vm.null_fd >= 0; i++)
        vm.slot[i] = fcntl(vm.null_fd, F_DUPFD_CLOEXEC, 3);
    if (vm.slot[2] >= 0)
        vm_stacks_map();
    if (!vm.stack[0])
        vm_ctx_drop();
    return &vm;
}

/* fd dup'ed into slot for the clone (SPAWN_FD_* pass through); -1 on error. */
static int slot_put(int fd, int slot)
{
    if (fd < 0)
        return fd;
    return dup3(fd, slot, O_CLOEXEC) < 0 ? -1 : slot;
}

/* With signals blocked: returns the intermediate's pid (it has exited, or
 * is exiting, by then), with the service's pid and any failure of the
 * intermediate in h; -1 with errno when the intermediate could not be
 * started, -2 when CLONE_VM is refused: fork() then, from now on. */
static pid_t spawn_vm(const struct spawn_params *p, struct spawn_handle *h)
{
    struct spawn_params q = *p;
    int own[2] = {-1, -1}; /* a spawn's own report pipe (Type=exec) */
    if (spawn_arena_prepare(&q) < 0)
        spawn_arena_heap_dofork(); /* the service's copy then includes the heap */
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

/* 0, -1 with errno, or -2 when the island is refused (spawn_vm). */
static int spawn_clone(const struct spawn_params *p, struct spawn_handle *h)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t pid = spawn_vm(p, h);
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid >= 0) {
        h->child = pid;
        return 0;
    }
    errno = saved;
    return pid == -1 ? -1 : -2;
}

/* --- the choice ---------------------------------------------------------------- */

int spawn_start(const struct spawn_params *p, struct spawn_handle *h)
{
    h->child = -1;
    h->report_fd = -1;
    h->pid = 0;
    h->stage = h->err = 0;
    spawn_child_ready(p);
    /* Only a service's double fork has an intermediate to put on the
     * island; the main command keeps the launcher's fds and is forked. So
     * is a service given an fd numbered past what the island keeps
     * (unshare_low_fds). */
    bool fds_too_high = max_given_fd(p) >= VM_KEEP_MAX;
    if (p->double_fork && !p->keep_fds && !fds_too_high && trick_on(TRICK_CLONE_VM) &&
        vm_ctx_get()->stack[0]) {
        int r = spawn_clone(p, h);
        if (r != -2)
            return r;
        /* CLONE_VM refused: fork() below, now and from now on. */
    }
    return spawn_fork(p, h);
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
