/* log.c - pxinit's own log lines on stderr.
 *
 * A whole line is formatted first and written with one write(2), so lines
 * from pxinit never interleave mid-line with service output on a shared fd.
 *
 * Once the daemon runs, lines are batched: they collect in a buffer of whole
 * lines, written in pieces of at most PIPE_BUF (so each write is still
 * atomic on a pipe) before the loop sleeps (log_flush from an ev_prepare
 * watcher). A boot of 10,000 units logs 20,000 lines in one loop iteration:
 * about 220 writes instead of 20,000.
 *
 * From log_nonblocking() on (the daemon's loop), stderr never blocks PID 1,
 * whatever it is (a paused terminal, a pipe nobody reads, a log driver that
 * stalls): stderr is written as the console is (output/sink.c) - a pipe or
 * terminal through a file description of pxinit's own opened O_NONBLOCK, a
 * socket with MSG_DONTWAIT, a file with plain writes - and what it does not
 * take waits in a bounded queue (LOG_QUEUE_MAX). Lines that find the queue
 * full are dropped and counted; once stderr has taken the queue again,
 * "N log lines dropped" says how many. log_pending_fd() tells the loop to
 * wait for stderr to become writable (log_watch.c).
 */
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static enum log_level log_threshold = LOG_LEVEL_NOTICE;

enum log_mode {
    LOG_MODE_BLOCKING, /* before the loop: plain writes, as any program */
    LOG_MODE_OWN,      /* our own O_NONBLOCK file description of fd 2 */
    LOG_MODE_SOCKET,   /* send(MSG_DONTWAIT) */
    LOG_MODE_FILE,     /* a file or /dev/null: writes never wait for a reader */
    LOG_MODE_PIPEBUF,  /* a pipe we could not reopen: PIPE_BUF when poll says writable */
};

static struct {
    bool on; /* batching */
    enum log_mode mode;
    int fd;                  /* ours + 1, or 0 for fd 2 (keeps q all zero at start) */
    size_t off, len;         /* [off, len) of buf waits */
    unsigned long dropped;   /* lines that found the queue full, not yet reported */
    bool stalled;            /* the last write found stderr full */
    char buf[LOG_QUEUE_MAX]; /* whole lines */
} q;                         /* all zero: in .bss, not 64 KiB of the binary */

static int log_fd(void)
{
    return q.fd ? q.fd - 1 : STDERR_FILENO;
}

static const char *const level_names[] = {
    [LOG_LEVEL_ERROR] = "error", [LOG_LEVEL_WARNING] = "warning", [LOG_LEVEL_NOTICE] = "notice",
    [LOG_LEVEL_INFO] = "info",   [LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
    log_threshold = level;
}

enum log_level log_get_level(void)
{
    return log_threshold;
}

const char *log_level_name(enum log_level level)
{
    return level <= LOG_LEVEL_DEBUG ? level_names[level] : "debug";
}

int log_level_parse(const char *s)
{
    for (int i = LOG_LEVEL_ERROR; i <= LOG_LEVEL_DEBUG; i++)
        if (strcmp(s, level_names[i]) == 0 || (s[0] == '0' + i && s[1] == '\0'))
            return i;
    if (strcmp(s, "warn") == 0 || strcmp(s, "err") == 0)
        return s[0] == 'w' ? LOG_LEVEL_WARNING : LOG_LEVEL_ERROR;
    return -1;
}

void log_nonblocking(void)
{
    struct stat st;
    if (q.mode != LOG_MODE_BLOCKING || fstat(STDERR_FILENO, &st) < 0)
        return;
    q.mode = LOG_MODE_FILE;
    if (S_ISSOCK(st.st_mode)) {
        q.mode = LOG_MODE_SOCKET;
    } else if (S_ISFIFO(st.st_mode) || isatty(STDERR_FILENO)) {
        /* Not O_NONBLOCK on fd 2 itself: the main command and units may
         * share its file description, and their writes would fail. */
        int fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd >= 0) {
            q.fd = fd + 1;
            q.mode = LOG_MODE_OWN;
        } else {
            q.mode = LOG_MODE_PIPEBUF;
        }
    }
}

/* One write of at most n bytes from p; what was taken, or -1 (EAGAIN when
 * stderr cannot take it now). */
