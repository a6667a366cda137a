/* loop_clock.h - the timerfd trick (TRICK_TIMERFD, tricks.h): an idle loop
 * that never wakes up. */
#ifndef PXINIT_LOOP_CLOCK_H
#define PXINIT_LOOP_CLOCK_H

#include <ev.h>

/* Has libev watch the wall clock with a timerfd instead of waking every
 * 60 s to look at it. The plain way (trick off): nothing is done. */
void loop_clock_enable(struct ev_loop *loop);

#endif
