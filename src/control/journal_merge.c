/* journal_merge.c - several rings of lines as one journal (journal_merge.h).
 *
 * Two passes over a heap of one cursor per ring: backwards from the newest
 * to find where the last max_lines (within max_bytes) begin in each ring,
 * then forwards from there, emitting. Each ring is in time order already
 * (output stamps only grow), so the heap holds one cursor per ring and the
 * whole costs O(lines log rings), whatever the number of units.
 *
 * Equal times come out in any order: stamps are unique across units
 * (output_stamp()) unless the clock was set back.
 */
#include "control/journal_merge.h"

#include <errno.h>
#include <stdlib.h>

#include "base/minheap.h"
#include "wire/proto_journal.h"

struct cursor {
    struct minheap_item it;
    size_t src;
    size_t idx;   /* the line the cursor is at (backwards: one past it) */
    size_t start; /* the first line emitted */
};

static int64_t usec_of(const struct logbuf *lb, size_t i, size_t *len)
{
    const char *line;
    struct logbuf_meta m;
    size_t l = logbuf_get(lb, i, &line, &m);
    if (len)
        *len = l;
    return m.usec;
}

static uint64_t key_of(int64_t usec)
{
    return usec < 0 ? 0 : (uint64_t)usec;
}

/* Backwards: the cursor moves to the previous line in range (idx is one
 * past it); false when there is none. */
static bool back_step(const struct logbuf *lb, const struct journal_pick *p, struct cursor *c)
{
    while (c->idx > 0) {
        if (journal_in_range(p, usec_of(lb, c->idx - 1, NULL)))
            return true;
        c->idx--;
    }
    return false;
}

/* Forwards: the cursor moves to the next line in range at or after idx. */
static bool fwd_step(const struct logbuf *lb, const struct journal_pick *p, struct cursor *c)
{
    for (size_t n = logbuf_count(lb); c->idx < n; c->idx++)
        if (journal_in_range(p, usec_of(lb, c->idx, NULL)))
            return true;
    return false;
}

long journal_merge(const struct logbuf *const *rings, size_t n, const struct journal_pick *p,
                   journal_emit_fn emit, void *ctx)
{
    struct cursor *cur = calloc(n ? n : 1, sizeof(*cur));
    struct minheap h = {0};
    long emitted = -1;
    if (!cur)
        goto out;
    /* Backwards: the newest lines first, until max_lines or max_bytes. */
    for (size_t i = 0; i < n; i++) {
        minheap_item_init(&cur[i].it);
        cur[i].src = i;
        cur[i].idx = rings[i] ? logbuf_count(rings[i]) : 0;
        cur[i].start = cur[i].idx;
        /* The newest first: the key is inverted. */
        if (cur[i].idx && back_step(rings[i], p, &cur[i]) &&
            minheap_set(&h, &cur[i].it, ~key_of(usec_of(rings[i], cur[i].idx - 1, NULL))) < 0)
            goto out;
    }
    size_t lines = 0, bytes = 0;
    for (struct minheap_item *top; (top = minheap_top(&h));) {
        struct cursor *c = (struct cursor *)top;
        const char *line;
        size_t len = logbuf_get(rings[c->src], c->idx - 1, &line, NULL);
        /* What it takes on the wire: a line of control bytes is escaped to
         * four times its length, and the reply must stay in its room. */
        len = proto_entry_msg_size(line, len);
        if (lines >= p->max_lines || bytes + len + JOURNAL_LINE_OVERHEAD > p->max_bytes)
            break;
        lines++;
        bytes += len + JOURNAL_LINE_OVERHEAD;
        c->start = --c->idx;
        minheap_remove(&h, top);
        if (back_step(rings[c->src], p, c) &&
            minheap_set(&h, top, ~key_of(usec_of(rings[c->src], c->idx - 1, NULL))) < 0)
            goto out;
    }
    while (minheap_top(&h))
        minheap_remove(&h, minheap_top(&h));
    /* Forwards from where each ring's part begins. */
    for (size_t i = 0; i < n; i++) {
        cur[i].idx = cur[i].start;
        if (rings[i] && fwd_step(rings[i], p, &cur[i]) &&
            minheap_set(&h, &cur[i].it, key_of(usec_of(rings[i], cur[i].idx, NULL))) < 0)
            goto out;
    }
    /* Nothing can fail from here: what the backward pass counted is emitted. */
    emitted = 0;
    for (struct minheap_item *top; (size_t)emitted < lines && (top = minheap_top(&h));) {
        struct cursor *c = (struct cursor *)top;
        emit(ctx, c->src, c->idx);
        emitted++;
        c->idx++;
        minheap_remove(&h, top);
        /* Re-inserting after a removal never needs to grow the heap. */
        if (fwd_step(rings[c->src], p, c))
            (void)minheap_set(&h, top, key_of(usec_of(rings[c->src], c->idx, NULL)));
    }
out:
    if (emitted < 0)
        errno = ENOMEM;
    minheap_free(&h);
    free(cur);
    return emitted;
}
