/* signals.h - what pxinit does with the signals it receives. */
#ifndef PXINIT_SIGNALS_H
#define PXINIT_SIGNALS_H

#include "run/pxinit.h"

/* Records the mask and dispositions pxinit was launched with (the main command
 * gets them back), then unblocks everything for pxinit itself. Call first. */
void signals_save_launch(struct pxinit *px);
/* Ignores SIGPIPE/SIGTTIN/SIGTTOU (and SIGTSTP without a main command),
 * blocks every signal pxinit honours or forwards and SIGCHLD, and reads them
 * from one signalfd in the loop. Returns 0, or -1 with errno. */
int signals_start(struct pxinit *px);
void signals_stop(struct pxinit *px);

/* Makes fd's readiness raise a realtime signal (kernel-sent, si_code > 0) for
 * pxinit, so that signals_sleep() hears of it; fd's watcher then counts as
 * signalled.
 * Returns false when it cannot (the watcher then keeps pxinit in epoll). */
bool signals_arm_fd(int fd);
/* From a signalled watcher's callback, which may leave more than its signal
 * announced (a bounded batch): the loop polls once more before it sleeps. */
void signals_poll_again(void);
/* The loop's wait between two ev_run() calls, given what the last returned
 * (libev's count of active watchers). While every active watcher is one
 * whose events also come as a signal, waits in sigwaitinfo and forwards
 * what it gets to the main command; anything else it takes (SIGCHLD,
 * SIGTERM, a readable socket) ends the wait. Returns the next ev_run()'s
 * flags: EVRUN_ONCE to wait in epoll_wait, EVRUN_NOWAIT to poll. */
int signals_sleep(struct pxinit *px, int active);

#endif
