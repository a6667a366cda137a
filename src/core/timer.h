/* timer.h - a timer's state machine (systemd.timer(5)).
 *
 * Pure, like service.c and target.c: it runs on the generic runtime record
 * (struct service) and reaches the world only through the timer ops the
 * supervisor gives it (the clocks, arming the one kernel timer per clock,
 * starting the unit it activates, the Persistent= stamp). Sub-states are
 * systemd's: dead, waiting, running (its unit was triggered and is
 * active), elapsed (nothing left to elapse, RemainAfterElapse=yes), failed.
 *
 * The record's s->sub holds the generic sub-state the rest of pxinit reads
 * (SUB_DEAD, SUB_RUNNING for the three active ones, SUB_FAILED); the
 * timer's own is in its runtime, s->timer_rt, which only timers have.
 * Each elapse is computed as systemd 252's timer_enter_waiting() does:
 * the nearest value per clock, RandomizedDelaySec= added to it, and an
 * accuracy window [t, t + AccuracySec] handed to the clock, which wakes
 * once for every timer whose window it is in.
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

/* A timer's own sub-state; its code on the board is timer_sub_code()'s. */
enum timer_sub {
    TIMER_SUB_DEAD,
    TIMER_SUB_WAITING,
    TIMER_SUB_RUNNING,
    TIMER_SUB_ELAPSED,
    TIMER_SUB_FAILED,
};

/* The clocks an elapse is on: OnActiveSec= and the other spans count on
 * CLOCK_MONOTONIC, OnCalendar= on CLOCK_REALTIME. */
enum timer_clock {
    TIMER_CLOCK_MONOTONIC,
    TIMER_CLOCK_REALTIME,
    TIMER_CLOCK__COUNT,
};

/* Where the machine reaches the world (run/timer_run.c has the real ones;
 * check_timer.c fakes them). Times are in microseconds. */
struct timer_ops {
    /* The time on clock c. */
    uint64_t (*now)(struct service *t, enum timer_clock c);
    /* Arms t's elapse on clock c to fire at some time in [earliest,
     * latest] (absolute times on c); earliest USEC_INFINITY disarms it.
     * 0, or -1 (ENOMEM: nothing armed). */
    int (*arm)(struct service *t, enum timer_clock c, uint64_t earliest, uint64_t latest);
    /* True when the unit t activates is loaded. */
    bool (*unit_loaded)(struct service *t);
    /* True when it is active or on its way (not inactive or failed). */
    bool (*unit_active)(struct service *t);
    /* Starts it (it is not active). 0, or -1 when it cannot be (gone). */
    int (*trigger)(struct service *t);
    /* Persistent=: the stamp's time (realtime), 0 when there is none
     * (then the stamp is made, at the current time); and a new one. */
    uint64_t (*stamp_read)(struct service *t);
    void (*stamp_write)(struct service *t, uint64_t realtime);
    /* OnStartupSec='s origin (pxinit's start) on the monotonic clock, and
     * OnBootSec='s (0, the boot, outside a container; pxinit's start in
     * one); the realtime of pxinit's start. */
    uint64_t (*origin)(struct service *t, enum timer_base base);
    uint64_t (*start_realtime)(struct service *t);
    /* RandomizedDelaySec=: a random number, or (FixedRandomDelay=) one
     * stable for this machine and timer. */
    uint64_t (*random)(struct service *t, bool fixed);
};

/* A timer's runtime: hangs off s->timer_rt (only timers have one). The
 * supervisor embeds it in its own record (run/timer_run.c). */
struct timer_rt {
    const struct timer_ops *ops;
    char *default_unit;                /* NAME.service: what it activates without Unit= */
    uint64_t next[TIMER_CLOCK__COUNT]; /* armed elapse per clock, USEC_INFINITY: none */
    uint64_t last_trigger_real;        /* 0: never (or a stamp's time, after a start) */
    uint64_t last_trigger_mono;        /* 0: not in this run of pxinit */
    uint64_t activated_real;           /* when the timer last became active */
    uint64_t activated_mono;
    uint64_t unit_active_mono;   /* its unit last left inactive (0: not seen) */
    uint64_t unit_inactive_mono; /* its unit last became inactive (0: not seen) */
    enum timer_sub sub : 8;
    bool triggering : 1; /* inside ops->trigger */
};

/* Sets rt up for the timer unit u. 0, or -1 (ENOMEM). */
int timer_rt_init(struct timer_rt *rt, const struct unit *u, const struct timer_ops *ops);
void timer_rt_release(struct timer_rt *rt);

/* The unit t activates: Unit=, or the timer's name with .service ("" when
 * it has neither, which no loaded timer lacks). */
const char *timer_activates(const struct service *t);

/* Requests (the unit-type ops). A start of an active timer does nothing;
 * a stop leaves its unit alone. */
void timer_start(struct service *t, bool explicit_request);
void timer_stop(struct service *t);
void timer_restart(struct service *t);

/* Events from the supervisor. */
/* Its clock reached the window of t's elapse on c. */
void timer_elapsed(struct service *t, enum timer_clock c);
/* The unit it activates changed its active state (was/now: inactive or
 * failed, versus anything else). */
void timer_unit_changed(struct service *t, bool was_inactive, bool now_inactive);
/* The realtime clock was set (OnClockChange=; calendar elapses are
 * computed again in any case). */
void timer_clock_changed(struct service *t);
/* The local time zone changed (OnTimezoneChange=; likewise). */
void timer_zone_changed(struct service *t);

/* The codes the board and the client show (wire/unit_state.h). */
uint8_t timer_sub_code(const struct service *t);
uint8_t timer_state_code(const struct service *t);
/* The timer's next elapse, in realtime (the monotonic one mapped through
 * now); 0 when none is armed. */
uint64_t timer_next_elapse(const struct service *t);

/* True when t needs to hear of realtime clock changes (it has calendar
 * values or OnClockChange=), or of time-zone changes (local calendar
 * values or OnTimezoneChange=). */
bool timer_wants_clock(const struct service *t);
bool timer_wants_zone(const struct service *t);

#endif
