/* logbuf.c - a ring of recent lines.
 *
 * Two rings: `ent` holds (offset, length) of each line in order, `bytes`
 * holds the text. A line is stored contiguously (emit gets one pointer): when
 * it does not fit before the end of `bytes`, writing wraps to offset 0 and the
 * tail is left unused. Seen from wpos, lines lie in memory oldest first, so
 * making room is dropping the oldest line while it starts inside the region
 * about to be written.
 *
 * Both rings start small and double (up to the limits) instead of dropping
 * or wrapping while they are below their limit: most units write a few lines
 * and should not hold 256 KiB for them. `bytes` never wraps before it has
 * its full size, so growing it keeps every offset; `ent` may have wrapped
 * (lines dropped because `bytes` was full), so growing it puts the slots in
 * order first.
 */
#include "base/logbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOGBUF_MIN_LINES 4 /* 80 bytes of slots at first */
#define USEC_MAX ((INT64_C(1) << 56) - 1)
#define LOGBUF_MIN_BYTES 256

void logbuf_init(struct logbuf *lb, size_t max_lines, size_t max_bytes)
{
    memset(lb, 0, sizeof(*lb));
    lb->max_lines = max_lines ? max_lines : LOGBUF_DEFAULT_LINES;
    lb->max_bytes = max_bytes ? max_bytes : LOGBUF_DEFAULT_BYTES;
    if (lb->max_bytes > UINT32_MAX)
        lb->max_bytes = UINT32_MAX;
}

void logbuf_free(struct logbuf *lb)
{
    free(lb->ent);
    free(lb->bytes);
    lb->ent = NULL;
    lb->bytes = NULL;
    lb->cap_lines = lb->cap_bytes = 0;
    lb->first = lb->count = lb->wpos = 0;
}

size_t logbuf_count(const struct logbuf *lb)
{
    return lb->count;
}

size_t logbuf_bytes(const struct logbuf *lb)
{
    size_t sum = 0;
    for (size_t i = 0; i < lb->count; i++)
        sum += lb->ent[(lb->first + i) % lb->cap_lines].len;
    return sum;
}

static void drop_oldest(struct logbuf *lb)
{
    lb->first = (lb->first + 1) % lb->cap_lines;
    if (--lb->count == 0)
        lb->first = lb->wpos = 0;
}

/* Drops the oldest lines while they start in [from, to). */
static void drop_in(struct logbuf *lb, size_t from, size_t to)
{
    while (lb->count > 0) {
        size_t off = lb->ent[lb->first].off;
        if (off < from || off >= to)
            return;
        drop_oldest(lb);
    }
}

/* One more slot, when below max_lines: the slots, in order from 0. */
static int grow_lines(struct logbuf *lb)
{
    size_t cap = lb->cap_lines ? lb->cap_lines * 2 : LOGBUF_MIN_LINES;
    if (cap > lb->max_lines)
        cap = lb->max_lines;
    struct logbuf_entry *e = malloc(cap * sizeof(*e));
    if (!e)
        return -1;
    for (size_t i = 0; i < lb->count; i++)
        e[i] = lb->ent[(lb->first + i) % lb->cap_lines];
    free(lb->ent);
    lb->ent = e;
    lb->cap_lines = cap;
    lb->first = 0;
    return 0;
}

/* Room for need bytes at wpos, when below max_bytes (no wrap happened yet,
 * so offsets stay valid). */
static int grow_bytes(struct logbuf *lb, size_t need)
{
    size_t cap = lb->cap_bytes ? lb->cap_bytes : LOGBUF_MIN_BYTES;
    while (cap < need && cap < lb->max_bytes)
        cap *= 2;
    if (cap > lb->max_bytes)
        cap = lb->max_bytes;
    char *b = realloc(lb->bytes, cap);
    if (!b)
        return -1;
    lb->bytes = b;
    lb->cap_bytes = cap;
    return 0;
}

