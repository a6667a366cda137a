/* sink.c - the two sinks of captured output (sink.h).
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
 * When a stream's whole queue is written, the console gives it back through
 * its taken callback, so that the stream reads its pipe again.
 *
 * Rotated files: pxinit writes them itself and rotates only between lines.
 */
#include "output/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/tz.h"

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

static void console_retry_cb(struct ev_loop *loop, ev_timer *w, int revents);
static void console_stall_cb(struct ev_loop *loop, ev_timer *w, int revents);

void console_open(struct console *c, struct ev_loop *loop, int fd, enum log_color color,
                  console_taken_fn taken, void *ctx)
{
    struct stat st;
    memset(c, 0, sizeof(*c));
    c->loop = loop;
    c->taken = taken;
    c->ctx = ctx;
    c->qtail = &c->qhead;
    c->fd = fd;
    c->mode = CONSOLE_DIRECT;
    ev_timer_init(&c->retry, console_retry_cb, 1., 0.);
    ev_timer_init(&c->stall, console_stall_cb, 1., 1.);
    bool tty = isatty(fd);
    const char *nc = getenv("NO_COLOR");
    c->color = color == LOG_COLOR_ALWAYS || (color == LOG_COLOR_AUTO && tty && !(nc && *nc));
    /* main() made sure fd 1 exists; write errors are handled */
    if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
        c->mode = CONSOLE_SOCKET;
    } else if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || tty)) {
        char path[40];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        int own = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (own >= 0) {
            c->fd = own;
            c->own_fd = true;
            c->mode = CONSOLE_PRIVATE;
        } else {
            log_debug("cannot reopen stdout (%s): writing PIPE_BUF bytes per readiness",
                      strerror(errno));
            c->mode = CONSOLE_PIPEBUF;
        }
    }
    log_debug("service output to stdout: %s",
              c->mode == CONSOLE_DIRECT    ? "plain writes"
              : c->mode == CONSOLE_PRIVATE ? "own non-blocking file description"
              : c->mode == CONSOLE_SOCKET  ? "non-blocking send"
                                           : "PIPE_BUF per readiness");
    ev_io_init(&c->wio, console_write_cb, c->fd, EV_WRITE);
}

void console_close(struct console *c)
{
    ev_io_stop(c->loop, &c->wio);
    ev_timer_stop(c->loop, &c->retry);
    ev_timer_stop(c->loop, &c->stall);
    if (c->own_fd)
        close(c->fd);
    c->own_fd = false;
}

static ssize_t console_write(struct console *c, const char *p, size_t n)
{
    ssize_t r;
    do {
        switch (c->mode) {
        case CONSOLE_SOCKET:
            r = send(c->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (r < 0 && errno == ENOTSOCK) {
                c->mode = CONSOLE_DIRECT;
                continue;
            }
            break;
        case CONSOLE_PIPEBUF:
            r = write(c->fd, p, n < PIPE_BUF ? n : PIPE_BUF);
            break;
        default:
            r = write(c->fd, p, n);
            break;
        }
    } while (r < 0 && errno == EINTR);
    return r;
}

static void console_dequeue_head(struct console *c)
{
    struct outq *q = c->qhead;
    c->qhead = q->qnext;
    if (!c->qhead)
        c->qtail = &c->qhead;
    q->qnext = NULL;
    q->queued = false;
}

/* Writes queued streams until the sink would block. In PIPEBUF mode a write
 * is only safe right after a readiness report: one per call then. */
static void console_flush(struct console *c, bool ready)
{
    if (c->flushing)
        return;
    c->flushing = true;
    bool may_write = c->mode != CONSOLE_PIPEBUF || ready;
    while (c->qhead) {
        struct outq *q = c->qhead;
        while (!c->broken && outq_pending(q) > 0) {
            if (!may_write) {
                ev_io_start(c->loop, &c->wio);
                goto out;
            }
            ssize_t r = console_write(c, q->buf + q->off, outq_pending(q));
            if (r < 0 && errno == EAGAIN) {
                ev_io_start(c->loop, &c->wio);
                goto out;
            }
            if (r < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EFBIG || errno == ENOMEM ||
                          errno == ENOBUFS)) {
                /* Maybe later: keep the bytes, the service waits meanwhile. */
                log_warn("writing service output to stdout; retrying in 1s");
                ev_timer_start(c->loop, &c->retry);
                goto out;
            }
            if (r < 0) {
                log_warn("writing service output to stdout; discarding it from now on");
                c->broken = true;
                break;
            }
            q->off += (size_t)r;
            c->written += (size_t)r;
            if (c->mode == CONSOLE_PIPEBUF)
                may_write = false;
        }
        if (c->broken)
            c->discarded += outq_pending(q);
        q->off = q->len = 0;
        console_dequeue_head(c);
        c->taken(c->ctx, q);
    }
    ev_io_stop(c->loop, &c->wio);
out:
    c->flushing = false;
}

