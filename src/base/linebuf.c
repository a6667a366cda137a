/* linebuf.c - joins pieces of a byte stream into lines, cutting lines that
 * would need more than LINEBUF_LINE_MAX bytes.
 *
 * Layout: buf[0..len) holds bytes read; [start..len) is not handed out yet.
 * Before a fill the pending bytes (at most a partial line) move to the
 * front, so a fill is one read into all the rest and they move at most once
 * per fill. buf starts at LINEBUF_MIN bytes and doubles each time a fill
 * used all the room it got (or a partial line fills it), up to LINEBUF_CAP:
 * a unit that prints a line now and then holds a KiB, a chatty one soon gets
 * reads of LINEBUF_READ_MAX. `scan` remembers how far the search for '\n'
 * got, so a long partial line is not searched again on every fill.
 */
#include "base/linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINEBUF_CAP (LINEBUF_LINE_MAX + LINEBUF_READ_MAX)
#define LINEBUF_MIN 1024

void linebuf_init(struct linebuf *lb)
{
    memset(lb, 0, sizeof(*lb));
}

void linebuf_free(struct linebuf *lb)
{
    free(lb->buf);
    linebuf_init(lb);
}

size_t linebuf_pending(const struct linebuf *lb)
{
    return lb->len - lb->start;
}

/* Grows buf (doubling, up to LINEBUF_CAP) until want bytes fit after len. */
static int grow(struct linebuf *lb, size_t want)
{
    if (lb->buf && (lb->cap - lb->len >= want || lb->cap >= LINEBUF_CAP))
        return 0;
    size_t cap = lb->cap ? lb->cap : LINEBUF_MIN;
    while (cap - lb->len < want && cap < LINEBUF_CAP)
        cap *= 2;
    if (cap > LINEBUF_CAP)
        cap = LINEBUF_CAP;
    char *b = realloc(lb->buf, cap);
    if (!b) {
        errno = ENOMEM;
        return -1;
    }
    lb->buf = b;
    lb->cap = (uint32_t)cap;
    return 0;
}

/* Room for want more bytes after the pending ones, as far as LINEBUF_CAP
 * allows: less (0 when a whole line is pending: take lines first). */
static char *space(struct linebuf *lb, size_t want, size_t *room)
{
    if (lb->start > 0) {
        memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
        lb->len -= lb->start;
        lb->start = 0;
    }
    if (grow(lb, want) < 0) {
        *room = 0;
        return NULL;
    }
    *room = lb->cap - lb->len;
    return lb->buf + lb->len;
}

char *linebuf_space(struct linebuf *lb, size_t *room)
{
    return space(lb, 1, room);
}

void linebuf_commit(struct linebuf *lb, size_t n)
{
    lb->len += n;
}

void linebuf_trim(struct linebuf *lb)
{
    if (lb->buf && lb->start == lb->len && lb->cap <= LINEBUF_TRIM_MAX)
        linebuf_free(lb);
}

ssize_t linebuf_fill(struct linebuf *lb, int fd)
{
    size_t room;
    char *p = linebuf_space(lb, &room);
    if (!p)
        return -1;
    if (room == 0) {
        errno = ENOBUFS;
        return -1;
    }
    if (room > LINEBUF_READ_MAX)
        room = LINEBUF_READ_MAX;
    ssize_t n;
    do
        n = read(fd, p, room);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        lb->len += (uint32_t)n;
    /* All the room was used: more is probably waiting; read more next time
     * (a failure to grow only means smaller reads). */
    if (n > 0 && (size_t)n == room && lb->cap < LINEBUF_CAP)
        (void)grow(lb, lb->cap - lb->len + lb->cap);
    return n;
}

size_t linebuf_put(struct linebuf *lb, const char *data, size_t n)
{
    size_t room;
    char *p = space(lb, n, &room);
    if (!p)
        return 0;
    if (n > room)
        n = room;
    memcpy(p, data, n);
    lb->len += n;
    return n;
}

bool linebuf_next(struct linebuf *lb, const char **line, size_t *len, int *flags)
{
    size_t avail = lb->len - lb->start;
    if (avail == 0)
        return false;
    char *from = lb->buf + lb->start;
    size_t limit = avail < LINEBUF_LINE_MAX + 1 ? avail : LINEBUF_LINE_MAX + 1;
    char *nl = NULL;
    if (lb->scan < limit)
        nl = memchr(from + lb->scan, '\n', limit - lb->scan);
    if (nl) {
        *line = from;
        *len = (size_t)(nl - from);
        *flags = 0;
        lb->start += *len + 1;
        lb->scan = 0;
        return true;
    }
    lb->scan = limit;
    if (avail <= LINEBUF_LINE_MAX)
        return false; /* a partial line: wait for more */
    /* LINEBUF_LINE_MAX + 1 bytes without a newline: hand out a piece. */
    *line = from;
    *len = LINEBUF_LINE_MAX;
    *flags = LINEBUF_SPLIT;
    lb->start += LINEBUF_LINE_MAX;
    lb->scan = 0;
    return true;
}

bool linebuf_flush(struct linebuf *lb, const char **line, size_t *len, int *flags)
{
    size_t avail = lb->len - lb->start;
    if (avail == 0)
        return false;
    /* Callers take complete lines first; what is left has no newline, but
     * may still be longer than a piece if they did not. */
    if (avail > LINEBUF_LINE_MAX)
        return linebuf_next(lb, line, len, flags);
    *line = lb->buf + lb->start;
    *len = avail;
    *flags = LINEBUF_PARTIAL;
    lb->start = lb->len;
    lb->scan = 0;
    return true;
}
