/* capture.c - captured service output, stream by stream: a unit's pipes,
 * the line assembly, prefixes, back-pressure, and the set-up of a unit's
 * streams at its first spawn. The sinks are in sink.c, the pipes' write ends
 * in pipes.c, the memory of recent lines in follow.c.
 *
 * A stream reads its pipe only while its queue holds less than OUTQ_HIGH
 * bytes; a slow sink thus leaves bytes in the pipe, and the service blocks
 * on a full pipe, while the loop, the other units and their sinks carry on.
 *
 * The pipe reads EOF once none of the unit's processes (nor an orphan of
 * theirs) is left (with the pipe-reopen trick, pipes.h): everything written
 * was read by then, so the stream flushes its partial line and closes the
 * pipe, and the next spawn makes a new one. If a write end cannot be had
 * from a pipe that still has writers, the stream gets a new pipe and the old
 * one is retired: read, beside it, until its last writer is gone.
 */
#include "output/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define PUMP_READS 8 /* pipe reads per wakeup before other watchers get a turn */
/* A stream that brought this much in one wakeup, or whose sink fell behind,
 * is a busy one: its pipe is made larger then (fewer wakeups, and room for a
 * burst while the sink is slow). Not for every pipe from the start: the
 * kernel allocates a pipe's slot array at that size (4 KiB for 256 KiB, a
 * 640-byte one for the default 64 KiB), and most units are quiet. */
#define OUTPUT_PIPE_SIZE (256 * 1024)
#define OUTPUT_PIPE_BUSY (64 * 1024)

static const char marker[] = OUTPUT_SPLIT_MARKER;

static bool sink_full(const struct output_stream *st)
{
    return outq_pending(&st->q) >= OUTQ_HIGH;
}

/* --- lines ------------------------------------------------------------------ */

/* Called at the unit's first console line (an idle unit never needs it). On
 * ENOMEM the line goes out without a prefix and the next one tries again. */
static void unit_make_prefix(struct output_unit *ou)
{
    const struct output *o = ou->out;
    char buf[CONSOLE_IDENT_MAX + 32];
    size_t len = 0;
    if (o->cfg.prefix != LOG_PREFIX_NONE)
        len = console_prefix(&o->console, ou->ident ? ou->ident : ou->name, buf, sizeof(buf));
    if (len == 0) {
        ou->prefix_made = true;
        return;
    }
    ou->prefix = strndup(buf, len);
    ou->prefix_len = ou->prefix ? (unsigned)len : 0;
    ou->prefix_made = ou->prefix != NULL;
}

static void emit_line(struct output_stream *st, const char *line, size_t len, int flags)
{
    struct output_unit *ou = st->unit;
    struct output *o = ou->out;
    size_t mlen = (flags & LINEBUF_SPLIT) ? sizeof(marker) - 1 : 0;

    struct logbuf_meta meta = {
        .usec = clock_stamp(&o->clock), .pid = ou->pid ? *ou->pid : 0, .prio = st->prio};
    memory_add(&ou->mem, line, len, marker, mlen, &meta);
    if (!st->file && o->console.broken) {
        o->console.discarded += len + 1;
        return;
    }
    char ts[40];
    size_t tlen = 0, plen = 0;
    if (!st->file) {
        if (!ou->prefix_made)
            unit_make_prefix(ou);
        plen = ou->prefix_len;
        if (o->cfg.prefix == LOG_PREFIX_NAME_TIME)
            tlen = console_timestamp(&o->console, ts, sizeof(ts));
    }
    char *p = outq_reserve(&st->q, tlen + plen + len + mlen + 1);
    if (!p) {
        /* Out of memory: the line is in the ring if anywhere. Rare and loud. */
        log_unit_warn(ou->name, "out of memory, dropping a line of output");
        return;
    }
    memcpy(p, ts, tlen);
    if (plen) /* no prefix: ou->prefix may be NULL */
        memcpy(p + tlen, ou->prefix, plen);
    memcpy(p + tlen + plen, line, len);
    memcpy(p + tlen + plen + len, marker, mlen);
    p[tlen + plen + len + mlen] = '\n';
    st->q.len += tlen + plen + len + mlen + 1;
}

