/* timer_clock.h - the kernel timers behind timer units: one per clock for
 * the nearest elapse, whatever the number of timers.
 *
 * Each clock keeps its armed entries in two min-heaps, by the earliest and
 * by the latest time each may fire (its AccuracySec= window); its one
 * timerfd is set to a time inside the window of the most urgent entry,
 * on a whole minute, 10 s, 1 s or 250 ms when the windows allow (as
 * systemd's sd-event), and a wake-up fires every entry whose window has
 * opened. An idle pxinit wakes only then: there is no tick.
 *
 * The realtime timerfd is set with TFD_TIMER_CANCEL_ON_SET: a read that
 * fails with ECANCELED means the clock was set. The zone is watched with
 * inotify on /etc ("localtime"). Every fd is made on first need.
 */
#ifndef PXINIT_TIMER_CLOCK_H
#define PXINIT_TIMER_CLOCK_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/minheap.h"
#include "core/timer.h"

/* One timer's elapse on one clock. */
struct timer_clock_entry {
    struct minheap_item early, late;
};

struct timer_clocks;

struct timer_clock_events {
    /* e's window opened. */
    void (*fire)(void *ctx, struct timer_clock_entry *e, enum timer_clock c);
    /* The realtime clock was set; the local zone changed. */
    void (*clock_set)(void *ctx);
    void (*zone_changed)(void *ctx);
};

/* NULL without memory. perturb spreads the aligned wake-ups of machines
 * (any stable number: a hash of the machine id). */
struct timer_clocks *timer_clocks_new(struct ev_loop *loop, const struct timer_clock_events *ev,
                                      void *ctx, uint64_t perturb);
void timer_clocks_free(struct timer_clocks *tc);

static inline void timer_clock_entry_init(struct timer_clock_entry *e)
{
    minheap_item_init(&e->early);
    minheap_item_init(&e->late);
}

/* The time on c, in microseconds. */
uint64_t timer_clock_now(enum timer_clock c);

/* Arms e on c to fire in [earliest, latest]; earliest USEC_INFINITY
 * disarms it. 0, or -1 with errno (ENOMEM; or the clock's fd could not be
 * made: then e is not armed). */
int timer_clocks_arm(struct timer_clocks *tc, struct timer_clock_entry *e, enum timer_clock c,
                     uint64_t earliest, uint64_t latest);
/* Sets up the watch of realtime clock changes, and of the zone; once
 * made they stay. 0, or -1 (warned). */
int timer_clocks_watch_clock(struct timer_clocks *tc);
int timer_clocks_watch_zone(struct timer_clocks *tc);

/* The wake-up time in [a, b] (exported for the unit tests). */
uint64_t timer_clock_wake_between(uint64_t a, uint64_t b, uint64_t perturb);

#endif
