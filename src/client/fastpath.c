/* fastpath.c - `pxinit status UNIT` before, and without, the C library.
 *
 * In the static x86_64 build the ELF entry point is pxinit_entry (below;
 * configure.ac, Makefile.am), not glibc's _start. glibc's start-up runs
 * before main() and, on a VM, costs most of a status probe: its CPU
 * feature and cache probing executes dozens of CPUID instructions, each a
 * trap to the hypervisor (bench/README.md: 0.445 ms for a static "hello",
 * 0.148 ms for a program without libc). So the entry looks at argv first.
 * For the common query -- `pxinit status [-q] UNIT`, with -R DIR,
 * --runtime-dir[=]DIR or --system before or after the verb or
 * PXINIT_RUNTIME_DIR (--user goes to glibc's path), stdout
 * not a terminal (or -q) -- it reads the status board with raw system
 * calls, prints the line the client prints (status_line.c, shared with protocol.c) and
 * exits with the client's code: 0 active, 3 not. For anything else, and at
 * the first doubt (another verb or option, no board, another version, a
 * stale or overflowed board, a unit it does not find, a long name, a
 * terminal, any failed call), it has written nothing and returns to the
 * stub, which jumps to _start with the stack and %rdx as the kernel left
 * them: the process goes on exactly as without this file. The daemon role
 * (argv[1] is no verb) costs a look at the first few arguments.
 *
 * Nothing here may reach into libc: there is no TLS yet (%fs is 0, so a
 * stack protector's canary read would fault), IFUNCs such as memcpy or
 * strlen are not resolved, errno does not exist. The file is compiled
 * freestanding, without stack protector or sanitizers, and the build
 * refuses an object that calls anything outside itself but _start
 * (Makefile.am), so a memcpy the compiler slips in cannot link.
 *
 * PXINIT_FAST_STATUS=0 in the environment, or PXINIT_PLAIN=all (or a list
 * naming fast-status: base/tricks.h, read here since getenv() cannot run
 * yet), sends status queries to glibc's path. In the test build only
 * (-DPXINIT_TEST_HOOKS: tests/e2e/helpers/pxinit-hooks, never the installed
 * binary), PXINIT_FAST_STATUS=only makes a status query this path does not
 * answer exit 99 instead of going on, so tests/e2e/fast_status.sh knows
 * which path answered.
 */
#include <asm/errno.h>
#include <asm/ioctls.h>
#include <asm/stat.h>
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/stat.h>

#include "config/options.h"
#include "wire/status_board.h"
#include "wire/status_line.h"
#include "wire/verbs.h"
#include "wire/freestr.h"

/* The kernel enters with %rsp 16-byte aligned, pointing at argc, and %rdx 0
 * (glibc's _start registers %rdx with atexit when it is not). The stub hands
 * the stack to fastpath_status() and, when that returns, restores %rdx and
 * %rsp and jumps to _start, which finds everything as the kernel left it. */
__asm__(
    ".text\n"
    ".globl pxinit_entry\n"
    ".type pxinit_entry, @function\n"
    "pxinit_entry:\n"
    "    mov %rsp, %rdi\n"
    "    push %rdx\n"
    "    push %rdx\n" /* twice: the call wants %rsp 16-byte aligned */
    "    call fastpath_status\n"
    "    pop %rdx\n"
    "    pop %rdx\n"
    "    jmp _start\n"
    ".size pxinit_entry, .-pxinit_entry\n");

void fastpath_status(long *sp);

/* The return from a signal handler (rt_sigreturn), for SA_RESTORER: glibc
 * supplies one, this path has none. */
__asm__(
    ".text\n"
    ".type fastpath_restorer, @function\n"
    "fastpath_restorer:\n"
    "    mov $15, %eax\n" /* __NR_rt_sigreturn */
    "    syscall\n"
    ".size fastpath_restorer, .-fastpath_restorer\n");
__attribute__((visibility("hidden"))) void fastpath_restorer(void);

#ifdef PXINIT_TEST_HOOKS
/* What PXINIT_FAST_STATUS=only exits with when this path cannot answer. */
#define FASTPATH_DECLINED 99
#endif

/* --- system calls: x86_64, results are -errno on failure ------------------- */

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static void sys_close(int fd)
{
    (void)sys3(__NR_close, fd, 0, 0);
}

static _Noreturn void sys_exit(int code)
{
    for (;;)
        (void)sys3(__NR_exit_group, code, 0, 0);
}