/* --- streams ------------------------------------------------------------------ */

/* The distinct streams of a unit: k 0 and 1, NULL when fewer. */
static struct output_stream *unit_stream(const struct output_unit *ou, int k)
{
    if (k == 0)
        return ou->sout ? ou->sout : ou->serr;
    return ou->sout && ou->serr != ou->sout ? ou->serr : NULL;
}

struct output_stream *stream_first(const struct output_unit *ou)
{
    struct output_stream *st = unit_stream(ou, 0);
    return st ? st : ou->retired;
}

struct output_stream *stream_next(const struct output_unit *ou, const struct output_stream *st)
{
    if (st->retired)
        return st->rnext;
    if (st == unit_stream(ou, 0) && unit_stream(ou, 1))
        return unit_stream(ou, 1);
    return ou->retired;
}

static void stream_update_watch(struct output_stream *st)
{
    struct ev_loop *loop = st->unit->out->loop;
    /* At EOF the pipe is closed (it would read 0 at once, forever, and
     * level-triggered epoll would report it in every iteration). */
    bool readable = st->rfd >= 0 && !st->eof;
    bool want = readable && !sink_full(st);
    st->paused = readable && !want;
    if (want && !ev_is_active(&st->io))
        ev_io_start(loop, &st->io);
    else if (!want && ev_is_active(&st->io))
        ev_io_stop(loop, &st->io);
}

static bool stream_idle(const struct output_stream *st)
{
    return (st->rfd < 0 || st->drained) && linebuf_pending(&st->lb) == 0 &&
           outq_pending(&st->q) == 0 && !st->q.queued;
}

bool capture_idle(struct output *o, size_t *pending)
{
    bool idle = true;
    if (pending)
        *pending = 0;
    for (struct output_unit *ou = o->units; ou; ou = ou->next) {
        for (struct output_stream *st = stream_first(ou); st; st = stream_next(ou, st)) {
            if (stream_idle(st))
                continue;
            idle = false;
            if (pending)
                *pending += outq_pending(&st->q) + linebuf_pending(&st->lb);
        }
    }
    return idle;
}

static void check_done(struct output *o)
{
    if (o->closing && capture_idle(o, NULL))
        ev_break(o->loop, EVBREAK_ALL);
}

/* Hands the queue to its sink. */
static void stream_send(struct output_stream *st)
{
    struct output *o = st->unit->out;
    if (outq_pending(&st->q) == 0)
        return;
    if (!st->file) {
        console_enqueue(&o->console, &st->q);
    } else if (!ev_is_active(&o->file_retry) && file_flush(st->file, &st->q) < 0) {
        ev_timer_start(o->loop, &o->file_retry);
    }
}

static void stream_grow_pipe(struct output_stream *st)
{
    if (st->pipe_grown || st->rfd < 0)
        return;
    /* best effort (the kernel caps it for unprivileged users at pipe-max-size) */
    (void)fcntl(st->rfd, F_SETPIPE_SZ, OUTPUT_PIPE_SIZE);
    st->pipe_grown = true;
}

/* The pipe ended (EOF) or failed: the unit's processes (and their orphans)
 * closed or lost every write end, and all they wrote was read. Nothing can
 * come any more, so the pipe goes: a unit with nothing running holds no
 * descriptor, and its next spawn gets a new pipe. A read error leaves the
 * pipe as unusable: the same. */
static void stream_end(struct output_stream *st, ssize_t n)
{
    struct output *o = st->unit->out;
    if (n < 0)
        log_unit_warn(st->unit->name, "reading output: %s", strerror(errno));
    ev_io_stop(o->loop, &st->io);
    pipes_close(&o->pipes, &st->rfd);
    st->eof = true;
    st->drained = true;
    /* the lines left, then the partial one, as the sink takes them */
}

