/* status_board_read.c - the client's side of the status board: map it
 * read-only, check it is a board this build can read, tell a live daemon's
 * from a stale one (the lock), and copy records out consistently (the
 * seqlock), guarded against a file cut short under the mapping (SIGBUS).
 * The daemon's side is status_board.c; the format is doc/status-board.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire/status_board.h"

static const struct sb_record *rec_at(const void *map, uint32_t slot)
{
    return (const struct sb_record *)((const char *)map + SB_HEADER_SIZE +
                                      (size_t)slot * SB_RECORD_SIZE);
}

/* The guard against a board cut short under a reader's mappings: SIGBUS at
 * an address inside one of them puts a page of zeros there (the load then
 * completes) and counts the fault; sb_reader_intact() reports it. Any other
 * SIGBUS gets the default action back and happens again, as without the
 * guard. The client is single-threaded; the ranges change only with the
 * signal blocked. */
#define GUARD_RANGES 8
static struct {
    uintptr_t lo, hi;
} guard_range[GUARD_RANGES];
static unsigned guard_nranges;
static volatile sig_atomic_t guard_faults;
static struct sigaction guard_saved;

static void guard_bus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (unsigned i = 0; i < GUARD_RANGES; i++) {
        if (a < guard_range[i].lo || a >= guard_range[i].hi)
            continue;
        uintptr_t page = a & ~(uintptr_t)4095;
        if (mmap((void *)page, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
            MAP_FAILED) {
            guard_faults++;
            return;
        }
        break;
    }
    signal(sig, SIG_DFL);
}

static void guard_block(sigset_t *old, bool block)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGBUS);
    sigprocmask(block ? SIG_BLOCK : SIG_SETMASK, block ? &set : old, block ? old : NULL);
}

static void guard_add(const void *p, size_t len)
{
    sigset_t old;
    guard_block(&old, true);
    for (unsigned i = 0; i < GUARD_RANGES; i++) {
        if (guard_range[i].hi)
            continue;
        if (guard_nranges++ == 0) {
            struct sigaction sa = {.sa_sigaction = guard_bus, .sa_flags = SA_SIGINFO};
            sigemptyset(&sa.sa_mask);
            sigaction(SIGBUS, &sa, &guard_saved);
        }
        guard_range[i].lo = (uintptr_t)p;
        guard_range[i].hi = (uintptr_t)p + len;
        break;
    }
    guard_block(&old, false);
}

static void guard_remove(const void *p)
{
    sigset_t old;
    guard_block(&old, true);
    for (unsigned i = 0; i < GUARD_RANGES; i++) {
        if (!guard_range[i].hi || guard_range[i].lo != (uintptr_t)p)
            continue;
        guard_range[i].lo = guard_range[i].hi = 0;
        if (--guard_nranges == 0)
            sigaction(SIGBUS, &guard_saved, NULL);
        break;
    }
    guard_block(&old, false);
}

