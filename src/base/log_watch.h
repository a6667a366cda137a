/* log_watch.h - the loop's side of pxinit's own log (log.c): lines are
 * flushed before the loop sleeps, and while a stalled stderr holds some
 * back, the loop waits for it to become writable instead of blocking. */
#ifndef PXINIT_LOG_WATCH_H
#define PXINIT_LOG_WATCH_H

#include <ev.h>

struct log_watch {
    ev_prepare flush; /* before every sleep */
    ev_io writable;   /* on log_pending_fd() while lines wait */
};

/* Makes stderr non-blocking (log_nonblocking) and starts the watchers. lw
 * must live as long as the loop runs. */
void log_watch_start(struct ev_loop *loop, struct log_watch *lw);

#endif