void stream_pump(struct output_stream *st)
{
    const char *line;
    size_t len, got = 0;
    int flags, reads = 0;

    for (;;) {
        while (!sink_full(st) && linebuf_next(&st->lb, &line, &len, &flags))
            emit_line(st, line, len, flags);
        if (sink_full(st)) {
            stream_send(st);
            if (sink_full(st)) {
                stream_grow_pipe(st);
                break; /* back-pressure: the pipe waits */
            }
            continue;
        }
        if (st->eof) {
            /* Every writer is gone and every whole line is out: what is
             * left is a last line without its newline. */
            if (linebuf_flush(&st->lb, &line, &len, &flags))
                emit_line(st, line, len, flags);
            st->flush_partial = false;
            linebuf_trim(&st->lb);
            break;
        }
        if (st->rfd < 0 || reads++ >= PUMP_READS)
            break;
        ssize_t n = linebuf_fill(&st->lb, st->rfd);
        if (n > 0) {
            clock_read(&st->unit->out->clock);
            st->drained = false;
            got += (size_t)n;
            if (got >= OUTPUT_PIPE_BUSY)
                stream_grow_pipe(st);
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            st->drained = true;
            if (st->flush_partial && linebuf_flush(&st->lb, &line, &len, &flags))
                emit_line(st, line, len, flags);
            st->flush_partial = false;
            linebuf_trim(&st->lb); /* quiet now: no buffer while idle */
            break;
        }
        stream_end(st, n);
    }
    stream_send(st);
    if (!st->q.queued)
        outq_trim(&st->q);
    stream_update_watch(st);
    check_done(st->unit->out);
}

bool stream_retired_done(struct output_stream *st)
{
    if (!st->retired || !st->eof || !stream_idle(st))
        return false;
    struct output_unit *ou = st->unit;
    for (struct output_stream **pp = &ou->retired; *pp; pp = &(*pp)->rnext) {
        if (*pp == st) {
            *pp = st->rnext;
            break;
        }
    }
    stream_free(st);
    return true;
}

static void stream_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct output_stream *st =
        (struct output_stream *)((char *)w - offsetof(struct output_stream, io));
    stream_pump(st);
    stream_retired_done(st);
}

/* The console took the stream's queue: read its pipe again. */
void capture_taken(void *ctx, struct outq *q)
{
    struct output *o = ctx;
    struct output_stream *st =
        (struct output_stream *)((char *)q - offsetof(struct output_stream, q));
    outq_trim(&st->q); /* the console took it all */
    stream_update_watch(st);
    /* Lines read before the pause wait in the line buffer. The pipe may be
     * empty for good (its writer exited, or it is at EOF and not watched),
     * so no readiness would ever come for them: ask for a pump in the next
     * loop iteration. Not now: this runs inside the console's flush, and a
     * pump here would keep a fast sink busy with one unit. */
    /* A retired stream at EOF may go now that the console is done with it:
     * from its callback too, not here, where a pump may be using it. */
    if (linebuf_pending(&st->lb) > 0 || (st->retired && st->eof))
        ev_feed_event(o->loop, &st->io, EV_READ);
    check_done(o);
}

void capture_file_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct output *o = (struct output *)((char *)w - offsetof(struct output, file_retry));
    for (struct output_unit *ou = o->units; ou; ou = ou->next) {
        for (struct output_stream *st = stream_first(ou), *next; st; st = next) {
            next = stream_next(ou, st);
            if (!st->file || outq_pending(&st->q) == 0)
                continue;
            if (file_flush(st->file, &st->q) < 0) {
                ev_timer_start(loop, w);
                continue;
            }
            stream_pump(st);
            stream_retired_done(st);
        }
    }
}

