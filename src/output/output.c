/* output.c - captured service output: a unit's pipes, the line assembly,
 * prefixes, the memory of recent lines and its followers, back-pressure, and
 * the bounded drain at exit. The sinks themselves are in output_sink.c.
 *
 * Flow per stream: pipe -> linebuf (lines) -> ring + followers, and the
 * formatted line into the stream's queue -> console or rotated file. A stream
 * reads its pipe only while its queue holds less than OUTQ_HIGH bytes; a slow
 * sink thus leaves bytes in the pipe, and the service blocks on a full pipe,
 * while the loop, the other units and their sinks carry on.
 *
 * Descriptors: pxinit keeps only a pipe's read end. A spawn gets a write end
 * (the pipe's own when it is new; else one opened through /proc/self/fd/RFD,
 * which Linux opens on the same pipe, so a process spawned beside running
 * ones or their orphans writes into the same stream, in order), and pxinit
 * closes its copy once the child has it. The pipe reads EOF once none of the
 * unit's processes (nor an orphan of theirs) is left: everything written was
 * read by then, so the stream flushes its partial line and closes the pipe,
 * and the next spawn makes a new one. A running unit costs one descriptor, an
 * inactive one none. Without /proc the write ends are kept (two descriptors,
 * no EOF), as before; if reopening fails later, the stream gets a new pipe
 * and the old one is read, beside it, until its last writer is gone.
 */
#include "output/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config/conf.h"
#include "base/log.h"
#include "output/output_sink.h"

#define PUMP_READS 8 /* pipe reads per wakeup before other watchers get a turn */
#define IDENT_MAX 64 /* longest identifier shown in a prefix */
/* A stream that brought this much in one wakeup, or whose sink fell behind,
 * is a busy one: its pipe is made larger then (fewer wakeups, and room for a
 * burst while the sink is slow). Not for every pipe from the start: the
 * kernel allocates a pipe's slot array at that size (4 KiB for 256 KiB, a
 * 640-byte one for the default 64 KiB), and most units are quiet. */
#define OUTPUT_PIPE_SIZE (256 * 1024)
#define OUTPUT_PIPE_BUSY (64 * 1024)

static const char marker[] = OUTPUT_SPLIT_MARKER;

static struct output *output_of(struct service *s)
{
    return ((struct pxinit *)s->ctx)->output;
}

static bool sink_full(const struct output_stream *st)
{
    return outq_pending(&st->q) >= OUTQ_HIGH;
}

static void fd_close(struct output *o, int *fd)
{
    if (*fd < 0)
        return;
    close(*fd);
    *fd = -1;
    o->nfds--;
}

/* --- prefixes ----------------------------------------------------------------- */

/* Called at the unit's first line (an idle unit never needs it). On ENOMEM
 * the line goes out without a prefix and the next one tries again. */
static void unit_make_prefix(struct output_unit *ou)
{
    const struct output *o = ou->out;
    const char *ident = unit_output(ou->svc->unit)->syslog_identifier;
    if (!ident || !*ident)
        ident = ou->svc->name;
    int n = (int)strnlen(ident, IDENT_MAX);
    char buf[IDENT_MAX + 32];
    int len;
    if (o->px->conf.log_prefix == LOG_PREFIX_NONE) {
        len = 0;
    } else if (o->color) {
        /* A colour per identifier, the same on every run. */
        unsigned h = 5381;
        for (int i = 0; i < n; i++)
            h = h * 33 + (unsigned char)ident[i];
        len = snprintf(buf, sizeof(buf), "\033[%dm%.*s:\033[0m ", 31 + (int)(h % 6), n, ident);
    } else {
        len = snprintf(buf, sizeof(buf), "%.*s: ", n, ident);
    }
    if (len <= 0) {
        ou->prefix_made = true;
        return;
    }
    ou->prefix = strndup(buf, (size_t)len);
    ou->prefix_len = ou->prefix ? (unsigned)len : 0;
    ou->prefix_made = ou->prefix != NULL;
}

