/* logbuf.h - the memory of a unit's recent output: the last lines, bounded
 * both in count and in bytes, oldest dropped first, each with when it was
 * read, the pid and its priority (journalctl's fields). Pure (no fds, no
 * loop); memory is allocated on the first line and grows with use up to
 * the bounds, so a unit that wrote a few lines holds a few hundred bytes:
 * 20 bytes of slot per line besides its text. */
#ifndef PXINIT_LOGBUF_H
#define PXINIT_LOGBUF_H

#include <stddef.h>
#include <stdint.h>

#define LOGBUF_DEFAULT_LINES 1000
#define LOGBUF_DEFAULT_BYTES (256 * 1024)

/* Called once per line, oldest first. line is not NUL-terminated. */
typedef void (*logbuf_emit_fn)(void *ctx, const char *line, size_t len);

/* What is known of a line besides its text (journalctl's fields). */
struct logbuf_meta {
    int64_t usec;  /* when it was read, Unix microseconds (0 to 2^56) */
    int32_t pid;   /* the unit's main pid then, 0 when none */
    uint8_t prio;  /* syslog priority: 6 stdout, 3 stderr (0 to 7) */
    uint8_t flags; /* LOGBUF_* (up to 5 bits) */
};
#define LOGBUF_PXINIT 1u /* a message of pxinit's about the unit, not its output */

/* 20 bytes a line: the time is split so that the slot needs no 8-byte
 * alignment (24 bytes with an int64_t). */
struct logbuf_entry {
    uint32_t off, len;
    uint32_t usec_lo; /* the time's low 32 bits */
    uint32_t usec_hi; /* its next 24 bits, then prio (3 bits) and flags (5) */
    int32_t pid;
};

struct logbuf {
    size_t max_lines, max_bytes;
    struct logbuf_entry *ent;    /* cap_lines slots, a ring */
    char *bytes;                 /* cap_bytes, lines stored contiguously */
    size_t cap_lines, cap_bytes; /* allocated so far: up to max_lines, max_bytes */
    size_t first, count;         /* the oldest slot and how many are used */
    size_t wpos;                 /* where the next line's bytes go */
    uint64_t total;              /* lines ever appended (a follower's cursor) */
};

/* 0 for either limit means the default; max_lines 0 after that is impossible. */
void logbuf_init(struct logbuf *lb, size_t max_lines, size_t max_bytes);
void logbuf_free(struct logbuf *lb);

/* Keeps a copy of line (cut to max_bytes), dropping the oldest lines as
 * needed. Returns 0, or -1 with errno ENOMEM (the line is not kept). */
int logbuf_append(struct logbuf *lb, const char *line, size_t len);
/* The same for a line given in two parts (text and a marker); returns the
 * stored copy (valid until the next append), or NULL with errno ENOMEM. */
const char *logbuf_append_parts(struct logbuf *lb, const char *a, size_t alen, const char *b,
                                size_t blen, size_t *stored_len);
/* The same with the line's metadata (NULL: all zero). */
const char *logbuf_append_meta(struct logbuf *lb, const char *a, size_t alen, const char *b,
                               size_t blen, const struct logbuf_meta *meta, size_t *stored_len);

/* Gives pid to the newest lines that have none (pid 0, not pxinit's own),
 * back to the first that has one: a service can print before the loop has
 * read its pid from the spawn report. */
void logbuf_backfill_pid(struct logbuf *lb, int32_t pid);

/* Line i (0: the oldest held) and its metadata (m may be NULL); returns
 * its length. i must be below logbuf_count(). */
size_t logbuf_get(const struct logbuf *lb, size_t i, const char **line, struct logbuf_meta *m);
/* The number of the oldest line held among all ever appended (0 for the
 * first): line i is number logbuf_first_seq() + i. Followers and readers
 * that leave the loop keep their place with it. */
static inline uint64_t logbuf_first_seq(const struct logbuf *lb)
{
    return lb->total - lb->count;
}

/* Emits the last n lines (all when n exceeds the count), oldest first.
 * Returns how many were emitted. */
size_t logbuf_tail(const struct logbuf *lb, size_t n, logbuf_emit_fn emit, void *ctx);

size_t logbuf_count(const struct logbuf *lb);
/* Bytes of line data held. */
size_t logbuf_bytes(const struct logbuf *lb);

#endif