void stream_free(struct output_stream *st)
{
    if (!st || !st->unit)
        return;
    struct output *o = st->unit->out;
    ev_io_stop(o->loop, &st->io);
    console_forget(&o->console, &st->q);
    pipes_close(&o->pipes, &st->rfd);
    pipes_close(&o->pipes, &st->wfd);
    linebuf_free(&st->lb);
    free(st->q.buf);
    if (st->file && !st->retired) {
        file_close(st->file);
        free(st->file->path);
        free(st->file);
        o->pipes.nfds--;
    }
    if (st == st->unit->st0)
        memset(st, 0, sizeof(*st));
    else
        free(st);
}

/* --- pipes of a stream ------------------------------------------------------- */

/* st reads from fds from now on (its watcher is stopped, rfd is -1). */
static void stream_attach(struct output_stream *st, const int fds[2])
{
    if (st->eof) {
        /* What the old pipe left waits for a slow sink: out with it now,
         * its partial line too, before the new pipe's bytes could join it
         * (past the queue's mark by at most the line buffer). */
        const char *line;
        size_t len;
        int flags;
        while (linebuf_next(&st->lb, &line, &len, &flags) ||
               linebuf_flush(&st->lb, &line, &len, &flags))
            emit_line(st, line, len, flags);
        stream_send(st);
    }
    st->rfd = fds[0];
    st->wfd = fds[1];
    st->eof = false;
    st->drained = false;
    st->pipe_grown = false;
    ev_io_set(&st->io, st->rfd, EV_READ);
    stream_update_watch(st);
}

/* A new pipe for st, when its own (still open: it may have writers, an
 * orphan or a process running beside the one being spawned) cannot give a
 * write end. The old one is retired: read, beside the new one, into the
 * same ring and sink until its EOF, with the partial line it holds. */
static int stream_replace_pipe(struct output_stream *st)
{
    struct output *o = st->unit->out;
    int fds[2];
    if (pipes_new(&o->pipes, fds) < 0)
        return -1;
    struct output_stream *old = calloc(1, sizeof(*old));
    if (!old) {
        pipes_close(&o->pipes, &fds[0]);
        pipes_close(&o->pipes, &fds[1]);
        errno = ENOMEM;
        return -1;
    }
    struct output_unit *ou = st->unit;
    ev_io_stop(o->loop, &st->io);
    old->unit = ou;
    old->rfd = st->rfd;
    old->wfd = -1;
    old->lb = st->lb; /* the partial line goes with its pipe */
    old->file = st->file;
    old->drained = st->drained;
    old->flush_partial = st->flush_partial;
    old->pipe_grown = true;
    old->retired = true;
    old->prio = st->prio;
    old->rnext = ou->retired;
    ou->retired = old;
    ev_io_init(&old->io, stream_io_cb, old->rfd, EV_READ);
    linebuf_init(&st->lb);
    st->rfd = -1;
    st->flush_partial = false;
    stream_update_watch(old);
    if (linebuf_pending(&old->lb) > 0)
        ev_feed_event(o->loop, &old->io, EV_READ);
    stream_attach(st, fds);
    return 0;
}

/* Gives st a write end for a spawn (st->wfd). */
static int stream_writer(struct output_stream *st)
{
    struct output *o = st->unit->out;
    if (st->rfd < 0 && st->wfd < 0) {
        /* The last one ended (EOF): nothing of it is left to keep in order. */
        int fds[2];
        if (pipes_new(&o->pipes, fds) < 0)
            return -1;
        stream_attach(st, fds);
        return 0;
    }
    int r = pipes_writer(&o->pipes, st->rfd, &st->wfd, st->unit->name);
    return r <= 0 ? r : stream_replace_pipe(st);
}

