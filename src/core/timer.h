/* timer.h - a timer's state machine (systemd.timer(5)).
 *
 * Pure, like service.c and target.c: it runs on the generic runtime record
 * (struct service) and reaches the world only through the timer ops the
 * supervisor gives it (the clocks, arming the one kernel timer per clock,
 * starting the unit it activates, the Persistent= stamp). Sub-states are
 * systemd's: dead, waiting, running (its unit was triggered and is
 * active), elapsed (nothing left to elapse, RemainAfterElapse=yes), failed.
 */
#ifndef PXINIT_TIMER_H
#define PXINIT_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/service.h"

/* What the client shows of a timer (status --json, list-timers): Unix
 * times in microseconds, 0 for none. */
struct timer_view {
    uint64_t next_elapse;  /* the nearest elapse, in realtime */
    uint64_t last_trigger; /* when it last started its unit (or the stamp's time) */
    const char *activates; /* the unit it starts: "logrotate.service" */
};

/* Fills *v for the timer t; false when t is not a timer. */
bool timer_view_of(const struct service *t, struct timer_view *v);

#endif
