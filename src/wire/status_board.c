/* status_board.c - the shared-memory status board, the daemon's side:
 * create it, hand out slots, publish records under the seqlock, take the
 * board away when a write fails. The client's side is status_board_read.c;
 * layout and the seqlock protocol are in status_board.h and
 * doc/status-board.md.
 */
#include "wire/status_board.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
_Static_assert(offsetof(struct sb_record, next_elapse) == 8, "record layout");
_Static_assert(offsetof(struct sb_record, last_trigger) == 16, "record layout");
_Static_assert(offsetof(struct sb_record, name) == 32, "record layout");
_Static_assert(SB_NAMES_OFFSET % 4096 == 0, "the long-name area must be mappable by itself");

/* Room for n counters (slots [0, n)). */
static bool grow_seqs(struct status_board *b, uint32_t n)
{
    uint32_t *v = realloc(b->seqs, n * sizeof(*v));
    if (!v)
        return false;
    memset(v + b->used, 0, (n - b->used) * sizeof(*v));
    b->seqs = v;
    return true;
}

/* The daemon never maps the board: a store into a shared mapping of a file
 * that someone has cut short (ftruncate by another root process), or whose
 * page cannot be allocated (a full tmpfs), raises SIGBUS, which would kill
 * PID 1. pwrite() into the same file reports such a failure as an error
 * instead, and readers' mappings see what it writes: the page cache is the
 * same. */

/* Writes len bytes at off. 0, or -1 with errno (a short write is ENOSPC). */
static int put(int fd, off_t off, const void *buf, size_t len)
{
    for (;;) {
        ssize_t n = pwrite(fd, buf, len, off);
        if (n == (ssize_t)len)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n >= 0)
            errno = ENOSPC;
        return -1;
    }
}

/* Changes the counter at off from old to new one byte per write, the most
 * significant byte first: a reader's aligned load sees only values the
 * counter went through (a pwrite's copy may store a word in any order), and
 * a counter going up never reads lower than it was. For the seqlock's odd
 * to even step with a carry (0x1ff to 0x200: 0x2ff first) every value in
 * between stays odd, so no reader accepts a half-written record. */
static int put_stepwise(int fd, off_t off, uint64_t old, uint64_t new, size_t width)
{
    for (size_t i = width; i-- > 0;) {
        unsigned char ob = (unsigned char)(old >> (8 * i)), nb = (unsigned char)(new >> (8 * i));
        if (ob == nb)
            continue;
        /* Native byte order: byte i of the value is at this offset. */
        size_t at = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? i : width - 1 - i;
        if (put(fd, off + (off_t)at, &nb, 1) < 0)
            return -1;
    }
    return 0;
}

static off_t rec_off(uint32_t slot)
{
    return (off_t)SB_HEADER_SIZE + (off_t)slot * SB_RECORD_SIZE;
}

static off_t long_name_off(uint32_t slot)
{
    return (off_t)SB_NAMES_OFFSET + (off_t)slot * SB_NAME_MAX;
}

/* Makes the page(s) of [off, off + len) real now, so that a later write
 * there cannot fail for want of space. 0, or -1 with errno. A file system
 * that cannot reserve (EOPNOTSUPP) is written as it is: a failed write is
 * handled there too. */
static int reserve(int fd, off_t off, size_t len)
{
    off_t start = off & ~(off_t)4095;
    off_t end = (off + (off_t)len + 4095) & ~(off_t)4095;
    int e = posix_fallocate(fd, start, end - start);
    if (e == 0 || e == EOPNOTSUPP || e == ENOSYS)
        return 0;
    errno = e;
    return -1;
}

static void set_flag(struct status_board *b, uint32_t flag)
{
    if (b->fd < 0 || (b->flags & flag))
        return;
    uint32_t old = b->flags;
    b->flags |= flag;
    /* The header's page is reserved: this only fails on a file cut short,
     * which readers notice by its size. */
    (void)put_stepwise(b->fd, (off_t)offsetof(struct sb_header, flags), old, b->flags,
                       sizeof(b->flags));
}

