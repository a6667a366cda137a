/* pipes.h - the pipes of captured output and the descriptors they cost.
 *
 * A unit's processes write into one pipe per stream. The speed trick
 * (TRICK_PIPE_REOPEN, doc/DESIGN.md "Speed tricks"): pxinit keeps only the
 * read end, and a spawn gets a write end reopened through /proc/self/fd/RFD,
 * which pxinit closes once the child has it, so a running unit costs one
 * descriptor and an idle one none, and the pipe reads EOF once the last
 * writer is gone. The plain way (PXINIT_PLAIN=pipe-reopen, or no /proc):
 * both ends are kept for good (two descriptors, no EOF). Both are here, in
 * pipes.c; the streams (capture.c) only ask for a write end.
 */
#ifndef PXINIT_OUTPUT_PIPES_H
#define PXINIT_OUTPUT_PIPES_H

#include <stdbool.h>
#include <stddef.h>

struct output_pipes {
    bool reopen;          /* write ends are reopened through /proc, not kept */
    size_t nfds;          /* descriptors the streams hold (pipes, rotated files) */
    size_t fd_base;       /* descriptors pxinit had open at pipes_init() */
    size_t fd_high;       /* fd_base + nfds + *shared stay at or below (room for the rest) */
    const size_t *shared; /* descriptors counted in the same budget elsewhere, or NULL */
};

/* Picks the way (the trick when it is on and /proc reopens pipes) and the
 * budget. shared: a counter of other descriptors in the units' budget
 * (reap.c's pidfds), read at each new pipe; may be NULL. */
void pipes_init(struct output_pipes *p, const size_t *shared);

/* A new pipe, both ends counted, the read end non-blocking (the service's
 * stays blocking, which is what makes back-pressure work). -1 with errno;
 * EMFILE when the units' budget is used up. */
int pipes_new(struct output_pipes *p, int fds[2]);

/* For a spawn, a write end of the pipe whose read end is rfd, in *wfd (left
 * as it is when it holds one). Returns 0; 1 when this pipe can give none
 * (a new pipe is needed, the old one read to its end beside it); -1 with
 * errno when a new pipe could not be had either (EMFILE...). name: the unit,
 * for the message when /proc stops working. */
int pipes_writer(struct output_pipes *p, int rfd, int *wfd, const char *name);

/* The spawn is over: the trick closes pxinit's copy of the write end, the
 * plain way keeps it for the next spawn. */
void pipes_spawn_done(struct output_pipes *p, int *wfd);

/* Closes a counted descriptor (when open) and sets it to -1. */
void pipes_close(struct output_pipes *p, int *fd);

#endif
