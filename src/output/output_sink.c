/* output_sink.c - the two sinks of captured output.
 *
 * The console is pxinit's stdout, shared by every unit. Its file description
 * may also be the main command's and inherit-services' stdout, so pxinit must
 * not set O_NONBLOCK on it: their blocking writes would start failing with
 * EAGAIN. How it writes without blocking depends on what fd 1 is:
 *  - a pipe or a terminal: reopened through /proc/self/fd/1, which gives
 *    pxinit a file description of its own that can be O_NONBLOCK (the same
 *    pipe or tty, so ordering with other writers is unchanged);
 *  - a socket: send(2) with MSG_DONTWAIT, non-blocking per call;
 *  - a regular file or /dev/null: write(2) never waits for a reader there;
 *    reopening would give a second offset and overwrite the others' output;
 *  - a pipe or tty that cannot be reopened (no /proc): wait for EV_WRITE and
 *    write at most PIPE_BUF bytes per readiness, which a pipe reported
 *    writable always takes at once.
 * Streams with bytes to write wait in a FIFO queue; each gets its whole queue
 * written before the next one's turn, so lines never interleave, and a
 * chatty unit gets one turn per round like the others.
 *
 * Rotated files: pxinit writes them itself and rotates only between lines.
 */
#include "output/output_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

/* --- queues ------------------------------------------------------------------ */

char *outq_reserve(struct outq *q, size_t n)
{
    if (q->off == q->len)
        q->off = q->len = 0;
    if (q->len + n > q->cap && q->off > 0) {
        memmove(q->buf, q->buf + q->off, q->len - q->off);
        q->len -= q->off;
        q->off = 0;
    }
    if (q->len + n > q->cap) {
        size_t cap = q->cap ? q->cap : OUTQ_MIN;
        while (cap < q->len + n)
            cap *= 2;
        char *b = realloc(q->buf, cap);
        if (!b)
            return NULL;
        q->buf = b;
        q->cap = cap;
    }
    return q->buf + q->len;
}

void outq_trim(struct outq *q)
{
    if (q->buf && q->off == q->len && q->cap <= OUTQ_TRIM_MAX) {
        free(q->buf);
        q->buf = NULL;
        q->off = q->len = q->cap = 0;
    }
}

/* --- the console ----------------------------------------------------------- */

static void console_write_cb(struct ev_loop *loop, ev_io *w, int revents);

int console_open(struct output *o)
{
    struct stat st;
    o->fd = STDOUT_FILENO;
    o->own_fd = false;
    o->mode = CONSOLE_DIRECT;
    if (fstat(STDOUT_FILENO, &st) < 0)
        return 0; /* main() made sure fd 1 exists; write errors are handled */
    bool tty = isatty(STDOUT_FILENO);
    if (S_ISSOCK(st.st_mode)) {
        o->mode = CONSOLE_SOCKET;
    } else if (S_ISFIFO(st.st_mode) || tty) {
        int fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
            o->fd = fd;
            o->own_fd = true;
            o->mode = CONSOLE_PRIVATE;
        } else {
            log_debug("cannot reopen stdout (%s): writing PIPE_BUF bytes per readiness",
                      strerror(errno));
            o->mode = CONSOLE_PIPEBUF;
        }
    }
    log_debug("service output to stdout: %s",
              o->mode == CONSOLE_DIRECT    ? "plain writes"
              : o->mode == CONSOLE_PRIVATE ? "own non-blocking file description"
              : o->mode == CONSOLE_SOCKET  ? "non-blocking send"
                                           : "PIPE_BUF per readiness");
    ev_io_init(&o->wio, console_write_cb, o->fd, EV_WRITE);
    return 0;
}

void console_close(struct output *o)
{
    ev_io_stop(o->px->loop, &o->wio);
    if (o->own_fd)
        close(o->fd);
    o->own_fd = false;
}

static ssize_t console_write(struct output *o, const char *p, size_t n)
{
    ssize_t r;
    do {
        switch (o->mode) {
        case CONSOLE_SOCKET:
            r = send(o->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (r < 0 && errno == ENOTSOCK) {
                o->mode = CONSOLE_DIRECT;
                continue;
            }
            break;
        case CONSOLE_PIPEBUF:
            r = write(o->fd, p, n < PIPE_BUF ? n : PIPE_BUF);
            break;
        default:
            r = write(o->fd, p, n);
            break;
        }
    } while (r < 0 && errno == EINTR);
    return r;
}

static void console_dequeue_head(struct output *o)
{
    struct output_stream *st = o->qhead;
    o->qhead = st->qnext;
    if (!o->qhead)
        o->qtail = &o->qhead;
    st->qnext = NULL;
    st->queued = false;
}

/* Writes queued streams until the sink would block. In PIPEBUF mode a write
 * is only safe right after a readiness report: one per call then. */
static void console_flush(struct output *o, bool ready)
{
    if (o->flushing)
        return;
    o->flushing = true;
    bool may_write = o->mode != CONSOLE_PIPEBUF || ready;
    while (o->qhead) {
        struct output_stream *st = o->qhead;
        struct outq *q = &st->q;
        while (!o->broken && outq_pending(q) > 0) {
            if (!may_write) {
                ev_io_start(o->px->loop, &o->wio);
                goto out;
            }
            ssize_t r = console_write(o, q->buf + q->off, outq_pending(q));
            if (r < 0 && errno == EAGAIN) {
                ev_io_start(o->px->loop, &o->wio);
                goto out;
            }
            if (r < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG || errno == ENOMEM ||
                          errno == ENOBUFS)) {
                /* Maybe later: keep the bytes, the service waits meanwhile. */
                log_warn("writing service output to stdout; retrying in 1s");
                ev_timer_start(o->px->loop, &o->retry);
                goto out;
            }
            if (r < 0) {
                log_warn("writing service output to stdout; discarding it from now on");
                o->broken = true;
                break;
            }
            q->off += (size_t)r;
            o->written += (size_t)r;
            if (o->mode == CONSOLE_PIPEBUF)
                may_write = false;
        }
        if (o->broken)
            o->discarded += outq_pending(q);
        q->off = q->len = 0;
        console_dequeue_head(o);
        output_stream_resume(st);
    }
    ev_io_stop(o->px->loop, &o->wio);
out:
    o->flushing = false;
}

