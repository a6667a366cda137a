/* instance.c - the output instance (output.h): its creation on a loop, its
 * units' handles, the recent lines it keeps for `pxinit logs`, and the
 * bounded drain at exit. What happens to each stream is in capture.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "output/capture.h"

static void deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    ev_break(loop, EVBREAK_ALL);
}

struct output *output_new(struct ev_loop *loop, const struct output_config *cfg)
{
    struct output *o = calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    o->loop = loop;
    clock_read(&o->clock);
    o->cfg = *cfg;
    if (o->cfg.grace_sec < 1)
        o->cfg.grace_sec = 1;
    ev_timer_init(&o->file_retry, capture_file_retry, 1., 0.);
    ev_timer_init(&o->deadline, deadline_cb, 1., 0.);
    pipes_init(&o->pipes, cfg->fd_shared);
    console_open(&o->console, loop, cfg->console_fd, cfg->color, capture_taken, o);
    return o;
}

/* --- units ---------------------------------------------------------------------- */

struct output_unit *output_unit_new(struct output *o, const struct output_spec *spec)
{
    if (!o) {
        errno = ENOMEM;
        return NULL;
    }
    /* Room for a first stream when the unit (as it is now) captures one, so
     * that the common case is one allocation, its name too. */
    bool st0 = spec->out.target != OUTPUT_TARGET_NONE || spec->err.target != OUTPUT_TARGET_NONE;
    size_t head = sizeof(struct output_unit) + (st0 ? sizeof(struct output_stream) : 0);
    size_t nlen = strlen(spec->name) + 1;
    struct output_unit *ou = calloc(1, head + nlen);
    if (!ou)
        return NULL;
    ou->out = o;
    if (st0)
        ou->st0 = (struct output_stream *)(void *)(ou + 1);
    ou->name = memcpy((char *)ou + head, spec->name, nlen);
    memory_init(&ou->mem, o->cfg.ring_lines, o->cfg.ring_bytes);
    ou->next = o->units;
    ou->pprev = &o->units;
    if (o->units)
        o->units->pprev = &ou->next;
    o->units = ou;
    return ou;
}

void output_unit_free(struct output_unit *ou)
{
    if (!ou)
        return;
    memory_free(&ou->mem); /* followers first: they hear the unit is gone */
    while (ou->retired) {
        struct output_stream *st = ou->retired;
        ou->retired = st->rnext;
        stream_free(st);
    }
    struct output_stream *so = ou->sout, *se = ou->serr != ou->sout ? ou->serr : NULL;
    stream_free(se);
    stream_free(so);
    *ou->pprev = ou->next;
    if (ou->next)
        ou->next->pprev = ou->pprev;
    free(ou->prefix);
    free(ou->ident);
    free(ou);
}

size_t output_tail(const struct output_unit *ou, size_t n, output_line_fn emit, void *ctx)
{
    return ou ? memory_tail(&ou->mem, n, emit, ctx) : 0;
}

void output_follow(struct output_unit *ou, struct output_follower *f, output_line_fn fn, void *ctx)
{
    f->fn = fn;
    f->ctx = ctx;
    f->next = NULL;
    f->pprev = NULL;
    if (ou) /* without a handle nothing will be followed */
        memory_follow(&ou->mem, f, fn, ctx);
}

void output_unit_pid(struct output_unit *ou, const pid_t *pid)
{
    if (ou)
        ou->pid = pid;
}

void output_main_pid_known(struct output_unit *ou)
{
    if (ou && ou->pid && *ou->pid > 0 && ou->mem.ring)
        logbuf_backfill_pid(ou->mem.ring, (int32_t)*ou->pid);
}

const char *output_ident(const struct output_unit *ou)
{
    return ou->ident ? ou->ident : ou->name;
}

const struct logbuf *output_ring(const struct output_unit *ou)
{
    return ou ? ou->mem.ring : NULL;
}

/* --- the whole -------------------------------------------------------------------- */

size_t output_fd_count(const struct output *o)
{
    return o ? o->pipes.nfds : 0;
}

void output_stopping(struct output *o)
{
    if (o)
        console_stopping(&o->console, o->cfg.grace_sec);
}

void output_finish(struct output *o)
{
    if (!o)
        return;
    o->closing = true;
    for (struct output_unit *ou = o->units; ou; ou = ou->next) {
        for (struct output_stream *st = stream_first(ou); st; st = stream_next(ou, st)) {
            st->flush_partial = true;
            stream_pump(st);
        }
    }
    if (!capture_idle(o, NULL)) {
        ev_timer_set(&o->deadline, o->cfg.grace_sec, 0.);
        ev_timer_start(o->loop, &o->deadline);
        ev_run(o->loop, 0);
        ev_timer_stop(o->loop, &o->deadline);
    }
    size_t pending;
    if (!capture_idle(o, &pending))
        log_warnx(
            "%zu bytes of service output (and what the pipes still held) could not be "
            "written before exit",
            pending);
    if (o->console.discarded)
        log_warnx("%llu bytes of service output were discarded: stdout was unusable",
                  o->console.discarded);
}

void output_free(struct output *o)
{
    if (!o)
        return;
    /* The units' handles belong to their holders, who freed them first. */
    ev_timer_stop(o->loop, &o->file_retry);
    ev_timer_stop(o->loop, &o->deadline);
    console_close(&o->console);
    free(o);
}