static struct output_stream *stream_new(struct output_unit *ou, const struct output_stream_spec *sp)
{
    struct output *o = ou->out;
    /* The first stream lives in the unit's own allocation when it has room. */
    struct output_stream *st = ou->st0;
    if (!st || st->unit)
        st = calloc(1, sizeof(*st));
    int fds[2];
    if (!st)
        return NULL;
    st->unit = ou;
    st->prio = 6;
    st->rfd = st->wfd = -1;
    linebuf_init(&st->lb);
    ev_init(&st->io, stream_io_cb);
    if (pipes_new(&o->pipes, fds) < 0)
        goto fail;
    stream_attach(st, fds);
    if (sp->target == OUTPUT_TARGET_FILE) {
        st->file = calloc(1, sizeof(*st->file));
        if (!st->file)
            goto fail_enomem;
        st->file->fd = -1; /* not 0, which stream_free() would close */
        o->pipes.nfds++;   /* the file's descriptor (reopened when rotated) */
        if (!(st->file->path = strdup(sp->path)))
            goto fail_enomem;
        st->file->open_flags = sp->truncate ? O_TRUNC : O_APPEND;
        st->file->max_size = sp->max_size;
        st->file->max_files = sp->max_files;
        if (file_open(st->file) < 0) {
            log_unit_error(ou->name, "cannot open output file %s: %s", sp->path, strerror(errno));
            goto fail;
        }
    }
    return st;
fail_enomem:
    errno = ENOMEM;
fail:;
    int saved = errno;
    stream_free(st);
    errno = saved;
    return NULL;
}

/* --- a unit's streams ---------------------------------------------------------- */

static bool same_target(const struct output_stream_spec *a, const struct output_stream_spec *b)
{
    if (a->target != b->target || a->truncate != b->truncate)
        return false;
    return a->path == b->path || (a->path && b->path && strcmp(a->path, b->path) == 0);
}

/* Decides which streams the unit needs and opens them. */
static int unit_setup(struct output_unit *ou, const struct output_spec *spec)
{
    const struct output_stream_spec *so_sp = &spec->out, *se_sp = &spec->err;
    struct output_stream *so = NULL, *se = NULL;
    if (spec->ident && *spec->ident && strcmp(spec->ident, ou->name) != 0 && !ou->ident &&
        !(ou->ident = strdup(spec->ident)))
        return -1;
    if (so_sp->target != OUTPUT_TARGET_NONE && !(so = stream_new(ou, so_sp)))
        return -1;
    if (se_sp->target != OUTPUT_TARGET_NONE) {
        /* The same target: one pipe, so stdout and stderr keep their order. */
        if (so && same_target(so_sp, se_sp)) {
            se = so;
        } else if (!(se = stream_new(ou, se_sp))) {
            int saved = errno;
            stream_free(so);
            errno = saved;
            return -1;
        } else {
            se->prio = 3; /* a pipe of its own: its lines are stderr's */
        }
    }
    ou->sout = so;
    ou->serr = se;
    ou->set_up = true;
    return 0;
}

int output_spawn_fds(struct output_unit *ou, const struct output_spec *spec, int *fd_out,
                     int *fd_err)
{
    *fd_out = *fd_err = OUTPUT_FD_NONE;
    if (!ou) {
        errno = ENOMEM;
        return -1;
    }
    if (!ou->set_up && unit_setup(ou, spec) < 0)
        return -1;
    for (int k = 0; k < 2; k++) {
        struct output_stream *st = unit_stream(ou, k);
        if (st && stream_writer(st) < 0) {
            int saved = errno;
            output_spawn_done(ou);
            errno = saved;
            return -1;
        }
    }
    if (ou->sout)
        *fd_out = ou->sout->wfd;
    if (ou->serr)
        *fd_err = ou->serr->wfd;
    return 0;
}

void output_spawn_done(struct output_unit *ou)
{
    for (int k = 0; ou && k < 2; k++) {
        struct output_stream *st = unit_stream(ou, k);
        if (st)
            pipes_spawn_done(&ou->out->pipes, &st->wfd);
    }
}

void output_proc_exited(struct output_unit *ou)
{
    for (struct output_stream *st = ou ? stream_first(ou) : NULL, *next; st; st = next) {
        next = stream_next(ou, st);
        st->flush_partial = true;
        if (!sink_full(st))
            stream_pump(st);
        stream_retired_done(st);
    }
}
