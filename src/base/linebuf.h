/* linebuf.h - the line assembler of captured output.
 *
 * Bytes read from a service's pipe come in arbitrary pieces; linebuf joins
 * them into lines. A line longer than LINEBUF_LINE_MAX is cut into pieces of
 * that size (each but the last flagged LINEBUF_SPLIT) instead of being
 * buffered without bound. Pure: no fds of its own, so the tests feed it
 * byte strings. Memory: allocated on first use, a few KiB at first, growing
 * with the stream's pace up to LINEBUF_LINE_MAX + LINEBUF_READ_MAX bytes.
 */
#ifndef PXINIT_LINEBUF_H
#define PXINIT_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LINEBUF_LINE_MAX (16 * 1024) /* longest line kept whole */
#define LINEBUF_READ_MAX (64 * 1024) /* most bytes one fill reads */

enum linebuf_flags {
    LINEBUF_SPLIT = 1,   /* the line goes on in the next piece */
    LINEBUF_PARTIAL = 2, /* a flushed line that had no newline */
};

struct linebuf {
    char *buf;
    uint32_t start; /* first byte not handed out yet */
    uint32_t len;   /* bytes in buf, from 0 */
    uint32_t scan;  /* bytes from start known to hold no '\n' */
    uint32_t cap;   /* bytes allocated */
};

void linebuf_init(struct linebuf *lb);
void linebuf_free(struct linebuf *lb);

/* Room for the next fill, after moving pending bytes to the front. Returns a
 * pointer and stores the size in *room (0 when a whole line is pending: take
 * lines first). NULL with errno ENOMEM when the buffer cannot be allocated. */
char *linebuf_space(struct linebuf *lb, size_t *room);
/* n bytes were written at the pointer linebuf_space() gave. */
void linebuf_commit(struct linebuf *lb, size_t n);
/* Reads once from fd into the buffer: returns read(2)'s result (-1 with errno,
 * EINTR retried; 0 at EOF). */
ssize_t linebuf_fill(struct linebuf *lb, int fd);
/* Appends bytes (tests, and callers that have them in memory). Returns the
 * number taken, which is less than n when the buffer is full. */
size_t linebuf_put(struct linebuf *lb, const char *data, size_t n);

/* The next complete line (without its '\n'), or a LINEBUF_LINE_MAX piece of a
 * longer one. Returns false when only a partial line is left. The line stays
 * valid until the next call on lb. */
bool linebuf_next(struct linebuf *lb, const char **line, size_t *len, int *flags);
/* The pending partial line (flags LINEBUF_PARTIAL), at EOF or when its
 * writer exited; false when nothing is pending. */
bool linebuf_flush(struct linebuf *lb, const char **line, size_t *len, int *flags);
/* Bytes held (pending partial line and unread lines). */
size_t linebuf_pending(const struct linebuf *lb);
/* Frees the buffer when it holds nothing and never grew past
 * LINEBUF_TRIM_MAX: a stream that went quiet keeps no memory, while a busy
 * one keeps its large buffer instead of allocating it again and again. */
#define LINEBUF_TRIM_MAX 4096
void linebuf_trim(struct linebuf *lb);

#endif
