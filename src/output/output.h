/* output.h - what services print: captured through pipes, cut into lines,
 * prefixed and written to pxinit's stdout (StandardOutput=journal) or to a
 * size-rotated file, and the last lines of each unit kept in memory.
 *
 * The layer's interface, in plain values: an output instance (struct output)
 * owns its loop watchers, the configuration it needs and its units; the
 * daemon holds one handle per unit (struct output_unit), made with the name
 * the unit prints under. Nothing here knows the daemon or its services
 * (spec.h fills a struct output_spec from a unit file).
 *
 * Each unit's processes (ExecStartPre=, the main process, ExecStop=,
 * restarts, orphans) write into one pipe per stream, as long as any of them
 * is left, and output written right before an exit is still in the pipe when
 * the exit is seen. pxinit keeps only the read end (one descriptor per
 * running unit; pipes.h, the pipe-reopen trick, has the plain way too): at
 * EOF (no writer left, everything read) the pipe is closed and the next
 * spawn makes a new one.
 * pxinit never blocks on a sink and never drops a line: when a sink is slower
 * than a service, it stops reading that service's pipe, and the service
 * blocks in its own write(2) (see doc/DESIGN.md, "Service output").
 *
 * Files: capture.c (pipes to lines to sinks), pipes.c (pipes and their
 * descriptors), sink.c (console and rotated files), follow.c (recent lines
 * and followers), stamp.c (their time), instance.c (the instance, its
 * units, the drain at exit).
 */
#ifndef PXINIT_OUTPUT_H
#define PXINIT_OUTPUT_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/logbuf.h"
#include "config/conf.h"

struct output;
struct output_unit;

/* spawn fds of a stream output does not capture: open it yourself. */
#define OUTPUT_FD_NONE (-3)

/* A piece of a line longer than LINEBUF_LINE_MAX ends with this marker; the
 * next line continues it. */
#define OUTPUT_SPLIT_MARKER "[...]"

/* One line of a unit's output (without newline; split pieces carry the
 * marker). NULL line: the unit is going away, the follower is detached. */
typedef void (*output_line_fn)(void *ctx, const char *line, size_t len);

/* A reader of new lines (pxinit logs -f). Embedded in the caller's object;
 * the fields are output's. */
struct output_follower {
    output_line_fn fn;
    void *ctx;
    struct output_follower *next, **pprev;
};

/* What the instance needs to know, copied at output_new(). */
struct output_config {
    int console_fd;          /* where console lines go: pxinit's stdout (not closed) */
    enum log_prefix prefix;  /* what goes before a console line */
    enum log_color color;    /* a colour per unit in the prefix */
    size_t ring_lines;       /* recent lines kept per unit (0: the default) */
    size_t ring_bytes;       /* ... and their bytes at most (0: the default) */
    double grace_sec;        /* how long a stalled stdout is waited for at exit */
    const size_t *fd_shared; /* descriptors in the units' budget held elsewhere
                              * (reap.c's pidfds), read at each new pipe; or NULL */
};

/* Where one stream of a unit goes. */
enum output_target {
    OUTPUT_TARGET_NONE,    /* not captured: the spawn opens it itself */
    OUTPUT_TARGET_CONSOLE, /* prefixed lines on the console */
    OUTPUT_TARGET_FILE,    /* a file pxinit writes and rotates */
};

struct output_stream_spec {
    enum output_target target;
    const char *path;   /* FILE: copied */
    bool truncate;      /* FILE: emptied at the first open, else appended to */
    uint64_t max_size;  /* FILE: rotated before a line would pass it */
    unsigned max_files; /* FILE: path.1 .. path.N kept */
};

/* A unit's output as its file says. Strings are borrowed for the call. */
struct output_spec {
    const char *name;  /* the unit, in messages */
    const char *ident; /* shown in console prefixes; NULL or "": the name */
    struct output_stream_spec out, err;
};

/* An instance writing on cfg->console_fd, its watchers on loop. Before the
 * loop runs. NULL with errno. */
struct output *output_new(struct ev_loop *loop, const struct output_config *cfg);

/* A unit's handle (not its pipes: they come with the first spawn). Its name
 * is copied; the rest of spec only sizes the allocation. Made when the
 * service is, so that a burst of spawns (boot) allocates nothing
 * long-lived between its temporaries and the memory the burst took can be
 * given back afterwards (launch.c). NULL with errno (ENOMEM, or no o). */
struct output_unit *output_unit_new(struct output *o, const struct output_spec *spec);

/* For a spawn: the pipe write ends a unit's process gets as stdout and
 * stderr (borrowed: don't close them), or OUTPUT_FD_NONE for a stream not
 * captured (spec, as the unit is at its first spawn, decides for good).
 * Creates the unit's pipes and rotated files on first use. Returns 0, or -1
 * with errno (EMFILE...; nothing is half set up then). After 0, call
 * output_spawn_done() once the spawn is over, whether it worked or not. */
int output_spawn_fds(struct output_unit *ou, const struct output_spec *spec, int *fd_out,
                     int *fd_err);
/* The child has its copies: pxinit closes its write ends (pipes.h). */
void output_spawn_done(struct output_unit *ou);

/* One of the unit's processes exited: once its pipes are read empty, a
 * pending partial line is written as a line of its own. */
void output_proc_exited(struct output_unit *ou);

/* The last n lines of the unit, oldest first; returns how many. */
size_t output_tail(const struct output_unit *ou, size_t n, output_line_fn emit, void *ctx);
/* Calls fn for every new line of the unit from now on, until unfollowed or
 * the unit goes away (fn gets NULL then). fn must not block: a slow reader
 * buffers or drops on its own side, it cannot stop the service. */
void output_follow(struct output_unit *ou, struct output_follower *f, output_line_fn fn, void *ctx);
void output_unfollow(struct output_follower *f);

/* Where the unit's main pid is read as each line comes (journalctl's _PID):
 * a pid_t that lives as long as ou (the service's). NULL: 0. */
void output_unit_pid(struct output_unit *ou, const pid_t *pid);
/* The main pid was just learnt: lines the unit printed before the loop knew
 * it get it (journalctl's _PID). */
void output_main_pid_known(struct output_unit *ou);
/* What the unit's lines are shown under: SyslogIdentifier= or its name. */
const char *output_ident(const struct output_unit *ou);
/* The unit's remembered lines (read them with logbuf_get()); NULL while
 * it wrote none. Valid until the loop runs again. */
const struct logbuf *output_ring(const struct output_unit *ou);
/* Inside a follower's call: what is known of the line it is given. */
const struct logbuf_meta *output_follow_meta(void);

/* Frees a unit's streams (closing its pipes) and detaches its followers. */
void output_unit_free(struct output_unit *ou);

/* Descriptors held for captured output (read ends, kept write ends, rotated
 * files), for budgeting the optional ones (reap.c's pidfds). 0 without o. */
size_t output_fd_count(const struct output *o);

/* Shutdown began: from now on a stdout that takes nothing for the grace
 * period is given up on, so services blocked on their output can exit. */
void output_stopping(struct output *o);

/* After the loop ended: reads what the pipes still hold and writes it out,
 * running the loop for at most the grace period (stdout may be blocked for
 * good); then reports what had to be dropped. */
void output_finish(struct output *o);

void output_free(struct output *o);

#endif