static void console_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct output *o = (struct output *)((char *)w - offsetof(struct output, wio));
    ev_io_stop(loop, w);
    console_flush(o, true);
}

void console_retry(struct output *o)
{
    console_flush(o, false);
}

void console_enqueue(struct output *o, struct output_stream *st)
{
    if (!st->queued) {
        st->queued = true;
        st->qnext = NULL;
        *o->qtail = st;
        o->qtail = &st->qnext;
    }
    if (!ev_is_active(&o->wio) && !ev_is_active(&o->retry))
        console_flush(o, false);
}

void console_forget(struct output *o, struct output_stream *st)
{
    if (!st->queued)
        return;
    for (struct output_stream **pp = &o->qhead; *pp; pp = &(*pp)->qnext) {
        if (*pp != st)
            continue;
        *pp = st->qnext;
        if (o->qtail == &st->qnext)
            o->qtail = pp;
        break;
    }
    st->queued = false;
    st->qnext = NULL;
}

/* --- rotated files ---------------------------------------------------------- */

int file_open(struct output_file *f)
{
    /* O_NONBLOCK: a FIFO put at the path (by a service that owns its
     * directory, say) would otherwise hold PID 1 in open() until someone
     * reads it; now that open fails (ENXIO) or a full one makes the write
     * retry later, as a slow file does. */
    int fd =
        open(f->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | f->open_flags, 0644);
    if (fd < 0)
        return -1;
    struct stat st;
    f->size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = fd;
    f->open_flags = O_APPEND; /* truncate: only the first time */
    return 0;
}

void file_close(struct output_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

/* path.N-1 -> path.N ... path -> path.1, then a new path. With max_files 0
 * the file starts over empty. */
static int file_rotate(struct output_file *f)
{
    size_t n = strlen(f->path) + 16;
    char *from = malloc(n), *to = malloc(n);
    int rc = -1;
    if (!from || !to)
        goto out;
    if (f->max_files == 0) {
        if (ftruncate(f->fd, 0) == 0) {
            f->size = 0;
            rc = 0;
        }
        goto out;
    }
    for (unsigned i = f->max_files; i > 1; i--) {
        snprintf(from, n, "%s.%u", f->path, i - 1);
        snprintf(to, n, "%s.%u", f->path, i);
        if (rename(from, to) < 0 && errno != ENOENT)
            log_warn("rotating %s", from);
    }
    snprintf(to, n, "%s.1", f->path);
    if (rename(f->path, to) < 0) {
        log_warn("rotating %s", f->path);
        goto out;
    }
    /* Should the new file fail to open, the old fd goes on into path.1. */
    rc = file_open(f);
    if (rc < 0)
        log_warn("reopening %s after rotation", f->path);
out:
    free(from);
    free(to);
    return rc;
}

int file_flush(struct output_file *f, struct outq *q)
{
    while (outq_pending(q) > 0) {
        const char *p = q->buf + q->off;
        size_t n = outq_pending(q);
        if (f->max_size > 0 && f->size + n > f->max_size) {
            size_t room = f->size < f->max_size ? (size_t)(f->max_size - f->size) : 0;
            const char *nl = room ? memrchr(p, '\n', room) : NULL;
            if (nl) {
                n = (size_t)(nl - p) + 1;
            } else if (f->size > 0) {
                if (file_rotate(f) < 0)
                    f->max_size = 0; /* write on rather than lose lines */
                continue;
            } else {
                /* One line longer than the limit: it gets a file of its own. */
                nl = memchr(p, '\n', n);
                if (nl)
                    n = (size_t)(nl - p) + 1;
            }
        }
        ssize_t r = write(f->fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            if (!f->failing)
                log_warn("writing %s; retrying every second", f->path);
            f->failing = true;
            return -1;
        }
        f->failing = false;
        q->off += (size_t)r;
        f->size += (uint64_t)r;
    }
    q->off = q->len = 0;
    return 0;
}