bool sb_reader_intact(const struct sb_reader *r)
{
    if (r->fd < 0 || guard_faults != r->faults)
        return false;
    struct stat st;
    char magic[sizeof(SB_MAGIC) - 1];
    return fstat(r->fd, &st) == 0 && (size_t)st.st_size >= SB_FILE_SIZE &&
           st.st_ctim.tv_sec == r->ctime.tv_sec && st.st_ctim.tv_nsec == r->ctime.tv_nsec &&
           pread(r->fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
           memcmp(magic, SB_MAGIC, sizeof(magic)) == 0;
}

enum sb_open_result sb_reader_open(struct sb_reader *r, const char *path)
{
    memset(r, 0, sizeof(*r));
    r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (r->fd < 0)
        return SB_OPEN_MISSING;
    struct stat st;
    struct sb_header h;
    if (fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < SB_HEADER_SIZE ||
        pread(r->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
        goto invalid;
    /* Another version (an older or newer daemon) is not a board we can read:
     * the caller asks the socket, which every version answers. */
    if (memcmp(h.magic, SB_MAGIC, sizeof(h.magic)) != 0 || h.version != SB_VERSION ||
        h.header_size != SB_HEADER_SIZE || h.record_size != SB_RECORD_SIZE || h.capacity == 0 ||
        h.capacity > SB_CAPACITY || h.names_offset != SB_NAMES_OFFSET ||
        h.name_size != SB_NAME_MAX ||
        SB_NAMES_OFFSET + (size_t)h.capacity * SB_NAME_MAX > (size_t)st.st_size)
        goto invalid;
    /* Only the records in use (and some room to grow), and their long-name
     * entries: a status probe should not map, and unmap, the whole file. A
     * reader sees the units that existed when it looked, which is what a
     * snapshot is. */
    uint32_t want = h.used + 64 < h.capacity ? h.used + 64 : h.capacity;
    size_t size = SB_HEADER_SIZE + (size_t)want * SB_RECORD_SIZE;
    void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, r->fd, 0);
    if (map == MAP_FAILED)
        goto invalid;
    r->faults = guard_faults;
    r->ctime = st.st_ctim;
    guard_add(map, size);
    r->map = map;
    r->size = size;
    r->hdr = map;
    r->nrec = want;
    /* The long-name entries are mapped when a long name is first met: most
     * boards have none, and a status probe saves a mapping. */
    /* The daemon holds an exclusive lock for as long as it lives. */
    if (flock(r->fd, LOCK_SH | LOCK_NB) == 0) {
        r->stale = true;
        (void)flock(r->fd, LOCK_UN);
    } else if (errno != EWOULDBLOCK) {
        r->stale = true;
    }
    return SB_OPEN_OK;
invalid:
    sb_reader_close(r);
    return SB_OPEN_INVALID;
}

void sb_reader_close(struct sb_reader *r)
{
    if (r->map) {
        guard_remove(r->map);
        munmap((void *)r->map, r->size);
    }
    if (r->names) {
        guard_remove(r->names);
        munmap((void *)r->names, r->names_size);
    }
    if (r->fd >= 0)
        close(r->fd);
    memset(r, 0, sizeof(*r));
    r->fd = -1;
}

uint32_t sb_reader_used(const struct sb_reader *r)
{
    uint32_t used = __atomic_load_n(&r->hdr->used, __ATOMIC_ACQUIRE);
    return used > r->nrec ? r->nrec : used;
}

/* Maps the long-name entries of the records mapped. 0, or -1. */
static int map_names(struct sb_reader *r)
{
    if (r->names)
        return 0;
    size_t nsize = (size_t)r->nrec * SB_NAME_MAX;
    void *names = mmap(NULL, nsize, PROT_READ, MAP_SHARED, r->fd, SB_NAMES_OFFSET);
    if (names == MAP_FAILED)
        return -1;
    guard_add(names, nsize);
    r->names = names;
    r->names_size = nsize;
    return 0;
}

int sb_reader_get(struct sb_reader *r, uint32_t slot, struct sb_unit *out)
{
    if (slot >= r->nrec)
        return 0;
    const struct sb_record *rec = rec_at(r->map, slot);
    if ((__atomic_load_n(&rec->flags, __ATOMIC_RELAXED) & SB_REC_LONG_NAME) && map_names(r) < 0)
        return -1;
    const char *long_name = r->names ? (const char *)r->names + (size_t)slot * SB_NAME_MAX : NULL;
    for (int tries = 0; tries < 10000; tries++) {
        uint32_t s1 = __atomic_load_n(&rec->seq, __ATOMIC_ACQUIRE);
        if (s1 & 1) {
            if (tries > 100)
                sched_yield();
            continue;
        }
        struct sb_record v;
        char name[SB_NAME_MAX];
        memcpy(&v, rec, sizeof(v));
        if (v.flags & SB_REC_LONG_NAME) {
            if (!long_name) /* turned long after the look above: look again */
                return sb_reader_get(r, slot, out);
            memcpy(name, long_name, SB_NAME_MAX);
        }
        /* The copy must be complete before the counter is read again. */
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t s2 = __atomic_load_n(&rec->seq, __ATOMIC_RELAXED);
        if (s1 != s2)
            continue;
        /* A clean copy: nothing of earlier contents past the NULs. */
        memset(out, 0, sizeof(*out));
        if (v.flags & SB_REC_LONG_NAME)
            memcpy(out->name, name, strnlen(name, SB_NAME_MAX - 1));
        else
            memcpy(out->name, v.name, strnlen(v.name, SB_INLINE_NAME - 1));
        out->state = v.state;
        out->sub = v.sub;
        if (v.flags & SB_REC_TIMER) {
            /* A timer has no processes; its times are where they would be. */
            out->timer = true;
            out->pid = out->pgid = out->exit_code = out->exit_signal = -1;
            out->next_elapse = v.next_elapse;
            out->last_trigger = v.last_trigger;
        } else {
            out->pid = v.pid;
            out->pgid = v.pgid;
            out->restarts = v.restarts;
            out->exit_code = v.exit_code;
            out->exit_signal = v.exit_signal;
        }
        out->since = v.since;
        return (v.flags & SB_REC_USED) ? 1 : 0;
    }
    return -1;
}

int sb_reader_find(struct sb_reader *r, const char *name, struct sb_unit *out)
{
    uint32_t used = sb_reader_used(r);
    size_t len = strlen(name);
    if (len >= SB_NAME_MAX)
        return 0;
    bool is_long = len >= SB_INLINE_NAME;
    if (is_long && map_names(r) < 0)
        return -1;
    for (uint32_t i = 0; i < used; i++) {
        const struct sb_record *rec = rec_at(r->map, i);
        /* A cheap unlocked look first; the seqlocked copy decides. */
        uint8_t flags = __atomic_load_n(&rec->flags, __ATOMIC_RELAXED);
        if (is_long != ((flags & SB_REC_LONG_NAME) != 0))
            continue;
        const char *have = is_long ? (const char *)r->names + (size_t)i * SB_NAME_MAX : rec->name;
        if (strncmp(have, name, len + 1) != 0)
            continue;
        int g = sb_reader_get(r, i, out);
        if (g < 0)
            return -1;
        if (g == 1 && strcmp(out->name, name) == 0)
            return 1;
    }
    return 0;
}