/* Writes all of buf to fd (a failed write ends it, as with stdio). */
static void write_out(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        long n = sys3(__NR_write, fd, (long)buf, (long)len);
        if (n == -EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* --- strings ------------------------------------------------------------------ */

/* What follows prefix in s, or NULL when s does not start with it. */
static const char *after(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return s;
}

/* --- the guard against a board cut short --------------------------------------- */

/* The daemon writes the board with pwrite() and never maps it, but this
 * reader maps it, and a file truncated under the mapping (by another root
 * process) raises SIGBUS at the next load. While the board is mapped, a
 * handler puts a page of zeros over the faulting page of the mapping (the
 * load then completes) and notes the fault: the answer is then not given
 * here, and glibc's path (which guards its reads the same way and asks the
 * socket) gives it. The disposition the process had is restored before
 * _start runs. */
struct k_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};
#define K_SIGBUS 7
#define K_SA_SIGINFO 4ul
#define K_SA_RESTORER 0x04000000ul
#define K_SIGINFO_ADDR 16 /* offset of si_addr in the kernel's siginfo */

static unsigned long guard_lo, guard_hi;
static volatile int guard_faulted;

static void guard_bus(int sig, void *info, void *uc)
{
    (void)uc;
    unsigned long a = *(unsigned long *)((char *)info + K_SIGINFO_ADDR);
    if (a >= guard_lo && a < guard_hi) {
        long m = sys6(__NR_mmap, (long)(a & ~4095ul), 4096, PROT_READ,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (m >= 0 || m < -4095) {
            guard_faulted = 1;
            return;
        }
    }
    /* Not ours, or no page: the default action, as without the guard. */
    struct k_sigaction dfl = {0};
    (void)sys6(__NR_rt_sigaction, sig, (long)&dfl, 0, 8, 0, 0);
}

/* Installs the guard over [lo, hi), saving the old action. 0, or -1. */
static int guard_on(unsigned long lo, unsigned long hi, struct k_sigaction *old)
{
    guard_lo = lo;
    guard_hi = hi;
    guard_faulted = 0;
    struct k_sigaction sa = {
        .handler = guard_bus,
        .flags = K_SA_SIGINFO | K_SA_RESTORER,
        .restorer = fastpath_restorer,
    };
    return sys6(__NR_rt_sigaction, K_SIGBUS, (long)&sa, (long)old, 8, 0, 0) < 0 ? -1 : 0;
}

static void guard_off(const struct k_sigaction *old)
{
    (void)sys6(__NR_rt_sigaction, K_SIGBUS, (long)old, 0, 8, 0, 0);
    guard_lo = guard_hi = 0;
}

/* --- the board ------------------------------------------------------------------ */

union rec_copy {
    struct sb_record r;
    uint64_t w[SB_RECORD_SIZE / 8];
};

/* doc/status-board.md's reader: the counter even and unchanged around the
 * copy. 0, or -1 when the writer held the record too long. */
static int rec_read(const struct sb_record *rec, union rec_copy *out)
{
    const uint64_t *src = (const uint64_t *)(const void *)rec;
    for (int tries = 0; tries < 10000; tries++) {
        uint32_t s1 = __atomic_load_n(&rec->seq, __ATOMIC_ACQUIRE);
        if (s1 & 1) {
            if (tries > 100)
                (void)sys3(__NR_sched_yield, 0, 0, 0);
            continue;
        }
        for (unsigned k = 0; k < SB_RECORD_SIZE / 8; k++)
            out->w[k] = __atomic_load_n(&src[k], __ATOMIC_RELAXED);
        /* The copy must be complete before the counter is read again. */
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&rec->seq, __ATOMIC_RELAXED) == s1) {
            out->r.name[SB_INLINE_NAME - 1] = '\0';
            return 0;
        }
    }
    return -1;
}

/* A cheap unlocked look at a record's short name; the copy decides. */
static bool rec_name_is(const struct sb_record *rec, const char *name, size_t len)
{
    for (size_t i = 0; i <= len; i++)
        if (__atomic_load_n(&rec->name[i], __ATOMIC_RELAXED) != name[i])
            return false;
    return true;
}

/* Finds name (shorter than SB_INLINE_NAME) on the mapped board the way
 * sb_reader_find() does. 1 found, 0 not, -1 a record stayed busy. */
static int board_find(const char *map, uint32_t nrec, const char *name, union rec_copy *out)
{
    const struct sb_header *h = (const struct sb_header *)(const void *)map;
    uint32_t used = __atomic_load_n(&h->used, __ATOMIC_ACQUIRE);
    size_t len = str_len(name);
    if (used > nrec)
        used = nrec;
    for (uint32_t i = 0; i < used; i++) {
        const struct sb_record *rec =
            (const struct sb_record *)(const void *)(map + SB_HEADER_SIZE +
                                                     (size_t)i * SB_RECORD_SIZE);
        uint8_t flags = __atomic_load_n(&rec->flags, __ATOMIC_RELAXED);
        if ((flags & SB_REC_LONG_NAME) || !rec_name_is(rec, name, len))
            continue;
        if (rec_read(rec, out) < 0)
            return -1;
        if ((out->r.flags & SB_REC_USED) && !(out->r.flags & SB_REC_LONG_NAME) &&
            str_eq(out->r.name, name))
            return 1;
    }
    return 0;
}