/* Some units are not on the board: readers ask the socket. */
static void overflow(struct status_board *b)
{
    set_flag(b, SB_FLAG_OVERFLOW);
}

int sb_create(struct status_board *b, const char *path, mode_t mode)
{
    memset(b, 0, sizeof(*b));
    b->fd = -1;
    size_t size = SB_FILE_SIZE;
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
    /* The header's page is reserved here and every record page when its
     * first slot is handed out: a full file system shows as a board that
     * cannot be made, or as overflow, never as a failed write later. */
    if (fchmod(fd, mode) < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 ||
        ftruncate(fd, (off_t)size) < 0 || reserve(fd, 0, SB_HEADER_SIZE) < 0)
        goto fail;
    struct sb_header h = {
        .version = SB_VERSION,
        .header_size = SB_HEADER_SIZE,
        .record_size = SB_RECORD_SIZE,
        .capacity = SB_CAPACITY,
        .daemon_pid = (int32_t)getpid(),
        .started = (int64_t)time(NULL),
        .names_offset = SB_NAMES_OFFSET,
        .name_size = SB_NAME_MAX,
    };
    /* The magic last: a reader that sees it sees a complete header (and
     * the file is not visible under path before the rename anyway). */
    if (put(fd, (off_t)sizeof(h.magic), (const char *)&h + sizeof(h.magic),
            sizeof(h) - sizeof(h.magic)) < 0 ||
        put(fd, 0, SB_MAGIC, sizeof(h.magic)) < 0)
        goto fail;
    if (rename(tmp, path) < 0)
        goto fail;
    b->fd = fd;
    b->path = strdup(path); /* NULL: disable() cannot unlink it, no more */
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
    set_flag(b, SB_FLAG_CLOSED);
    if (b->fd >= 0)
        close(b->fd); /* releases the lock */
    free(b->seqs);
    free(b->free_slots);
    free(b->path);
    memset(b, 0, sizeof(*b));
    b->fd = -1;
}

int sb_slot_alloc(struct status_board *b)
{
    if (b->fd < 0)
        return -1;
    if (b->nfree > 0)
        return (int)b->free_slots[--b->nfree];
    if (b->used >= SB_CAPACITY) {
        overflow(b);
        return -1;
    }
    uint32_t slot = b->used;
    /* A new page of records, or the counters' room, first. */
    if ((slot % (4096 / SB_RECORD_SIZE) == 0 && reserve(b->fd, rec_off(slot), 4096) < 0) ||
        (slot % 1024 == 0 && !grow_seqs(b, slot + 1024))) {
        overflow(b);
        return -1;
    }
    if (put_stepwise(b->fd, (off_t)offsetof(struct sb_header, used), slot, slot + 1,
                     sizeof(uint32_t)) < 0) {
        overflow(b);
        return -1;
    }
    b->used = slot + 1;
    return (int)slot;
}

static int16_t clamp16(int32_t v)
{
    return v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : (int16_t)v;
}

/* Whether the long-name entry of slot has its page reserved, reserving it
 * if not. */
static bool long_name_room(struct status_board *b, uint32_t slot)
{
    uint32_t page = (uint32_t)((long_name_off(slot) - SB_NAMES_OFFSET) / 4096);
    uint8_t bit = (uint8_t)(1u << (page % 8));
    if (b->names_reserved[page / 8] & bit)
        return true;
    if (reserve(b->fd, long_name_off(slot), SB_NAME_MAX) < 0)
        return false;
    b->names_reserved[page / 8] |= bit;
    return true;
}

/* u NULL: the slot is freed. The name goes to the record when it fits, to
 * the slot's long-name entry otherwise (written under the same seqlock).
 * 0, or -1 with errno when a write failed (the board is then unusable). */
