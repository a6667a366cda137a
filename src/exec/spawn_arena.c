/* spawn_arena.c - keeping the service's copy of pxinit small (part of the
 * CLONE_VM island, spawn.c).
 *
 * The service is forked from the intermediate, which shares pxinit's memory:
 * the fork copies pxinit's page tables and write-protects its pages, and then
 * every page pxinit writes faults once per spawn (a copy while the service
 * has not exec'd yet). On a VM whose page-table updates trap to the
 * hypervisor that made a spawn cost pxinit 1.1 ms instead of 0.2. Most of
 * those pages are malloc's heap, which the service never reads: it is marked
 * MADV_DONTFORK (not mapped in the service at all), and what the service
 * needs of it (path, argv, environment, directory, limits, groups, command) is
 * copied for each spawn into an arena of its own, which is copied. The
 * thread's TCB and static TLS (errno) sit at the bottom of the heap in a
 * static build: that part stays. Any fork() whose child reads the heap (the
 * plain way, the main command) undoes the mark first.
 */
#include "exec/spawn_arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One mapping, refilled for each spawn (spawns never overlap), grown when a
 * spawn's parameters do not fit. */
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

/* The next heap_dontfork() marks it again. */
void spawn_arena_heap_dofork(void)
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

/* Copies what q points to, which may be in the heap, into the arena; -1
 * when it does not fit (the arena then grows for the next try). */
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
    gid_t *groups = q->ngroups ? arena_take(q->ngroups * sizeof(*groups)) : NULL;
    if (groups)
        memcpy(groups, q->groups, q->ngroups * sizeof(*groups));
    int *lfds = q->nlisten_fds ? arena_take(q->nlisten_fds * sizeof(*lfds)) : NULL;
    if (lfds)
        memcpy(lfds, q->listen_fds, q->nlisten_fds * sizeof(*lfds));
    if (!path || !argv || !envp || (q->cwd && !cwd) || (q->what && !what) ||
        (q->limit_set && (!set || !lim)) || (q->ngroups && !groups) || (q->nlisten_fds && !lfds))
        return -1;
    if (q->nlisten_fds)
        q->listen_fds = lfds;
    /* LISTEN_PID's slot: the same entry of the copy. */
    if (q->pid_env_slot)
        q->pid_env_slot = envp + (q->pid_env_slot - q->envp);
    if (q->ngroups)
        q->groups = groups;
    q->path = path;
    q->argv = argv;
    q->envp = envp;
    q->cwd = cwd;
    q->what = what;
    q->limit_set = set;
    q->limits = lim;
    return 0;
}

/* Whether q's pid_env_slot, if any, is an entry of its envp (the arena
 * copies that array, not whatever else the slot could point into). */
static bool slot_in_envp(const struct spawn_params *q)
{
    if (!q->pid_env_slot)
        return true;
    for (char *const *e = q->envp; *e; e++)
        if (e == q->pid_env_slot)
            return true;
    return false;
}

/* -1 also for what the arena does not copy (pointers into the heap that
 * only the main command's params have). */
int spawn_arena_prepare(struct spawn_params *q)
{
    heap_dontfork();
    if (heap_dontfork_off || q->pass_fds || q->sigactions || !slot_in_envp(q))
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
