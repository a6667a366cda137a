/* status_board.c - the shared-memory status board: the daemon's writer side
 * (create, slots, seqlocked publish) and the client's reader side (map,
 * validate, liveness through the lock, consistent copies). Layout and the
 * seqlock protocol are described in status_board.h and doc/status-board.md.
 */
#include "status_board.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(struct sb_header) <= SB_HEADER_SIZE, "header too large");
_Static_assert(sizeof(struct sb_record) <= SB_RECORD_SIZE, "record too large");
_Static_assert(SB_CAPACITY >= 10000, "the board must hold 10,000 units");
/* The layout is documented (doc/status-board.md): keep it. */
_Static_assert(offsetof(struct sb_header, generation) == 40, "header layout");
_Static_assert(offsetof(struct sb_header, started) == 48, "header layout");
_Static_assert(offsetof(struct sb_header, names_offset) == 56, "header layout");
_Static_assert(sizeof(struct sb_record) == SB_RECORD_SIZE, "record layout");
_Static_assert(offsetof(struct sb_record, pid) == 8, "record layout");
_Static_assert(offsetof(struct sb_record, exit_code) == 20, "record layout");
_Static_assert(offsetof(struct sb_record, since) == 24, "record layout");
_Static_assert(offsetof(struct sb_record, name) == 32, "record layout");
_Static_assert(SB_NAMES_OFFSET % 4096 == 0, "the long-name area must be mappable by itself");

static uint8_t code_of(const char (*names)[SB_WORD_MAX], unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (uint8_t)i;
    return SB_CODE_NONE;
}

uint8_t sb_state_code(const char *name) { return code_of(sb_state_names, sb_nstates, name); }
uint8_t sb_sub_code(const char *name) { return code_of(sb_sub_names, sb_nsubs, name); }

static struct sb_record *rec_at(const void *map, uint32_t slot)
{
    return (struct sb_record *)((char *)map + SB_HEADER_SIZE + (size_t)slot * SB_RECORD_SIZE);
}

/* The slot's entry in the long-name area of a mapping of the whole board. */
static char *long_name_at(const void *map, uint32_t slot)
{
    return (char *)map + SB_NAMES_OFFSET + (size_t)slot * SB_NAME_MAX;
}

static size_t board_size(void)
{
    return SB_NAMES_OFFSET + (size_t)SB_CAPACITY * SB_NAME_MAX;
}

/* --- writer ------------------------------------------------------------------- */

int sb_create(struct status_board *b, const char *path, mode_t mode)
{
    memset(b, 0, sizeof(*b));
    b->fd = -1;
    size_t size = board_size();
    /* A new inode each time: a reader still mapping the previous daemon's
     * board keeps seeing that one (and its stale lock), never a half-made one. */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    (void)unlink(tmp);
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return -1;
    int saved;
    if (fchmod(fd, mode) < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 || ftruncate(fd, (off_t)size) < 0)
        goto fail;
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        goto fail;
    /* Only the pages of used records should become part of the daemon: on a
     * disk file system (no tmpfs at /run) the first touch of a record would
     * otherwise read ahead, and fault-around map, the zero pages after it. */
    (void)madvise(map, size, MADV_RANDOM);
    struct sb_header *h = map;
    h->version = SB_VERSION;
    h->header_size = SB_HEADER_SIZE;
    h->record_size = SB_RECORD_SIZE;
    h->capacity = SB_CAPACITY;
    h->daemon_pid = (int32_t)getpid();
    h->started = (int64_t)time(NULL);
    h->names_offset = SB_NAMES_OFFSET;
    h->name_size = SB_NAME_MAX;
    /* The magic last: a reader that sees it sees a complete header. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(h->magic, SB_MAGIC, sizeof(h->magic));
    if (rename(tmp, path) < 0) {
        saved = errno;
        munmap(map, size);
        errno = saved;
        goto fail;
    }
    b->fd = fd;
    b->map = map;
    b->size = size;
    return 0;
fail:
    saved = errno;
    close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

void sb_close(struct status_board *b)
{
    if (b->map) {
        struct sb_header *h = b->map;
        __atomic_or_fetch(&h->flags, SB_FLAG_CLOSED, __ATOMIC_RELEASE);
        munmap(b->map, b->size);
    }
    if (b->fd >= 0)
        close(b->fd); /* releases the lock */
    free(b->free_slots);
    memset(b, 0, sizeof(*b));
    b->fd = -1;
}