static void meta_store(struct logbuf_entry *e, const struct logbuf_meta *m)
{
    int64_t usec = m ? m->usec : 0;
    if (usec < 0)
        usec = 0;
    if (usec > USEC_MAX)
        usec = USEC_MAX;
    e->usec_lo = (uint32_t)usec;
    e->usec_hi = (uint32_t)(usec >> 32);
    if (m)
        e->usec_hi |= (uint32_t)(m->prio & 7) << 24 | (uint32_t)(m->flags & 31) << 27;
    e->pid = m ? m->pid : 0;
}

const char *logbuf_append_parts(struct logbuf *lb, const char *a, size_t alen, const char *b,
                                size_t blen, size_t *stored_len)
{
    return logbuf_append_meta(lb, a, alen, b, blen, NULL, stored_len);
}

const char *logbuf_append_meta(struct logbuf *lb, const char *a, size_t alen, const char *b,
                               size_t blen, const struct logbuf_meta *meta, size_t *stored_len)
{
    if (alen > lb->max_bytes)
        alen = lb->max_bytes;
    if (blen > lb->max_bytes - alen)
        blen = lb->max_bytes - alen;
    size_t len = alen + blen;
    if ((lb->count == lb->cap_lines && lb->cap_lines < lb->max_lines && grow_lines(lb) < 0) ||
        ((!lb->bytes || lb->wpos + len > lb->cap_bytes) && lb->cap_bytes < lb->max_bytes &&
         grow_bytes(lb, lb->wpos + len) < 0)) {
        errno = ENOMEM;
        return NULL;
    }
    if (lb->count == lb->cap_lines)
        drop_oldest(lb);
    if (lb->wpos + len > lb->cap_bytes) {
        drop_in(lb, lb->wpos, lb->cap_bytes);
        lb->wpos = 0;
    }
    /* An empty line takes no bytes but still needs its start kept apart. */
    drop_in(lb, lb->wpos, lb->wpos + (len ? len : 1));
    size_t slot = (lb->first + lb->count) % lb->cap_lines;
    lb->ent[slot].off = (uint32_t)lb->wpos;
    lb->ent[slot].len = (uint32_t)len;
    meta_store(&lb->ent[slot], meta);
    char *dst = lb->bytes + lb->wpos;
    if (alen)
        memcpy(dst, a, alen);
    if (blen)
        memcpy(dst + alen, b, blen);
    lb->wpos += len;
    lb->count++;
    lb->total++;
    if (stored_len)
        *stored_len = len;
    return dst;
}

int logbuf_append(struct logbuf *lb, const char *line, size_t len)
{
    return logbuf_append_parts(lb, line, len, NULL, 0, NULL) ? 0 : -1;
}

size_t logbuf_tail(const struct logbuf *lb, size_t n, logbuf_emit_fn emit, void *ctx)
{
    if (n > lb->count)
        n = lb->count;
    for (size_t i = lb->count - n; i < lb->count; i++) {
        const struct logbuf_entry *e = &lb->ent[(lb->first + i) % lb->cap_lines];
        emit(ctx, lb->bytes + e->off, e->len);
    }
    return n;
}

void logbuf_backfill_pid(struct logbuf *lb, int32_t pid)
{
    for (size_t i = lb->count; i-- > 0;) {
        struct logbuf_entry *e = &lb->ent[(lb->first + i) % lb->cap_lines];
        if (e->pid != 0 || (e->usec_hi >> 27) & LOGBUF_PXINIT)
            break;
        e->pid = pid;
    }
}

size_t logbuf_get(const struct logbuf *lb, size_t i, const char **line, struct logbuf_meta *m)
{
    const struct logbuf_entry *e = &lb->ent[(lb->first + i) % lb->cap_lines];
    *line = lb->bytes + e->off;
    if (m) {
        m->usec = (int64_t)(e->usec_hi & 0xffffffu) << 32 | e->usec_lo;
        m->prio = (uint8_t)(e->usec_hi >> 24 & 7);
        m->flags = (uint8_t)(e->usec_hi >> 27);
        m->pid = e->pid;
    }
    return e->len;
}
