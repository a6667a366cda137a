/* capture.h - internal to src/output/: the instance, its units and their
 * streams, and what instance.c asks of capture.c. Not for use elsewhere.
 *
 * Flow per stream: pipe -> linebuf (lines) -> memory (ring + followers), and
 * the formatted line into the stream's queue -> console or rotated file.
 */
#ifndef PXINIT_OUTPUT_CAPTURE_H
#define PXINIT_OUTPUT_CAPTURE_H

#include <ev.h>
#include <stdbool.h>

#include "base/linebuf.h"
#include "output/follow.h"
#include "output/output.h"
#include "output/pipes.h"
#include "output/sink.h"
#include "output/stamp.h"

/* One pipe of a unit (stdout, stderr, or both). */
struct output_stream {
    struct output_unit *unit;
    ev_io io; /* EV_READ on rfd while not paused and not at EOF */
    int rfd;  /* pxinit's read end; -1 once the pipe ended, until the next spawn */
    int wfd;  /* the write end: only from its creation or reopening until the
               * spawn that needs it is done; for good the plain way (pipes.h) */
    struct linebuf lb;
    struct outq q;
    struct output_file *file;    /* NULL: the console */
    bool paused;                 /* back-pressure: the sink has not taken q yet */
    bool drained;                /* the last read found the pipe empty */
    bool eof;                    /* the pipe ended (closed): the line buffer holds its last bytes */
    bool flush_partial;          /* a writer exited: flush the partial line when empty */
    bool pipe_grown;             /* busy: its pipe was made OUTPUT_PIPE_SIZE large */
    bool retired;                /* an old pipe read until EOF beside a new one (file borrowed) */
    uint8_t prio;                /* of its lines: 6, or 3 for a pipe of stderr alone */
    struct output_stream *rnext; /* the unit's next retired stream */
};

/* One per unit (output_unit_new()); what only a unit that writes needs
 * (prefix, ring, buffers) is allocated at its first line. */
struct output_unit {
    struct output *out;
    struct output_unit *next, **pprev; /* the instance's units */
    struct output_stream *sout, *serr; /* which stream stdout and stderr use (may be one) */
    struct output_stream *retired;     /* old pipes still read until EOF (rare: see capture.c) */
    struct output_memory mem;
    char *ident;  /* SyslogIdentifier= when it is not the name; set up with the streams */
    char *prefix; /* "ident: ", with colour when wanted; made at the first line */
    unsigned prefix_len;
    bool prefix_made;
    bool set_up;
    struct output_stream *st0; /* room for the first stream in this allocation, or NULL
                                * (its unit is NULL while unused) */
    const char *name;          /* in this allocation too */
    const pid_t *pid;          /* the main pid, for each line's metadata; or NULL */
};

struct output {
    struct ev_loop *loop;
    struct output_config cfg;
    struct console console;
    struct output_pipes pipes;
    struct output_unit *units;
    ev_timer file_retry; /* a rotated file failed: try again */
    bool closing;        /* output_finish() runs the loop */
    ev_timer deadline;
    struct output_clock clock; /* each line's time */
};

/* The distinct streams of a unit, then its retired ones: for (st =
 * stream_first(ou); st; st = stream_next(ou, st)). */
struct output_stream *stream_first(const struct output_unit *ou);
struct output_stream *stream_next(const struct output_unit *ou, const struct output_stream *st);

/* Reads the pipe while the sink has room, cuts lines, hands them on. */
void stream_pump(struct output_stream *st);
/* A retired stream goes once its pipe is at EOF and all it read is out.
 * Returns true when st was freed. */
bool stream_retired_done(struct output_stream *st);
void stream_free(struct output_stream *st);

/* No stream holds anything; *pending (when not NULL) gets the bytes held. */
bool capture_idle(struct output *o, size_t *pending);

/* Callbacks of the console and the file retry timer. */
void capture_taken(void *ctx, struct outq *q);
void capture_file_retry(struct ev_loop *loop, ev_timer *w, int revents);

#endif
