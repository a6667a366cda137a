/* linebuf.c - joins pieces of a byte stream into lines, cutting lines that
 * would need more than LINEBUF_LINE_MAX bytes.
 *
 * Layout: buf[0..len) holds bytes read; [start..len) is not handed out yet.
 * A fill always leaves room for LINEBUF_READ_MAX bytes after a pending partial
 * line of less than LINEBUF_LINE_MAX bytes, so a fill is one large read and
 * the pending bytes are moved at most once per fill. `scan` remembers how far
 * the search for '\n' got, so a long partial line is not searched again on
 * every fill.
 */
#include "linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINEBUF_CAP (LINEBUF_LINE_MAX + LINEBUF_READ_MAX)

void linebuf_init(struct linebuf *lb) { memset(lb, 0, sizeof(*lb)); }

void linebuf_free(struct linebuf *lb)
{
    free(lb->buf);
    linebuf_init(lb);
}

size_t linebuf_pending(const struct linebuf *lb) { return lb->len - lb->start; }

char *linebuf_space(struct linebuf *lb, size_t *room)
{
    if (!lb->buf) {
        lb->buf = malloc(LINEBUF_CAP);
        if (!lb->buf) {
            errno = ENOMEM;
            *room = 0;
            return NULL;
        }
    }
    if (lb->start > 0 && (lb->start == lb->len || LINEBUF_CAP - lb->len < LINEBUF_READ_MAX)) {
        memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
        lb->len -= lb->start;
        lb->start = 0;
    }
    *room = LINEBUF_CAP - lb->len;
    return lb->buf + lb->len;
}

void linebuf_commit(struct linebuf *lb, size_t n) { lb->len += n; }

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
        lb->len += (size_t)n;
    return n;
}

size_t linebuf_put(struct linebuf *lb, const char *data, size_t n)
{
    size_t room;
    char *p = linebuf_space(lb, &room);
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
