/* signals.h - taking the signals pxinit receives: one signalfd, each
 * siginfo handed to one callback (main.c wires it: SIGCHLD to reap.c, the
 * rest to phase.c, which says what they mean), and the wait in sigwaitinfo
 * between loop iterations. Knows nothing of units, phases or the main
 * command. */
#ifndef PXINIT_SIGNALS_H
#define PXINIT_SIGNALS_H

#include <ev.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A signal taken: sig, its sender's pid and si_code. Returns true when
 * handling it only passed it on and changed nothing the loop watches, so a
 * wait in sigwaitinfo may go on; false when the loop must look again. */
typedef bool signals_fn(void *ctx, int sig, pid_t pid, int code);

/* Watchers whose fds raise a signal when ready (control, notify). */
#define SIGNALS_MAX_ARMED 4

struct signals {
    struct ev_loop *loop;
    ev_io io;       /* the signalfd */
    sigset_t taken; /* what signals_start() blocked, for sigwaitinfo */
    signals_fn *fn;
    void *ctx;
    bool poll_due;     /* a signalled socket may hold more than its signal told */
    bool sleep_broken; /* sigwaitinfo failed: wait in epoll_wait from then on */
    /* The registry: watchers armed with signals_arm_io(), counted while
     * active as watchers whose events come as signals too. */
    const ev_io *armed[SIGNALS_MAX_ARMED];
    size_t narmed;
};

/* Ignores SIGPIPE and the signals in ignored (job control, as the caller
 * decides), blocks every other signal pxinit honours or forwards and SIGCHLD,
 * and reads them from one signalfd in loop, handing each to fn. Returns 0, or
 * -1 with errno. */
int signals_start(struct signals *sg, struct ev_loop *loop, const sigset_t *ignored, signals_fn *fn,
                  void *ctx);
void signals_stop(struct signals *sg);

/* Makes the readiness of w's fd raise a realtime signal (kernel-sent,
 * si_code > 0) for pxinit, so that signals_sleep() hears of it, and registers
 * w: while active it counts as a watcher whose events come as signals.
 * Returns false when it cannot, or the sigwait trick is off (tricks.h): the
 * watcher then keeps pxinit in epoll. Call after signals_start(). */
bool signals_arm_io(struct signals *sg, const ev_io *w);
/* Forgets w (before its fd is closed). */
void signals_disarm_io(struct signals *sg, const ev_io *w);
/* From a signalled watcher's callback, which may leave more than its signal
 * announced (a bounded batch): the loop polls once more before it sleeps. */
void signals_poll_again(struct signals *sg);
/* The loop's wait between two ev_run() calls, given what the last returned
 * (libev's count of active watchers, less those the caller knows to come
 * with a signal too). While every active watcher is one whose events also
 * come as a signal, waits in sigwaitinfo and hands on what it gets while the
 * callback says it only passed it on; anything else it takes (SIGCHLD,
 * SIGTERM, a readable socket) ends the wait. Returns the next ev_run()'s
 * flags: EVRUN_ONCE to wait in epoll_wait, EVRUN_NOWAIT to poll. With the
 * sigwait trick off (tricks.h) always EVRUN_ONCE: libev sleeps in epoll. */
int signals_sleep(struct signals *sg, int active);

#endif
