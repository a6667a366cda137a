/* loop_clock.c - the timerfd trick (TRICK_TIMERFD, tricks.h).
 *
 * Without a timer libev still wakes every 60 s to notice clock jumps, unless
 * it watches the clock with a timerfd, which it sets up for the first
 * periodic watcher. One started and stopped at once buys an idle loop that
 * sleeps until something happens: no wakeups at all (tini wakes every
 * second). The plain way is not to do it: libev's own 60 s tick.
 */
#include "run/loop_clock.h"

#include "base/tricks.h"

static void periodic_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
}

void loop_clock_enable(struct ev_loop *loop)
{
    if (!trick_on(TRICK_TIMERFD))
        return;
    ev_periodic p;
    ev_periodic_init(&p, periodic_cb, 0., 0., 0);
    ev_periodic_start(loop, &p);
    ev_periodic_stop(loop, &p);
}
