/* sink.h - where captured output is written: the console (pxinit's stdout,
 * shared by every unit) and the rotated files pxinit writes itself, and the
 * queue of formatted bytes a stream keeps for its sink. Knows nothing of
 * units, pipes or streams: a stream hands the console its queue, and the
 * console hands it back, through the callback given at console_open(), once
 * it took everything (see doc/DESIGN.md, "Service output").
 */
#ifndef PXINIT_OUTPUT_SINK_H
#define PXINIT_OUTPUT_SINK_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config/conf.h"

/* Formatted bytes of one stream waiting for its sink. Filled up to
 * OUTQ_HIGH (then the stream stops reading), plus at most one line. The
 * buffer starts at OUTQ_MIN and doubles as needed: a unit that writes a
 * line now and then never needs 64 KiB. */
#define OUTQ_HIGH (64 * 1024)
#define OUTQ_MIN 1024

struct outq {
    char *buf;
    uint32_t off, len, cap; /* [off, len) waits */
    bool queued;            /* in the console's queue */
    struct outq *qnext;
};

/* Makes room for n more bytes (q stays below OUTQ_HIGH + one line). */
char *outq_reserve(struct outq *q, size_t n);
/* Frees an empty queue's buffer unless it grew past OUTQ_TRIM_MAX (a busy
 * stream keeps it). */
#define OUTQ_TRIM_MAX 4096
void outq_trim(struct outq *q);
static inline size_t outq_pending(const struct outq *q)
{
    return q->len - q->off;
}

/* --- the console ----------------------------------------------------------- */

enum console_mode {
    CONSOLE_DIRECT,  /* regular file, /dev/null: plain write(2) */
    CONSOLE_PRIVATE, /* pipe or tty reopened through /proc: our own O_NONBLOCK */
    CONSOLE_SOCKET,  /* send(MSG_DONTWAIT) */
    CONSOLE_PIPEBUF, /* pipe or tty we could not reopen: PIPE_BUF per readiness */
};

/* The console took all of q (or discarded it, when broken): its owner may
 * read more. Called from inside the console's flush: it must not write to
 * the console itself. */
typedef void (*console_taken_fn)(void *ctx, struct outq *q);

struct console {
    struct ev_loop *loop;
    console_taken_fn taken;
    void *ctx;
    int fd;
    bool own_fd;
    enum console_mode mode;
    bool color;
    ev_io wio;      /* EV_WRITE on fd while the queue waits */
    ev_timer retry; /* the console failed with ENOSPC and such: try again */
    struct outq *qhead, **qtail;
    bool flushing;
    bool broken; /* stdout is gone: console output is discarded */
    unsigned long long discarded;
    unsigned long long written; /* bytes the console took */
    unsigned long long written_at_check;
    ev_timer stall; /* during shutdown: is stdout still taking anything? */
    time_t ts_sec;  /* the cached timestamp's second */
    char ts[32];
    size_t ts_len;
};

/* Sets the console up on fd (pxinit's stdout; not closed, and left
 * blocking). Before the loop runs. */
void console_open(struct console *c, struct ev_loop *loop, int fd, enum log_color color,
                  console_taken_fn taken, void *ctx);
void console_close(struct console *c);
/* Queues q (it has bytes) and writes what the console takes now. */
void console_enqueue(struct console *c, struct outq *q);
void console_forget(struct console *c, struct outq *q);
/* Shutdown began: a console that takes nothing for grace seconds is given
 * up on from then on (its bytes discarded and counted). */
void console_stopping(struct console *c, double grace);

/* "ident: " (coloured when the console is) into buf; its length. */
size_t console_prefix(const struct console *c, const char *ident, char *buf, size_t size);
/* "2024-05-01T12:00:00.123Z " from the loop's clock; its length. */
size_t console_timestamp(struct console *c, char *buf, size_t size);
#define CONSOLE_IDENT_MAX 64 /* longest identifier shown in a prefix */

/* --- rotated files ---------------------------------------------------------- */

/* A file target pxinit writes itself, so it can rotate it between lines. */
struct output_file {
    char *path;
    int fd;
    int open_flags;     /* O_APPEND or O_TRUNC at the first open */
    uint64_t size;      /* bytes in the current file */
    uint64_t max_size;  /* rotate before a line would pass it */
    unsigned max_files; /* path.1 .. path.N kept */
    bool failing;       /* a write error was reported, not repeated */
};

int file_open(struct output_file *f);
/* Writes q to the file, rotating between lines. Returns 0 when q is empty,
 * -1 with errno when the file would not take it all. */
int file_flush(struct output_file *f, struct outq *q);
void file_close(struct output_file *f);

#endif