int sb_slot_alloc(struct status_board *b)
{
    if (!b->map)
        return -1;
    if (b->nfree > 0)
        return (int)b->free_slots[--b->nfree];
    struct sb_header *h = b->map;
    if (b->used >= SB_CAPACITY) {
        __atomic_or_fetch(&h->flags, SB_FLAG_OVERFLOW, __ATOMIC_RELEASE);
        return -1;
    }
    int slot = (int)b->used++;
    __atomic_store_n(&h->used, b->used, __ATOMIC_RELEASE);
    return slot;
}

static int16_t clamp16(int32_t v)
{
    return v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : (int16_t)v;
}

/* u NULL: the slot is freed. The name goes to the record when it fits, to
 * the slot's long-name entry otherwise (written under the same seqlock). */
static void rec_write(void *map, uint32_t slot, const struct sb_unit *u)
{
    struct sb_record *r = rec_at(map, slot);
    uint32_t seq = __atomic_load_n(&r->seq, __ATOMIC_RELAXED);
    __atomic_store_n(&r->seq, seq + 1, __ATOMIC_RELAXED);
    /* The odd counter must be visible before any field changes. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    struct sb_record v = {.seq = seq + 1};
    if (u) {
        size_t len = strnlen(u->name, SB_NAME_MAX - 1);
        v.flags = SB_REC_USED;
        v.state = sb_state_code(u->state);
        v.sub = sb_sub_code(u->sub);
        v.pid = u->pid;
        v.pgid = u->pgid;
        v.restarts = u->restarts;
        v.exit_code = clamp16(u->exit_code);
        v.exit_signal = clamp16(u->exit_signal);
        v.since = u->since;
        if (len < SB_INLINE_NAME) {
            memcpy(v.name, u->name, len);
        } else {
            char *ln = long_name_at(map, slot);
            memcpy(ln, u->name, len);
            ln[len] = '\0';
            v.flags |= SB_REC_LONG_NAME;
        }
    }
    /* Everything but the counter, which stays odd until the release below. */
    memcpy((char *)r + sizeof(r->seq), (const char *)&v + sizeof(v.seq), sizeof(v) - sizeof(v.seq));
    __atomic_store_n(&r->seq, seq + 2, __ATOMIC_RELEASE);
}

static void bump_generation(struct status_board *b)
{
    struct sb_header *h = b->map;
    __atomic_add_fetch(&h->generation, 1, __ATOMIC_RELEASE);
}

void sb_slot_free(struct status_board *b, int slot)
{
    if (!b->map || slot < 0 || (uint32_t)slot >= b->used)
        return;
    uint32_t *v = realloc(b->free_slots, (b->nfree + 1) * sizeof(*v));
    rec_write(b->map, (uint32_t)slot, NULL);
    bump_generation(b);
    if (!v)
        return; /* the slot is lost, not reused: harmless */
    b->free_slots = v;
    b->free_slots[b->nfree++] = (uint32_t)slot;
}

void sb_publish(struct status_board *b, int slot, const struct sb_unit *u)
{
    if (!b->map || slot < 0 || (uint32_t)slot >= b->used)
        return;
    rec_write(b->map, (uint32_t)slot, u);
    bump_generation(b);
}

/* --- reader ------------------------------------------------------------------- */

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
    if (r->map)
        munmap((void *)r->map, r->size);
    if (r->names)
        munmap((void *)r->names, r->names_size);
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
        snprintf(out->state, sizeof(out->state), "%s", sb_state_name(v.state));
        snprintf(out->sub, sizeof(out->sub), "%s", sb_sub_name(v.sub));
        out->pid = v.pid;
        out->pgid = v.pgid;
        out->restarts = v.restarts;
        out->exit_code = v.exit_code;
        out->exit_signal = v.exit_signal;
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