static int rec_write(struct status_board *b, uint32_t slot, const struct sb_unit *u)
{
    size_t len = u ? strnlen(u->name, SB_NAME_MAX - 1) : 0;
    if (u && len >= SB_INLINE_NAME && !long_name_room(b, slot)) {
        /* No room for the name: the unit is left off, as on a full board. */
        overflow(b);
        u = NULL;
    }
    uint32_t seq = b->seqs[slot];
    struct sb_record v = {.seq = seq + 2};
    if (u) {
        v.flags = SB_REC_USED;
        v.state = u->state;
        v.sub = u->sub;
        if (u->timer) {
            v.flags |= SB_REC_TIMER;
            v.next_elapse = u->next_elapse;
            v.last_trigger = u->last_trigger;
        } else {
            v.pid = u->pid;
            v.pgid = u->pgid;
            v.restarts = u->restarts;
            v.exit_code = clamp16(u->exit_code);
            v.exit_signal = clamp16(u->exit_signal);
        }
        v.since = u->since;
        if (len < SB_INLINE_NAME)
            memcpy(v.name, u->name, len);
        else
            v.flags |= SB_REC_LONG_NAME;
    }
    /* The seqlock (doc/status-board.md): the counter odd, the fields (each
     * write is ordered after the one before: separate system calls), the
     * counter even again. */
    off_t off = rec_off(slot);
    if (put_stepwise(b->fd, off, seq, seq + 1, sizeof(seq)) < 0)
        return -1;
    if (put(b->fd, off + (off_t)sizeof(v.seq), (const char *)&v + sizeof(v.seq),
            sizeof(v) - sizeof(v.seq)) < 0)
        return -1;
    if (u && len >= SB_INLINE_NAME) {
        char name[SB_NAME_MAX];
        memcpy(name, u->name, len);
        name[len] = '\0';
        if (put(b->fd, long_name_off(slot), name, len + 1) < 0)
            return -1;
    }
    if (put_stepwise(b->fd, off, seq + 1, seq + 2, sizeof(seq)) < 0)
        return -1;
    b->seqs[slot] = seq + 2;
    /* The generation is informational (nothing waits on it). */
    (void)put_stepwise(b->fd, (off_t)offsetof(struct sb_header, generation), b->generation,
                       b->generation + 1, sizeof(b->generation));
    b->generation++;
    return 0;
}

/* A write failed on a page that was reserved: the file was cut short or the
 * disk failed. Records would go stale, so the board goes: readers that open
 * it from now on find none and ask the socket; the lock stays held until
 * exit, so a reader that opened it before does not call the daemon dead. */
static void disable(struct status_board *b)
{
    int saved = errno;
    struct stat mine, there;
    if (b->path && fstat(b->fd, &mine) == 0 && lstat(b->path, &there) == 0 &&
        mine.st_dev == there.st_dev && mine.st_ino == there.st_ino)
        (void)unlink(b->path);
    static const char nomagic[sizeof(SB_MAGIC) - 1];
    (void)put(b->fd, 0, nomagic, sizeof(nomagic));
    b->broken = true;
    errno = saved;
}

static int write_slot(struct status_board *b, uint32_t slot, const struct sb_unit *u)
{
    if (b->broken)
        return 0;
    if (rec_write(b, slot, u) == 0)
        return 0;
    disable(b);
    return -1;
}

int sb_slot_free(struct status_board *b, int slot)
{
    if (b->fd < 0 || slot < 0 || (uint32_t)slot >= b->used)
        return 0;
    uint32_t *v = realloc(b->free_slots, (b->nfree + 1) * sizeof(*v));
    int r = write_slot(b, (uint32_t)slot, NULL);
    if (!v)
        return r; /* the slot is lost, not reused: harmless */
    b->free_slots = v;
    b->free_slots[b->nfree++] = (uint32_t)slot;
    return r;
}

int sb_publish(struct status_board *b, int slot, const struct sb_unit *u)
{
    if (b->fd < 0 || slot < 0 || (uint32_t)slot >= b->used)
        return 0;
    return write_slot(b, (uint32_t)slot, u);
}
