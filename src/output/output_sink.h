/* output_sink.h - internal to output.c and output_sink.c: the stream and
 * sink structures, the console writer on pxinit's stdout and the writer of
 * rotated files. Not for use elsewhere. */
#ifndef PXINIT_OUTPUT_SINK_H
#define PXINIT_OUTPUT_SINK_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/linebuf.h"
#include "base/logbuf.h"
#include "output/output.h"

/* Formatted bytes of one stream waiting for its sink. Filled up to
 * OUTQ_HIGH (then the stream stops reading), plus at most one line. The
 * buffer starts at OUTQ_MIN and doubles as needed: a unit that writes a
 * line now and then never needs 64 KiB. */
#define OUTQ_HIGH (64 * 1024)
#define OUTQ_MIN 1024

struct outq {
    char *buf;
    uint32_t off, len, cap; /* [off, len) waits */
};

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

/* One pipe of a unit (stdout, stderr, or both). */
struct output_stream {
    struct output_unit *unit;
    ev_io io; /* EV_READ on rfd while not paused and not at EOF */
    int rfd;  /* pxinit's read end; -1 once the pipe ended, until the next spawn */
    int wfd;  /* the write end: only from its creation or reopening until the
               * spawn that needs it is done; for good when /proc cannot
               * reopen pipes (struct output's reopen) */
    struct linebuf lb;
    struct outq q;
    struct output_file *file; /* NULL: pxinit's stdout */
    bool paused;              /* back-pressure: the sink has not taken q yet */
    bool drained;             /* the last read found the pipe empty */
    bool eof;                 /* the pipe ended (closed): the line buffer holds its last bytes */
    bool flush_partial;       /* a writer exited: flush the partial line when empty */
    bool queued;              /* in the console queue */
    bool pipe_grown;          /* busy: its pipe was made OUTPUT_PIPE_SIZE large */
    bool retired;             /* an old pipe read until EOF beside a new one (file borrowed) */
    struct output_stream *qnext;
    struct output_stream *rnext; /* the unit's next retired stream */
};

/* One per unit (output_unit_prepare()); what only a unit that writes
 * needs (prefix, ring, buffers) is allocated at its first line. */
struct output_unit {
    struct service *svc;
    struct output *out;
    struct output_stream *sout, *serr; /* which stream stdout and stderr use (may be one) */
    struct output_stream *retired;     /* old pipes still read until EOF (rare: see output.c) */
    char *prefix;        /* "ident: ", with colour when wanted; made at the first line */
    struct logbuf *ring; /* recent lines; allocated at the first line */
    struct output_follower *followers;
    unsigned prefix_len;
    bool prefix_made;
    bool set_up;
    bool has_st0; /* allocated as struct output_unit_st0 */
};

/* A unit that captures output is allocated with room for its first stream,
 * so that the common case is one allocation. */
struct output_unit_st0 {
    struct output_unit ou;
    struct output_stream st0; /* its unit is NULL while unused */
};

enum console_mode {
    CONSOLE_DIRECT,  /* regular file, /dev/null: plain write(2) */
    CONSOLE_PRIVATE, /* pipe or tty reopened through /proc: our own O_NONBLOCK */
    CONSOLE_SOCKET,  /* send(MSG_DONTWAIT) */
    CONSOLE_PIPEBUF, /* pipe or tty we could not reopen: PIPE_BUF per readiness */
};

struct output {
    struct pxinit *px;
    bool reopen;    /* /proc/self/fd reopens a pipe: write ends are not kept */
    size_t nfds;    /* descriptors the streams hold (output_fd_count()) */
    size_t fd_base; /* descriptors pxinit had open at output_init() */
    size_t fd_high; /* fd_base + nfds + pidfds stay at or below (room for the rest) */
    int fd;
    bool own_fd;
    enum console_mode mode;
    bool color;
    ev_io wio;           /* EV_WRITE on fd while the queue waits */
    ev_timer retry;      /* the console failed with ENOSPC and such: try again */
    ev_timer file_retry; /* the same for rotated files */
    struct output_stream *qhead, **qtail;
    bool flushing;
    bool broken; /* stdout is gone: console output is discarded */
    unsigned long long discarded;
    unsigned long long written; /* bytes the console took */
    unsigned long long written_at_check;
    ev_timer stall; /* during shutdown: is stdout still taking anything? */
    bool closing;   /* output_finish() runs the loop */
    ev_timer deadline;
    time_t ts_sec; /* the cached timestamp's second */
    char ts[32];
    size_t ts_len;
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

int console_open(struct output *o);
void console_close(struct output *o);
/* Queues st (its q has bytes) and writes what the sink takes now. */
void console_enqueue(struct output *o, struct output_stream *st);
void console_forget(struct output *o, struct output_stream *st);

int file_open(struct output_file *f);
/* Writes q to the file, rotating between lines. Returns 0 when q is empty,
 * -1 with errno when the file would not take it all. */
int file_flush(struct output_file *f, struct outq *q);
void file_close(struct output_file *f);

/* output.c: the sink took st's queue; read its pipe again. */
void output_stream_resume(struct output_stream *st);
/* The console's retry timer fired. */
void console_retry(struct output *o);

#endif