static void console_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct console *c = (struct console *)((char *)w - offsetof(struct console, wio));
    ev_io_stop(loop, w);
    console_flush(c, true);
}

static void console_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct console *c = (struct console *)((char *)w - offsetof(struct console, retry));
    console_flush(c, false);
}

void console_enqueue(struct console *c, struct outq *q)
{
    if (!q->queued) {
        q->queued = true;
        q->qnext = NULL;
        *c->qtail = q;
        c->qtail = &q->qnext;
    }
    if (!ev_is_active(&c->wio) && !ev_is_active(&c->retry))
        console_flush(c, false);
}

void console_forget(struct console *c, struct outq *q)
{
    if (!q->queued)
        return;
    for (struct outq **pp = &c->qhead; *pp; pp = &(*pp)->qnext) {
        if (*pp != q)
            continue;
        *pp = q->qnext;
        if (c->qtail == &q->qnext)
            c->qtail = pp;
        break;
    }
    q->queued = false;
    q->qnext = NULL;
}

/* While shutting down, a stdout that takes nothing for a grace period is
 * taken as blocked for good: services are waiting to write their last words
 * and exit, so from then on console output is discarded (and counted). */
static void console_stall_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct console *c = (struct console *)((char *)w - offsetof(struct console, stall));
    if (c->qhead && c->written == c->written_at_check && !c->broken) {
        log_warnx(
            "stdout took no service output for %gs while shutting down: discarding "
            "service output from now on",
            w->repeat);
        c->broken = true;
        ev_io_stop(loop, &c->wio);
        ev_timer_stop(loop, &c->retry);
        console_flush(c, false);
    }
    c->written_at_check = c->written;
}

void console_stopping(struct console *c, double grace)
{
    if (ev_is_active(&c->stall))
        return;
    c->written_at_check = c->written;
    ev_timer_set(&c->stall, grace, grace);
    ev_timer_start(c->loop, &c->stall);
}

/* --- what the console puts before a line ------------------------------------ */

size_t console_prefix(const struct console *c, const char *ident, char *buf, size_t size)
{
    int n = (int)strnlen(ident, CONSOLE_IDENT_MAX);
    int len;
    if (c->color) {
        /* A colour per identifier, the same on every run. */
        unsigned h = 5381;
        for (int i = 0; i < n; i++)
            h = h * 33 + (unsigned char)ident[i];
        len = snprintf(buf, size, "\033[%dm%.*s:\033[0m ", 31 + (int)(h % 6), n, ident);
    } else {
        len = snprintf(buf, size, "%.*s: ", n, ident);
    }
    return len > 0 && (size_t)len < size ? (size_t)len : 0;
}

/* The loop's clock is wall time in libev. */
size_t console_timestamp(struct console *c, char *buf, size_t size)
{
    ev_tstamp now = ev_now(c->loop);
    time_t sec = (time_t)now;
    if (sec != c->ts_sec || c->ts_len == 0) {
        /* tz_localtime and snprintf, not gmtime_r and strftime: those bring
         * glibc's tzset and sscanf into the static binary (base/scan.h). */
        struct tm tm = {0};
        (void)tz_localtime(tz_utc(), (int64_t)sec, &tm);
        int w = snprintf(c->ts, sizeof(c->ts), "%d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        c->ts_len = w > 0 && (size_t)w < sizeof(c->ts) ? (size_t)w : 0;
        c->ts_sec = sec;
    }
    int ms = (int)((now - (ev_tstamp)sec) * 1000);
    int n = snprintf(buf, size, "%.*s.%03dZ ", (int)c->ts_len, c->ts, ms < 0 ? 0 : ms % 1000);
    return n > 0 ? (size_t)n : 0;
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