/* The room for the first stream in the unit's allocation, or NULL. */
static struct output_stream *unit_st0(struct output_unit *ou)
{
    return ou->has_st0 ? &((struct output_unit_st0 *)(void *)ou)->st0 : NULL;
}

/* The distinct streams of a unit: k 0 and 1, NULL when fewer. */
static struct output_stream *unit_stream(const struct output_unit *ou, int k)
{
    if (k == 0)
        return ou->sout ? ou->sout : ou->serr;
    return ou->sout && ou->serr != ou->sout ? ou->serr : NULL;
}

/* "2024-05-01T12:00:00.123Z " from the loop's clock (wall time in libev). */
static size_t timestamp(struct output *o, char *buf, size_t size)
{
    ev_tstamp now = ev_now(o->px->loop);
    time_t sec = (time_t)now;
    if (sec != o->ts_sec || o->ts_len == 0) {
        struct tm tm;
        gmtime_r(&sec, &tm);
        o->ts_len = strftime(o->ts, sizeof(o->ts), "%Y-%m-%dT%H:%M:%S", &tm);
        o->ts_sec = sec;
    }
    int ms = (int)((now - (ev_tstamp)sec) * 1000);
    int n = snprintf(buf, size, "%.*s.%03dZ ", (int)o->ts_len, o->ts, ms < 0 ? 0 : ms % 1000);
    return n > 0 ? (size_t)n : 0;
}

/* --- lines ------------------------------------------------------------------ */

