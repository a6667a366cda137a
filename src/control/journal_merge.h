/* journal_merge.h - the lines of several units' memories as one journal:
 * filtered by time, merged oldest first, the last N of them. Pure (no
 * loop, no fds): the `journal` request (control_journal.c) writes what it
 * picks. */
#ifndef PXINIT_JOURNAL_MERGE_H
#define PXINIT_JOURNAL_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "base/logbuf.h"

/* Bytes a line is counted for against max_bytes besides its message as
 * the entry line carries it (escaped): the `entry` line's words. */
#define JOURNAL_LINE_OVERHEAD 96

struct journal_pick {
    int64_t since, until; /* inclusive, Unix microseconds */
    size_t max_lines;     /* -n: the last this many (SIZE_MAX: all) */
    size_t max_bytes;     /* ... and no more than about this much (the reply's room) */
};

/* Called for each line picked, oldest first: rings[src], line idx. */
typedef void (*journal_emit_fn)(void *ctx, size_t src, size_t idx);

/* The lines of rings[0..n) (a NULL ring has none) with a time in [since,
 * until], merged by time (each ring in its own order; equal times of two
 * rings in either order), the last max_lines of them within max_bytes,
 * given to emit.
 * Returns how many, or -1 with errno ENOMEM (nothing emitted). */
long journal_merge(const struct logbuf *const *rings, size_t n, const struct journal_pick *p,
                   journal_emit_fn emit, void *ctx);

/* True when a line of time usec is in [since, until]. */
static inline int journal_in_range(const struct journal_pick *p, int64_t usec)
{
    return usec >= p->since && usec <= p->until;
}

#endif