static ssize_t write_some(const char *p, size_t n)
{
    ssize_t r;
    do {
        switch (q.mode) {
        case LOG_MODE_SOCKET:
            r = send(log_fd(), p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (r < 0 && errno == ENOTSOCK) {
                q.mode = LOG_MODE_FILE;
                continue;
            }
            break;
        case LOG_MODE_PIPEBUF: {
            /* A pipe that polls writable takes PIPE_BUF bytes at once. */
            struct pollfd pfd = {.fd = log_fd(), .events = POLLOUT};
            if (poll(&pfd, 1, 0) == 0) {
                errno = EAGAIN;
                return -1;
            }
            r = write(log_fd(), p, n < PIPE_BUF ? n : PIPE_BUF);
            break;
        }
        default:
            r = write(log_fd(), p, n);
            break;
        }
    } while (r < 0 && errno == EINTR);
    return r;
}

/* The end of the last whole line in [p, p + n), or n when there is none. */
static size_t whole_lines(const char *p, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (p[i - 1] == '\n')
            return i;
    return n;
}

static bool queue_line(const char *line, size_t len)
{
    if (q.off == q.len)
        q.off = q.len = 0;
    if (q.len + len > sizeof(q.buf) && q.off > 0) {
        memmove(q.buf, q.buf + q.off, q.len - q.off);
        q.len -= q.off;
        q.off = 0;
    }
    if (q.len + len > sizeof(q.buf))
        return false;
    memcpy(q.buf + q.len, line, len);
    q.len += len;
    return true;
}

static void write_queue(void)
{
    q.stalled = false;
    while (q.off < q.len) {
        size_t n = q.len - q.off;
        if (n > PIPE_BUF)
            n = whole_lines(q.buf + q.off, PIPE_BUF);
        ssize_t r = write_some(q.buf + q.off, n);
        /* Only a stderr that is full keeps lines waiting; any other failure
         * (EPIPE, EIO, ENOSPC) drops them, as it always did: waiting for
         * such an fd to turn writable would spin or never end. */
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            r = (ssize_t)n;
        if (r <= 0) {
            q.stalled = true; /* the loop waits for stderr (log_pending_fd) */
            return;
        }
        q.off += (size_t)r;
    }
    q.off = q.len = 0;
}

void log_flush(void)
{
    int saved = errno;
    write_queue();
    if (q.off == q.len && q.dropped) {
        /* stderr took everything: now say what it missed. */
        char line[96];
        int n = snprintf(line, sizeof(line), "pxinit: warning: %lu log lines dropped\n", q.dropped);
        if (n > 0 && queue_line(line, (size_t)n)) {
            q.dropped = 0;
            write_queue();
        }
    }
    errno = saved;
}

int log_pending_fd(void)
{
    return q.mode != LOG_MODE_BLOCKING && q.off < q.len ? log_fd() : -1;
}

static void log_emit(enum log_level level, const char *unit, const char *suffix, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));

static void log_emit(enum log_level level, const char *unit, const char *suffix, const char *fmt,
                     va_list ap)
{
    char line[2048];
    size_t len;
    int n;

    if (level > log_threshold)
        return;
    /* A notice is what the default level shows: no level word. */
    n = snprintf(line, sizeof(line), "pxinit: %s%s%s%s",
                 level == LOG_LEVEL_NOTICE ? "" : level_names[level],
                 level == LOG_LEVEL_NOTICE ? "" : ": ", unit ? unit : "", unit ? ": " : "");
    len = n < 0 ? 0 : (size_t)n;
    if (len < sizeof(line)) {
        n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
        if (n > 0)
            len += (size_t)n;
    }
    if (suffix && len < sizeof(line)) {
        n = snprintf(line + len, sizeof(line) - len, ": %s", suffix);
        if (n > 0)
            len += (size_t)n;
    }
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    /* Earlier lines first: a line never overtakes the queue. */
    if (!queue_line(line, len)) {
        if (!q.stalled)
            write_queue();
        if (!queue_line(line, len)) {
            q.dropped++;
            return;
        }
    }
    /* A stalled stderr is tried again when it polls writable, not per line. */
    if (!q.on || (q.len - q.off >= PIPE_BUF && !q.stalled))
        log_flush();
}

void log_batch(bool on)
{
    if (!on)
        log_flush();
    q.on = on;
}
void log_vmsg(enum log_level level, const char *unit, const char *fmt, va_list ap)
{
    int saved = errno;
    log_emit(level, unit, NULL, fmt, ap);
    errno = saved;
}

void log_msg(enum log_level level, const char *unit, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, unit, fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_WARNING, NULL, strerror(saved), fmt, ap);
    va_end(ap);
    errno = saved;
}

void log_warnx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_WARNING, NULL, fmt, ap);
    va_end(ap);
}

void log_notice(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_NOTICE, NULL, fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_INFO, NULL, fmt, ap);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_DEBUG, NULL, fmt, ap);
    va_end(ap);
}

void fatal(const char *fmt, ...)
{
    log_batch(false);
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_ERROR, NULL, strerror(saved), fmt, ap);
    va_end(ap);
    exit(1);
}

void fatalx(const char *fmt, ...)
{
    log_batch(false);
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_ERROR, NULL, NULL, fmt, ap);
    va_end(ap);
    exit(1);
}