/* The board at path, checked as sb_reader_open() checks it, and the line for
 * name on it. Returns the exit code after printing, or -1 (nothing printed)
 * when glibc's path must answer. */
static int board_status(const char *path, const char *name, bool quiet)
{
    long fd = sys3(__NR_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    struct stat st;
    struct sb_header h;
    int code = -1;
    if (sys3(__NR_fstat, fd, (long)&st, 0) < 0 || (st.st_mode & S_IFMT) != S_IFREG ||
        st.st_size < (long)SB_HEADER_SIZE ||
        sys6(__NR_pread64, fd, (long)&h, sizeof(h), 0, 0, 0) != (long)sizeof(h))
        goto out;
    for (unsigned i = 0; i < sizeof(h.magic); i++)
        if (h.magic[i] != SB_MAGIC[i])
            goto out;
    if (h.version != SB_VERSION || h.header_size != SB_HEADER_SIZE ||
        h.record_size != SB_RECORD_SIZE || h.capacity == 0 || h.capacity > SB_CAPACITY ||
        h.names_offset != SB_NAMES_OFFSET || h.name_size != SB_NAME_MAX ||
        SB_NAMES_OFFSET + (unsigned long)h.capacity * SB_NAME_MAX > (unsigned long)st.st_size)
        goto out;
    /* The records in use and some room, as sb_reader_open() maps them. */
    uint32_t want = h.used + 64 < h.capacity ? h.used + 64 : h.capacity;
    size_t size = SB_HEADER_SIZE + (size_t)want * SB_RECORD_SIZE;
    struct k_sigaction saved;
    long map = sys6(__NR_mmap, 0, (long)size, PROT_READ, MAP_SHARED, fd, 0);
    if (map < 0 && map > -4096)
        goto out;
    if (guard_on((unsigned long)map, (unsigned long)map + size, &saved) < 0) {
        (void)sys3(__NR_munmap, map, (long)size, 0);
        goto out;
    }
    /* The daemon holds an exclusive lock for its whole life: a shared one
     * granted means the board is stale, which glibc's path reports. */
    long lk = sys3(__NR_flock, fd, LOCK_SH | LOCK_NB, 0);
    const struct sb_header *hdr = (const struct sb_header *)map;
    union rec_copy rec;
    if (lk == -EWOULDBLOCK &&
        !(__atomic_load_n(&hdr->flags, __ATOMIC_ACQUIRE) & SB_FLAG_OVERFLOW) &&
        board_find((const char *)map, want, name, &rec) == 1 && !guard_faulted) {
        char line[SL_LINE_MAX];
        long now = sys3(__NR_time, 0, 0, 0);
        size_t len = sl_format_record(line, sizeof(line), &rec.r, rec.r.name, now);
        if (len < sizeof(line)) {
            code = rec.r.state == UNIT_STATE_ACTIVE ? 0 : 3;
            if (!quiet)
                write_out(1, line, len);
        }
    }
    (void)sys3(__NR_munmap, map, (long)size, 0);
    guard_off(&saved);
out:
    sys_close((int)fd);
    return code;
}

/* --- argv and the environment --------------------------------------------------- */

/* What argv asks for, when it is `pxinit status ...`. */
struct fp_args {
    const char *dir, *unit;
    bool shape; /* the one shape this path answers */
    bool quiet;
};

/* True when argv0's last path component is name. */
static bool invoked_as(const char *argv0, const char *name)
{
    const char *base = argv0;
    for (const char *p = argv0; *p; p++)
        if (*p == '/')
            base = p + 1;
    return str_eq(base, name);
}

/* client.c's parse_args() for the one shape this path answers. False when a
 * word it does not expect before the verb means the daemon role or another
 * verb: on to _start at once. */
static bool args_read(long argc, char **argv, struct fp_args *a)
{
    bool verb = false;
    /* `systemctl status web` is systemctl's status (main.c dispatches by
     * name), not pxinit's one-line answer. */
    if (argc < 1 || !argv[0] || invoked_as(argv[0], "systemctl") ||
        invoked_as(argv[0], "journalctl"))
        return false;
    a->dir = a->unit = 0;
    a->shape = true;
    a->quiet = false;
    for (long i = 1; i < argc && a->shape; i++) {
        const char *w = argv[i], *v;
        if (!verb && w[0] != '-') {
            if (!str_eq(w, verb_name(VERB_STATUS)))
                return false;
            verb = true;
        } else if (str_eq(w, "-R") || str_eq(w, "--runtime-dir")) {
            if (i + 1 >= argc)
                a->shape = false; /* no DIR: a usage error */
            else
                a->dir = argv[++i];
        } else if ((v = after(w, "--runtime-dir="))) {
            a->dir = v;
        } else if (str_eq(w, "--user")) {
            /* The user daemon's directory needs the environment's XDG
             * variables and an ownership check (config/paths.c): glibc's
             * path answers. */
            return false;
        } else if (str_eq(w, "--system")) {
            continue; /* the default this path already reads */
        } else if (w[0] == '-' && w[1] == 'R' && w[2]) {
            a->dir = w + 2;
        } else if (!verb) {
            return false;
        } else if (str_eq(w, "-q") || str_eq(w, "--quiet")) {
            a->quiet = true; /* a health check's form: the exit code alone */
        } else if (w[0] == '-' || a->unit) {
            a->shape = false; /* an option, or a second unit */
        } else {
            a->unit = w;
        }
    }
    return verb;
}

/* The knobs this path reads: the first of each, as getenv() finds it. */
struct fp_env {
    const char *dir, *no_board, *mode, *plain;
};

static void env_read(char **envp, struct fp_env *env)
{
    env->dir = env->no_board = env->mode = env->plain = 0;
    for (char **e = envp; *e; e++) {
        const char *v;
        if (!env->dir && (v = after(*e, "PXINIT_RUNTIME_DIR=")))
            env->dir = v;
        else if (!env->no_board && (v = after(*e, "PXINIT_NO_BOARD=")))
            env->no_board = v;
        else if (!env->mode && (v = after(*e, "PXINIT_FAST_STATUS=")))
            env->mode = v;
        else if (!env->plain && (v = after(*e, "PXINIT_PLAIN=")))
            env->plain = v;
    }
}

/* Whether PXINIT_PLAIN turns this trick off, read as trick_configure()
 * (base/tricks.c) reads it, which cannot run this early: "all" or "1", or
 * a comma-separated list naming "fast-status". */
static bool plain_says_off(const char *spec)
{
    static const char name[] = "fast-status";
    if (!spec)
        return false;
    if (str_eq(spec, "all") || str_eq(spec, "1"))
        return true;
    for (const char *p = spec; *p;) {
        size_t i = 0;
        while (p[i] && p[i] != ',' && name[i] && p[i] == name[i])
            i++;
        if (!name[i] && (p[i] == ',' || !p[i]))
            return true;
        while (*p && *p != ',')
            p++;
        if (*p == ',')
            p++;
    }
    return false;
}

/* The answer to `pxinit status [-q] UNIT` from the board, printed: the exit
 * code, or -1 when glibc's path must answer. */
static int answer(const struct fp_args *a, const struct fp_env *env)
{
    char name[SB_NAME_MAX], path[4096];
    char termios[64];
    const char *dir = a->dir                  ? a->dir
                      : env->dir && *env->dir ? env->dir
                                              : PXINIT_DEFAULT_RUNTIME_DIR;
    size_t dlen = str_len(dir);
    /* A terminal gets a legend (and EBADF, no stdout, is left to glibc). */
    long tty = sys3(__NR_ioctl, 1, TCGETS, (long)termios);
    /* PXINIT_NO_BOARD as client.c reads it. */
    bool board = !env->no_board || !*env->no_board || str_eq(env->no_board, "0");
    if (!a->shape || !a->unit || !board || !proto_unit_name_ok(a->unit) ||
        !(a->quiet || (tty < 0 && tty != -EBADF)) || dlen + sizeof("/status") > sizeof(path))
        return -1;
    proto_short_name(a->unit, name, sizeof(name));
    for (size_t i = 0; i < dlen; i++)
        path[i] = dir[i];
    const char *s = "/status";
    for (size_t i = 0; i < sizeof("/status"); i++)
        path[dlen + i] = s[i];
    if (str_len(name) >= SB_INLINE_NAME)
        return -1;
    return board_status(path, name, a->quiet);
}

__attribute__((used)) void fastpath_status(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    struct fp_args a;
    struct fp_env env;
    if (!args_read(argc, argv, &a))
        return;
    env_read(envp, &env);
    /* The user's switches: the plain way, glibc's path, answers. */
    if (env.mode && str_eq(env.mode, "0"))
        return;
    int code = plain_says_off(env.plain) ? -1 : answer(&a, &env);
    if (code >= 0)
        sys_exit(code);
#ifdef PXINIT_TEST_HOOKS
    /* Only in the test build (tests/e2e/helpers/pxinit-hooks, Makefile.am):
     * PXINIT_FAST_STATUS=only tells a test which path answered. */
    if (env.mode && str_eq(env.mode, "only")) {
        static const char msg[] = "pxinit status: PXINIT_FAST_STATUS=only: not answered\n";
        write_out(2, msg, sizeof(msg) - 1);
        sys_exit(FASTPATH_DECLINED);
    }
#endif
}