static void emit_line(struct output_stream *st, const char *line, size_t len, int flags)
{
    struct output_unit *ou = st->unit;
    struct output *o = ou->out;
    size_t mlen = (flags & LINEBUF_SPLIT) ? sizeof(marker) - 1 : 0;

    size_t stored_len;
    const char *stored = NULL;
    if (!ou->ring && (ou->ring = malloc(sizeof(*ou->ring))))
        logbuf_init(ou->ring, o->px->conf.log_lines, o->px->conf.log_bytes);
    if (ou->ring)
        stored = logbuf_append_parts(ou->ring, line, len, marker, mlen, &stored_len);
    for (struct output_follower *f = ou->followers, *next; f; f = next) {
        next = f->next; /* a follower may unfollow itself */
        if (stored)
            f->fn(f->ctx, stored, stored_len);
        else
            f->fn(f->ctx, line, len);
    }

    if (!st->file && o->broken) {
        o->discarded += len + 1;
        return;
    }
    char ts[40];
    size_t tlen = 0, plen = 0;
    if (!st->file) {
        if (!ou->prefix_made)
            unit_make_prefix(ou);
        plen = ou->prefix_len;
        if (o->px->conf.log_prefix == LOG_PREFIX_NAME_TIME)
            tlen = timestamp(o, ts, sizeof(ts));
    }
    char *p = outq_reserve(&st->q, tlen + plen + len + mlen + 1);
    if (!p) {
        /* Out of memory: the line is in the ring if anywhere. Rare and loud. */
        log_unit_warn(ou->svc->name, "out of memory, dropping a line of output");
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

/* The first of a unit's streams: its one or two current ones, then the
 * retired ones. */
static struct output_stream *stream_first(const struct output_unit *ou)
{
    struct output_stream *st = unit_stream(ou, 0);
    return st ? st : ou->retired;
}

static struct output_stream *stream_next(const struct output_unit *ou,
                                         const struct output_stream *st)
{
    if (st->retired)
        return st->rnext;
    if (st == unit_stream(ou, 0) && unit_stream(ou, 1))
        return unit_stream(ou, 1);
    return ou->retired;
}

static void stream_update_watch(struct output_stream *st)
{
    struct ev_loop *loop = st->unit->out->px->loop;
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
           outq_pending(&st->q) == 0 && !st->queued;
}

static bool output_idle(struct output *o, size_t *pending)
{
    struct pxinit *px = o->px;
    bool idle = true;
    if (pending)
        *pending = 0;
    for (size_t i = 0; i < px->table.n; i++) {
        struct output_unit *ou = px->table.svc[i]->output;
        for (struct output_stream *st = ou ? stream_first(ou) : NULL; st;
             st = stream_next(ou, st)) {
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
    if (o->closing && output_idle(o, NULL))
        ev_break(o->px->loop, EVBREAK_ALL);
}

/* Hands the queue to its sink. */
static void stream_send(struct output_stream *st)
{
    struct output *o = st->unit->out;
    if (outq_pending(&st->q) == 0)
        return;
    if (!st->file) {
        console_enqueue(o, st);
    } else if (!ev_is_active(&o->file_retry) && file_flush(st->file, &st->q) < 0) {
        ev_timer_start(o->px->loop, &o->file_retry);
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

static void stream_pump(struct output_stream *st)
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
        /* EOF: the unit's processes (and their orphans) closed or lost every
         * write end, and all they wrote was read above. Nothing can come any
         * more, so the pipe goes: a unit with nothing running holds no
         * descriptor, and its next spawn gets a new pipe. A read error
         * leaves the pipe as unusable: the same. */
        if (n < 0)
            log_unit_warn(st->unit->svc->name, "reading output: %s", strerror(errno));
        ev_io_stop(st->unit->out->px->loop, &st->io);
        fd_close(st->unit->out, &st->rfd);
        st->eof = true;
        st->drained = true;
        /* the lines left, then the partial one, as the sink takes them */
    }
    stream_send(st);
    if (!st->queued)
        outq_trim(&st->q);
    stream_update_watch(st);
    check_done(st->unit->out);
}

static void stream_free(struct output *o, struct output_stream *st);

/* A retired stream goes once its pipe is at EOF and all it read is out.
 * Returns true when st was freed. */
static bool retired_done(struct output_stream *st)
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
    stream_free(ou->out, st);
    return true;
}

static void stream_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct output_stream *st =
        (struct output_stream *)((char *)w - offsetof(struct output_stream, io));
    stream_pump(st);
    retired_done(st);
}

void output_stream_resume(struct output_stream *st)
{
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
        ev_feed_event(st->unit->out->px->loop, &st->io, EV_READ);
    check_done(st->unit->out);
}

static void stream_free(struct output *o, struct output_stream *st)
{
    if (!st || !st->unit)
        return;
    ev_io_stop(o->px->loop, &st->io);
    console_forget(o, st);
    fd_close(o, &st->rfd);
    fd_close(o, &st->wfd);
    linebuf_free(&st->lb);
    free(st->q.buf);
    if (st->file && !st->retired) {
        file_close(st->file);
        free(st->file->path);
        free(st->file);
        o->nfds--;
    }
    if (st == unit_st0(st->unit))
        memset(st, 0, sizeof(*st));
    else
        free(st);
}

/* A new pipe, its read end non-blocking: only pxinit's end is, the
 * service's stays blocking, which is what makes back-pressure work. */
static int pipe_new(struct output *o, int fds[2])
{
    /* Units must leave pxinit room for control clients, spawns and files:
     * past the mark the unit fails with EMFILE now, rather than pxinit
     * later. Counted, not judged by the number pipe2() gives, which is the
     * lowest free one wherever holes are. */
    size_t kept = o->reopen ? 1 : 2; /* the read end, and the write end without /proc */
    if (o->fd_base + o->nfds + o->px->reaper.npidfds + kept > o->fd_high) {
        errno = EMFILE;
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    int fl = fcntl(fds[0], F_GETFL);
    if (fl < 0 || fcntl(fds[0], F_SETFL, fl | O_NONBLOCK) < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    return 0;
}

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
    st->unit->out->nfds += 2;
    st->eof = false;
    st->drained = false;
    st->pipe_grown = false;
    ev_io_set(&st->io, st->rfd, EV_READ);
    stream_update_watch(st);
}

/* A new pipe for st, when its own (still open: it may have writers, an
 * orphan or a process running beside the one being spawned) cannot be
 * reopened. The old one is retired: read, beside the new one, into the same
 * ring and sink until its EOF, with the partial line it holds. */
static int stream_replace_pipe(struct output_stream *st)
{
    struct output *o = st->unit->out;
    int fds[2];
    if (pipe_new(o, fds) < 0)
        return -1;
    struct output_stream *old = calloc(1, sizeof(*old));
    if (!old) {
        close(fds[0]);
        close(fds[1]);
        errno = ENOMEM;
        return -1;
    }
    struct output_unit *ou = st->unit;
    ev_io_stop(o->px->loop, &st->io);
    old->unit = ou;
    old->rfd = st->rfd;
    old->wfd = -1;
    old->lb = st->lb; /* the partial line goes with its pipe */
    old->file = st->file;
    old->drained = st->drained;
    old->flush_partial = st->flush_partial;
    old->pipe_grown = true;
    old->retired = true;
    old->rnext = ou->retired;
    ou->retired = old;
    ev_io_init(&old->io, stream_io_cb, old->rfd, EV_READ);
    linebuf_init(&st->lb);
    st->rfd = -1;
    st->flush_partial = false;
    stream_update_watch(old);
    if (linebuf_pending(&old->lb) > 0)
        ev_feed_event(o->px->loop, &old->io, EV_READ);
    stream_attach(st, fds);
    return 0;
}

/* Gives st a write end for a spawn (st->wfd). */
static int stream_writer(struct output_stream *st)
{
    struct output *o = st->unit->out;
    if (st->wfd >= 0)
        return 0; /* a new pipe's own, or kept (no reopening) */
    if (st->rfd < 0) {
        /* The last one ended (EOF): nothing of it is left to keep in order. */
        int fds[2];
        if (pipe_new(o, fds) < 0)
            return -1;
        stream_attach(st, fds);
        return 0;
    }
    if (o->reopen) {
        /* pxinit holds the read end, so this open cannot wait for a reader
         * (a FIFO's open for writing would), and it is the same pipe: same
         * buffer, same size, whatever is unread in it stays in order. */
        char path[40];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", st->rfd);
        int fd;
        do
            fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        while (fd < 0 && errno == EINTR);
        if (fd >= 0) {
            st->wfd = fd;
            o->nfds++;
            return 0;
        }
        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
            return -1; /* a new pipe would need as much: the spawn fails */
        log_unit_warn(st->unit->svc->name,
                      "cannot reopen the output pipe through /proc (%s): keeping pipes' write "
                      "ends from now on",
                      strerror(errno));
        o->reopen = false;
    }
    return stream_replace_pipe(st);
}

static struct output_stream *stream_new(struct output_unit *ou, enum output_kind kind,
                                        const char *path)
{
    const struct unit *u = ou->svc->unit;
    const struct manager_config *conf = &ou->out->px->conf;
    /* The first stream lives in the unit's own allocation when it has room. */
    struct output_stream *st = unit_st0(ou);
    if (!st || st->unit)
        st = calloc(1, sizeof(*st));
    int fds[2];
    if (!st)
        return NULL;
    st->unit = ou;
    st->rfd = st->wfd = -1;
    linebuf_init(&st->lb);
    ev_init(&st->io, stream_io_cb);
    if (pipe_new(ou->out, fds) < 0)
        goto fail;
    stream_attach(st, fds);
    if (kind != OUTPUT_JOURNAL) {
        st->file = calloc(1, sizeof(*st->file));
        if (!st->file)
            goto fail_enomem;
        st->file->fd = -1; /* not 0, which stream_free() would close */
        ou->out->nfds++;   /* the file's descriptor (reopened when rotated) */
        if (!(st->file->path = strdup(path)))
            goto fail_enomem;
        st->file->open_flags = kind == OUTPUT_TRUNCATE ? O_TRUNC : O_APPEND;
        const struct unit_output *uo = unit_output(u);
        st->file->max_size = uo->log_max_size_set ? uo->log_max_size : conf->log_max_size;
        st->file->max_files = uo->log_max_files_set ? uo->log_max_files : conf->log_max_files;
        if (file_open(st->file) < 0) {
            log_unit_error(ou->svc->name, "cannot open output file %s: %s", path, strerror(errno));
            goto fail;
        }
    }
    return st;
fail_enomem:
    errno = ENOMEM;
fail:;
    int saved = errno;
    stream_free(ou->out, st);
    errno = saved;
    return NULL;
}

/* --- units ---------------------------------------------------------------------- */

static bool kind_captured(const struct output *o, const struct unit *u, enum output_kind kind)
{
    const struct unit_output *uo = unit_output(u);
    if (kind == OUTPUT_JOURNAL)
        return true;
    if (kind != OUTPUT_FILE && kind != OUTPUT_APPEND && kind != OUTPUT_TRUNCATE)
        return false;
    return (uo->log_max_size_set ? uo->log_max_size : o->px->conf.log_max_size) > 0;
}

static bool is_captured(const struct output_unit *ou, enum output_kind kind)
{
    return kind_captured(ou->out, ou->svc->unit, kind);
}

static struct output_unit *unit_get(struct service *s)
{
    struct output *o = output_of(s);
    if (s->output)
        return s->output;
    if (!o)
        return NULL;
    /* Room for a first stream when the unit (as it is now) captures one. */
    const struct unit *u = s->unit;
    bool st0 = kind_captured(o, u, u->std_output) ||
               kind_captured(o, u, u->std_error == OUTPUT_DEFAULT ? u->std_output : u->std_error);
    struct output_unit *ou =
        st0 ? calloc(1, sizeof(struct output_unit_st0)) : calloc(1, sizeof(struct output_unit));
    if (!ou)
        return NULL;
    ou->has_st0 = st0;
    ou->svc = s;
    ou->out = o;
    s->output = ou;
    return ou;
}

/* Decides which streams the unit needs and opens them. */
static int unit_setup(struct output_unit *ou)
{
    const struct unit *u = ou->svc->unit;
    enum output_kind ko = u->std_output, ke = u->std_error;
    const char *po = unit_output(u)->std_output_path, *pe = unit_output(u)->std_error_path;
    if (ke == OUTPUT_DEFAULT) {
        ke = ko;
        pe = po;
    }
    struct output_stream *so = NULL, *se = NULL;
    if (is_captured(ou, ko) && !(so = stream_new(ou, ko, po)))
        return -1;
    if (is_captured(ou, ke)) {
        /* The same target: one pipe, so stdout and stderr keep their order. */
        if (so && ke == ko && (po == pe || (po && pe && strcmp(po, pe) == 0))) {
            se = so;
        } else if (!(se = stream_new(ou, ke, pe))) {
            int saved = errno;
            stream_free(ou->out, so);
            errno = saved;
            return -1;
        }
    }
    ou->sout = so;
    ou->serr = se;
    ou->set_up = true;
    return 0;
}

int output_unit_prepare(struct service *s)
{
    return unit_get(s) ? 0 : -1;
}

int output_spawn_fds(struct service *s, int *fd_out, int *fd_err)
{
    *fd_out = *fd_err = OUTPUT_FD_NONE;
    struct output_unit *ou = unit_get(s);
    if (!ou) {
        errno = ENOMEM;
        return -1;
    }
    if (!ou->set_up && unit_setup(ou) < 0)
        return -1;
    for (int k = 0; k < 2; k++) {
        struct output_stream *st = unit_stream(ou, k);
        if (st && stream_writer(st) < 0) {
            int saved = errno;
            output_spawn_done(s);
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

void output_spawn_done(struct service *s)
{
    struct output_unit *ou = s->output;
    if (!ou || !ou->out->reopen)
        return; /* no /proc: the write ends are kept for the next spawn */
    for (int k = 0; k < 2; k++) {
        struct output_stream *st = unit_stream(ou, k);
        if (st)
            fd_close(ou->out, &st->wfd);
    }
}

size_t output_fd_count(const struct pxinit *px)
{
    return px->output ? px->output->nfds : 0;
}

void output_proc_exited(struct service *s)
{
    struct output_unit *ou = s->output;
    for (struct output_stream *st = ou ? stream_first(ou) : NULL, *next; st; st = next) {
        next = stream_next(ou, st);
        st->flush_partial = true;
        if (!sink_full(st))
            stream_pump(st);
        retired_done(st);
    }
}

void output_unit_free(struct service *s)
{
    struct output_unit *ou = s->output;
    if (!ou)
        return;
    while (ou->followers) {
        struct output_follower *f = ou->followers;
        output_unfollow(f);
        f->fn(f->ctx, NULL, 0);
    }
    while (ou->retired) {
        struct output_stream *st = ou->retired;
        ou->retired = st->rnext;
        stream_free(ou->out, st);
    }
    stream_free(ou->out, unit_stream(ou, 1));
    stream_free(ou->out, unit_stream(ou, 0));
    if (ou->ring)
        logbuf_free(ou->ring);
    free(ou->ring);
    free(ou->prefix);
    free(ou);
    s->output = NULL;
}

/* --- the memory of recent output --------------------------------------------- */

size_t output_tail(struct service *s, size_t n, output_line_fn emit, void *ctx)
{
    if (!s->output || !s->output->ring)
        return 0;
    return logbuf_tail(s->output->ring, n, emit, ctx);
}

void output_follow(struct service *s, struct output_follower *f, output_line_fn fn, void *ctx)
{
    struct output_unit *ou = unit_get(s);
    f->fn = fn;
    f->ctx = ctx;
    f->unit = ou;
    f->next = NULL;
    f->pprev = NULL;
    if (!ou)
        return; /* out of memory: nothing will be followed */
    f->next = ou->followers;
    f->pprev = &ou->followers;
    if (ou->followers)
        ou->followers->pprev = &f->next;
    ou->followers = f;
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
    f->unit = NULL;
}

/* --- the whole -------------------------------------------------------------------- */

static void retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct output *o = (struct output *)((char *)w - offsetof(struct output, retry));
    console_retry(o);
}

static void file_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct output *o = (struct output *)((char *)w - offsetof(struct output, file_retry));
    struct pxinit *px = o->px;
    for (size_t i = 0; i < px->table.n; i++) {
        struct output_unit *ou = px->table.svc[i]->output;
        for (struct output_stream *st = ou ? stream_first(ou) : NULL, *next; st; st = next) {
            next = stream_next(ou, st);
            if (!st->file || outq_pending(&st->q) == 0)
                continue;
            if (file_flush(st->file, &st->q) < 0) {
                ev_timer_start(loop, w);
                continue;
            }
            stream_pump(st);
            retired_done(st);
        }
    }
}

/* While shutting down, a stdout that takes nothing for a grace period is
 * taken as blocked for good: services are waiting to write their last words
 * and exit, so from then on console output is discarded (and counted). */
static void stall_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct output *o = (struct output *)((char *)w - offsetof(struct output, stall));
    if (o->qhead && o->written == o->written_at_check && !o->broken) {
        log_warnx(
            "stdout took no service output for %gs while shutting down: discarding "
            "service output from now on",
            w->repeat);
        o->broken = true;
        ev_io_stop(loop, &o->wio);
        ev_timer_stop(loop, &o->retry);
        console_retry(o);
    }
    o->written_at_check = o->written;
}

void output_stopping(struct pxinit *px)
{
    struct output *o = px->output;
    if (!o || ev_is_active(&o->stall))
        return;
    double t = px->opts.grace_sec < 1 ? 1 : px->opts.grace_sec;
    o->written_at_check = o->written;
    ev_timer_set(&o->stall, t, t);
    ev_timer_start(px->loop, &o->stall);
}

/* Does opening /proc/self/fd/N of a pipe's read end for writing give a
 * write end of that pipe? (No /proc in the image, or not mounted yet.) Also
 * tells how many descriptors pxinit has open now (the lowest free one). */
static bool reopen_works(size_t *base)
{
    int fds[2];
    *base = 16;
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return true; /* cannot tell; the first spawn will, and falls back */
    *base = (size_t)fds[0];
    char path[40], c = 0;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
    int w = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    bool ok = w >= 0 && write(w, "x", 1) == 1 && read(fds[0], &c, 1) == 1 && c == 'x';
    if (w >= 0)
        close(w);
    close(fds[0]);
    close(fds[1]);
    return ok;
}

/* Units' descriptors (with what pxinit had at start) stay below this: an
 * eighth of the limit, 16 to 128, is left for the rest of pxinit (the
 * control socket and its clients, the notify socket, the status board,
 * spawns' temporaries). */
static size_t fd_high_mark(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > (rlim_t)SIZE_MAX / 2)
        return SIZE_MAX / 2;
    rlim_t reserve = rl.rlim_cur / 8;
    reserve = reserve < 16 ? 16 : reserve > 128 ? 128 : reserve;
    return rl.rlim_cur > reserve ? (size_t)(rl.rlim_cur - reserve) : 0;
}

static void deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    ev_break(loop, EVBREAK_ALL);
}

int output_init(struct pxinit *px)
{
    struct output *o = calloc(1, sizeof(*o));
    if (!o)
        return -1;
    o->px = px;
    o->qtail = &o->qhead;
    ev_timer_init(&o->retry, retry_cb, 1., 0.);
    ev_timer_init(&o->file_retry, file_retry_cb, 1., 0.);
    ev_timer_init(&o->deadline, deadline_cb, 1., 0.);
    ev_timer_init(&o->stall, stall_cb, 1., 1.);
    o->reopen = reopen_works(&o->fd_base);
    o->fd_high = fd_high_mark();
    if (!o->reopen)
        log_debug("no /proc/self/fd: pipes' write ends are kept (two descriptors per unit)");
    console_open(o);
    const char *nc = getenv("NO_COLOR");
    o->color = px->conf.log_color == LOG_COLOR_ALWAYS ||
               (px->conf.log_color == LOG_COLOR_AUTO && isatty(STDOUT_FILENO) && !(nc && *nc));
    px->output = o;
    return 0;
}

void output_finish(struct pxinit *px)
{
    struct output *o = px->output;
    if (!o)
        return;
    o->closing = true;
    for (size_t i = 0; i < px->table.n; i++) {
        struct output_unit *ou = px->table.svc[i]->output;
        for (struct output_stream *st = ou ? stream_first(ou) : NULL; st;
             st = stream_next(ou, st)) {
            st->flush_partial = true;
            stream_pump(st);
        }
    }
    if (!output_idle(o, NULL)) {
        double limit = px->opts.grace_sec < 1 ? 1 : px->opts.grace_sec;
        ev_timer_set(&o->deadline, limit, 0.);
        ev_timer_start(px->loop, &o->deadline);
        ev_run(px->loop, 0);
        ev_timer_stop(px->loop, &o->deadline);
    }
    size_t pending;
    if (!output_idle(o, &pending))
        log_warnx(
            "%zu bytes of service output (and what the pipes still held) could not be "
            "written before exit",
            pending);
    if (o->discarded)
        log_warnx("%llu bytes of service output were discarded: stdout was unusable", o->discarded);
}

void output_free(struct pxinit *px)
{
    struct output *o = px->output;
    if (!o)
        return;
    ev_timer_stop(px->loop, &o->retry);
    ev_timer_stop(px->loop, &o->file_retry);
    ev_timer_stop(px->loop, &o->deadline);
    ev_timer_stop(px->loop, &o->stall);
    console_close(o);
    free(o);
    px->output = NULL;
}
