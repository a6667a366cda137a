/* follow.c - recent lines and their followers (follow.h), and
 * output_unfollow(). A follower is a reader of the control socket: it must
 * not block, and buffers or drops on its own side, so a slow `logs -f`
 * never holds a service up. */
#include "output/follow.h"

#include <stdlib.h>

/* The metadata of the line being given to the followers (one loop, one
 * line at a time): output_follow_meta(). */
static const struct logbuf_meta *current_meta;

const struct logbuf_meta *output_follow_meta(void)
{
    static const struct logbuf_meta none;
    return current_meta ? current_meta : &none;
}

void memory_init(struct output_memory *m, size_t lines, size_t bytes)
{
    m->ring = NULL;
    m->lines = lines;
    m->bytes = bytes;
    m->followers = NULL;
}

void memory_add(struct output_memory *m, const char *line, size_t len, const char *marker,
                size_t mlen, const struct logbuf_meta *meta)
{
    size_t stored_len;
    const char *stored = NULL;
    if (!m->ring && (m->ring = malloc(sizeof(*m->ring))))
        logbuf_init(m->ring, m->lines, m->bytes);
    if (m->ring)
        stored = logbuf_append_meta(m->ring, line, len, marker, mlen, meta, &stored_len);
    const struct logbuf_meta *outer = current_meta;
    current_meta = meta;
    for (struct output_follower *f = m->followers, *next; f; f = next) {
        next = f->next; /* a follower may unfollow itself */
        if (stored)
            f->fn(f->ctx, stored, stored_len);
        else
            f->fn(f->ctx, line, len);
    }
    current_meta = outer;
}

size_t memory_tail(const struct output_memory *m, size_t n, output_line_fn emit, void *ctx)
{
    return m->ring ? logbuf_tail(m->ring, n, emit, ctx) : 0;
}

void memory_follow(struct output_memory *m, struct output_follower *f, output_line_fn fn, void *ctx)
{
    f->fn = fn;
    f->ctx = ctx;
    f->next = m->followers;
    f->pprev = &m->followers;
    if (m->followers)
        m->followers->pprev = &f->next;
    m->followers = f;
}

void output_unfollow(struct output_follower *f)
{
    if (!f->pprev)
        return;
    *f->pprev = f->next;
    if (f->next)
        f->next->pprev = f->pprev;
    f->next = NULL;
    f->pprev = NULL;
}

void memory_free(struct output_memory *m)
{
    while (m->followers) {
        struct output_follower *f = m->followers;
        output_unfollow(f);
        f->fn(f->ctx, NULL, 0);
    }
    if (m->ring)
        logbuf_free(m->ring);
    free(m->ring);
    m->ring = NULL;
}
