/* output.h - what services print: captured through pipes, cut into lines,
 * prefixed and written to pxinit's stdout (StandardOutput=journal) or to a
 * size-rotated file, and the last lines of each unit kept in memory.
 *
 * Each unit's processes (ExecStartPre=, the main process, ExecStop=,
 * restarts, orphans) write into one pipe per stream, as long as any of them
 * is left, and output written right before an exit is still in the pipe when
 * the exit is seen. pxinit keeps only the read end (one descriptor per
 * running unit): a spawn gets a write end, reopened through /proc/self/fd
 * while the pipe has other writers, and pxinit closes its copy once the child
 * has it; at EOF (no writer left, everything read) the pipe is closed and the
 * next spawn makes a new one.
 * pxinit never blocks on a sink and never drops a line: when a sink is slower
 * than a service, it stops reading that service's pipe, and the service
 * blocks in its own write(2) (see doc/DESIGN.md, "Service output").
 */
#ifndef PXINIT_OUTPUT_H
#define PXINIT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "run/pxinit.h"
#include "core/service.h"

/* spawn fds of a stream output.c does not capture: open it yourself. */
#define OUTPUT_FD_NONE (-3)

/* A piece of a line longer than LINEBUF_LINE_MAX ends with this marker; the
 * next line continues it. */
#define OUTPUT_SPLIT_MARKER "[...]"

/* One line of a unit's output (without newline; split pieces carry the
 * marker). NULL line: the unit is going away, the follower is detached. */
typedef void (*output_line_fn)(void *ctx, const char *line, size_t len);

/* A reader of new lines (pxinit logs -f). Embedded in the caller's object;
 * the fields are output.c's. */
struct output_follower {
    output_line_fn fn;
    void *ctx;
    struct output_unit *unit;
    struct output_follower *next, **pprev;
};

/* Sets up the console writer on pxinit's stdout. Before ev_run; uses
 * px->conf. Returns 0, or -1 with errno. */
int output_init(struct pxinit *px);

/* Allocates the unit's output state (not its pipes: they come with the
 * first spawn). Called when the service is created, so that a burst of
 * spawns (boot) allocates nothing long-lived between its temporaries and
 * the memory the burst took can be given back afterwards (launch.c); when
 * it was not called or failed, output_spawn_fds() allocates it. Returns 0,
 * or -1 (ENOMEM, or no output module). */
int output_unit_prepare(struct service *s);

/* For launch_command(): the pipe write ends a unit's spawned process gets as
 * stdout and stderr (borrowed: don't close them), or OUTPUT_FD_NONE for a
 * stream this module does not capture (inherit, null, unrotated files).
 * Creates the unit's pipes and rotated files on first use. Returns 0, or -1
 * with errno (EMFILE...; nothing is half set up then). After 0, call
 * output_spawn_done() once the spawn is over, whether it worked or not. */
int output_spawn_fds(struct service *s, int *fd_out, int *fd_err);
/* The child has its copies: pxinit closes its write ends (with /proc). */
void output_spawn_done(struct service *s);

/* Descriptors held for captured output (read ends, kept write ends, rotated
 * files), for budgeting the optional ones (reap.c's pidfds). */
size_t output_fd_count(const struct pxinit *px);

/* One of the unit's processes exited: once its pipes are read empty, a
 * pending partial line is written as a line of its own. */
void output_proc_exited(struct service *s);

/* The last n lines of the unit, oldest first; returns how many. */
size_t output_tail(struct service *s, size_t n, output_line_fn emit, void *ctx);
/* Calls fn for every new line of the unit from now on, until unfollowed or
 * the unit goes away (fn gets NULL then). fn must not block: a slow reader
 * buffers or drops on its own side, it cannot stop the service. */
void output_follow(struct service *s, struct output_follower *f, output_line_fn fn, void *ctx);
void output_unfollow(struct output_follower *f);

/* Shutdown began: from now on a stdout that takes nothing for --grace
 * seconds is given up on, so services blocked on their output can exit. */
void output_stopping(struct pxinit *px);

/* After the loop ended: reads what the pipes still hold and writes it out,
 * running the loop for at most --grace seconds (stdout may be blocked for
 * good); then reports what had to be dropped. */
void output_finish(struct pxinit *px);

/* Frees a unit's streams (closing its pipes) and detaches its followers. */
void output_unit_free(struct service *s);
void output_free(struct pxinit *px);

#endif
