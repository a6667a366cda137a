/* timer.c - the timer state machine (timer.h), after systemd 252's
 * src/core/timer.c: the same elapses from the same bases, so a timer here
 * fires when systemd's would.
 *
 *   dead/failed --start--> waiting --elapse--> running --unit inactive--> waiting
 *   waiting --nothing left to elapse--> elapsed (RemainAfterElapse=, or
 *   OnUnit*Sec= values, which a later run of the unit arms again) or dead
 *   any active --stop--> dead (its unit keeps running)
 *
 * Every effect goes through rt->ops; every change of the record through
 * timer_set(), which tells the supervisor (s->ops->changed).
 */
#include "core/timer.h"

#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/log.h"
#include "base/timespan.h"
#include "core/unit_type.h"
#include "unit/unit_timer.h"
#include "wire/unit_state.h"

static struct timer_rt *rt_of(const struct service *t)
{
    return t->unit->kind == UNIT_KIND_TIMER ? t->timer_rt : NULL;
}

static const struct unit_timer timer_none = {
    .accuracy_usec = 60 * USEC_PER_SEC,
    .remain_after_elapse = true,
};

static const struct unit_timer *conf_of(const struct service *t)
{
    return t->unit->timer ? t->unit->timer : &timer_none;
}

/* a + b, where a sum that reaches USEC_INFINITY (a span of "infinity",
 * or an overflow) is USEC_INFINITY: never. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a >= USEC_INFINITY - b ? USEC_INFINITY : a + b;
}

int timer_rt_init(struct timer_rt *rt, const struct unit *u, const struct timer_ops *ops)
{
    memset(rt, 0, sizeof(*rt));
    rt->ops = ops;
    rt->sub = TIMER_SUB_DEAD;
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++)
        rt->next[c] = USEC_INFINITY;
    /* "web.timer" activates "web.service" unless Unit= says otherwise
     * (the loader fills Unit= in: then no copy is kept). */
    if (u->timer && u->timer->unit)
        return 0;
    rt->default_unit = unit_timer_default_unit(u->name);
    return rt->default_unit ? 0 : -1;
}

void timer_rt_release(struct timer_rt *rt)
{
    free(rt->default_unit);
    rt->default_unit = NULL;
}

const char *timer_activates(const struct service *t)
{
    const struct timer_rt *rt = rt_of(t);
    const struct unit_timer *c = conf_of(t);
    if (c->unit)
        return c->unit;
    return rt && rt->default_unit ? rt->default_unit : "";
}

/* The record's generic sub-state for each of the timer's. */
static enum svc_sub generic_sub(enum timer_sub sub)
{
    switch (sub) {
    case TIMER_SUB_DEAD:
        return SUB_DEAD;
    case TIMER_SUB_FAILED:
        return SUB_FAILED;
    default:
        return SUB_RUNNING;
    }
}

static void disarm(struct service *t, struct timer_rt *rt)
{
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++) {
        if (rt->next[c] == USEC_INFINITY)
            continue;
        rt->next[c] = USEC_INFINITY;
        rt->ops->arm(t, (enum timer_clock)c, USEC_INFINITY, USEC_INFINITY);
    }
}

static void timer_set(struct service *t, struct timer_rt *rt, enum timer_sub sub)
{
    enum timer_sub old_sub = rt->sub;
    enum svc_sub old = t->sub;
    if (sub != TIMER_SUB_WAITING)
        disarm(t, rt);
    rt->sub = sub;
    t->sub = generic_sub(sub);
    if (generic_sub(old_sub) != t->sub)
        t->since_usec = t->ops->now(t);
    if (old_sub != sub)
        t->ops->changed(t, old);
}

static void enter_dead(struct service *t, struct timer_rt *rt, enum service_result r)
{
    if (t->result == RESULT_SUCCESS)
        t->result = r;
    timer_set(t, rt, t->result != RESULT_SUCCESS ? TIMER_SUB_FAILED : TIMER_SUB_DEAD);
}

static bool is_one_shot(enum timer_base b)
{
    return b == TIMER_ACTIVE || b == TIMER_BOOT || b == TIMER_STARTUP;
}

/* The monotonic origin of a span, 0 when it has none yet (OnUnit*Sec=
 * before the unit ever ran). */
static uint64_t span_base(struct service *t, struct timer_rt *rt, enum timer_base b)
{
    switch (b) {
    case TIMER_ACTIVE:
        return rt->activated_mono;
    case TIMER_BOOT:
    case TIMER_STARTUP:
        return rt->ops->origin(t, b);
    case TIMER_UNIT_ACTIVE:
        return rt->unit_active_mono > rt->last_trigger_mono ? rt->unit_active_mono
                                                            : rt->last_trigger_mono;
    case TIMER_UNIT_INACTIVE:
        return rt->unit_inactive_mono > rt->last_trigger_mono ? rt->unit_inactive_mono
                                                              : rt->last_trigger_mono;
    default:
        return 0;
    }
}

/* The next elapse of one OnCalendar= value, USEC_INFINITY when it has none.
 * It counts from the last trigger (a Persistent= stamp's, so that an elapse
 * missed while pxinit was down fires now), else from the timer's start. */
static uint64_t calendar_elapse(struct service *t, struct timer_rt *rt, const struct timer_value *v,
                                uint64_t now_real)
{
    uint64_t b, next;
    bool rebase = false;
    if (rt->last_trigger_real) {
        b = rt->last_trigger_real;
        rebase = rt->last_trigger_mono == 0; /* from the stamp: before this boot */
    } else if (rt->activated_real) {
        b = rt->activated_real;
    } else {
        b = now_real;
        rebase = true;
    }
    if (!v->cal || calendar_next(v->cal, b, &next) < 0)
        return USEC_INFINITY;
    /* systemd's search can answer a time at or before its base (a spec
     * naming the summer-time abbreviation, searched from inside the
     * repeated autumn hour): fired, that would elapse again at once, for
     * the whole hour. Search again from an hour on. */
    if (next <= b &&
        (calendar_next(v->cal, add_sat(b, 3600 * USEC_PER_SEC), &next) < 0 || next <= b))
        return USEC_INFINITY;
    /* A missed elapse counts from pxinit's start, so that a random delay
     * still spreads the catch-up of many timers (systemd does the same). */
    uint64_t started = rt->ops->start_realtime(t);
    if (rebase && next < started)
        next = started;
    return next;
}

static void add_random_delay(struct service *t, const struct unit_timer *c, uint64_t *v)
{
    if (c->randomized_delay_usec == 0 || *v == USEC_INFINITY)
        return;
    uint64_t add = t->timer_rt->ops->random(t, c->fixed_random_delay) % c->randomized_delay_usec;
    *v = add_sat(*v, add);
}

static void enter_elapsed(struct service *t, struct timer_rt *rt, bool leave_around)
{
    /* OnUnit*Sec= values come back with the unit's next run: stay. */
    if (conf_of(t)->remain_after_elapse || leave_around)
        timer_set(t, rt, TIMER_SUB_ELAPSED);
    else
        enter_dead(t, rt, RESULT_SUCCESS);
}

static void enter_waiting(struct service *t, struct timer_rt *rt)
{
    const struct unit_timer *c = conf_of(t);
    if (!rt->ops->unit_loaded(t)) {
        log_unit_error(t->name, "the unit to trigger, %s, is not loaded", timer_activates(t));
        enter_dead(t, rt, RESULT_RESOURCES);
        return;
    }
    uint64_t now_mono = rt->ops->now(t, TIMER_CLOCK_MONOTONIC);
    uint64_t now_real = rt->ops->now(t, TIMER_CLOCK_REALTIME);
    bool triggered = rt->last_trigger_real || rt->last_trigger_mono;
    uint64_t next[TIMER_CLOCK__COUNT] = {USEC_INFINITY, USEC_INFINITY};
    bool leave_around = false;

    for (size_t i = 0; i < c->n; i++) {
        const struct timer_value *v = &c->v[i];
        uint64_t n;
        enum timer_clock clk = TIMER_CLOCK_MONOTONIC;
        if (v->base == TIMER_CALENDAR) {
            n = calendar_elapse(t, rt, v, now_real);
            clk = TIMER_CLOCK_REALTIME;
        } else {
            if (v->base == TIMER_UNIT_ACTIVE || v->base == TIMER_UNIT_INACTIVE)
                leave_around = true;
            uint64_t base = span_base(t, rt, v->base);
            if (base == 0 && !is_one_shot(v->base))
                continue; /* the unit never ran: not armed yet */
            n = add_sat(base, v->usec);
            /* A one-shot span that passed after a trigger is spent (at
             * now too: it is the elapse that just fired). */
            if (is_one_shot(v->base) && triggered && n <= now_mono)
                continue;
        }
        if (n < next[clk])
            next[clk] = n;
    }

    if (next[TIMER_CLOCK_MONOTONIC] == USEC_INFINITY &&
        next[TIMER_CLOCK_REALTIME] == USEC_INFINITY && !c->on_timezone_change &&
        !c->on_clock_change) {
        log_unit_debug(t->name, "nothing left to elapse");
        enter_elapsed(t, rt, leave_around);
        return;
    }
    for (int k = 0; k < TIMER_CLOCK__COUNT; k++) {
        add_random_delay(t, c, &next[k]);
        rt->next[k] = next[k];
        uint64_t latest =
            next[k] == USEC_INFINITY ? USEC_INFINITY : add_sat(next[k], c->accuracy_usec);
        if (rt->ops->arm(t, (enum timer_clock)k, next[k], latest) < 0) {
            rt->next[k] = USEC_INFINITY;
            log_unit_error(t->name, "out of memory: the timer cannot be armed");
            enter_dead(t, rt, RESULT_RESOURCES);
            return;
        }
    }
    timer_set(t, rt, TIMER_SUB_WAITING);
}

static void enter_running(struct service *t, struct timer_rt *rt)
{
    if (!rt->ops->unit_loaded(t)) {
        log_unit_error(t->name, "the unit to trigger, %s, is gone", timer_activates(t));
        enter_dead(t, rt, RESULT_RESOURCES);
        return;
    }
    rt->last_trigger_real = rt->ops->now(t, TIMER_CLOCK_REALTIME);
    rt->last_trigger_mono = rt->ops->now(t, TIMER_CLOCK_MONOTONIC);
    if (conf_of(t)->persistent)
        rt->ops->stamp_write(t, rt->last_trigger_real);
    timer_set(t, rt, TIMER_SUB_RUNNING);
    /* An active unit is not started again (systemd's start job would do
     * nothing): the timer waits for it to end all the same. */
    if (!rt->ops->unit_active(t)) {
        log_unit_debug(t->name, "elapsed: starting %s", timer_activates(t));
        rt->triggering = true;
        int r = rt->ops->trigger(t);
        rt->triggering = false;
        if (r < 0 && rt->sub == TIMER_SUB_RUNNING) {
            log_unit_error(t->name, "failed to start %s", timer_activates(t));
            enter_dead(t, rt, RESULT_RESOURCES);
            return;
        }
    }
    /* A unit that did not stay up (a condition said no, its start failed
     * at once) ends the run now: its change came while we were not
     * running yet, or never comes. */
    if (rt->sub == TIMER_SUB_RUNNING && !rt->ops->unit_active(t))
        enter_waiting(t, rt);
}

static bool conditions_met(struct service *t, struct timer_rt *rt)
{
    if (!t->ops->check_conditions)
        return true;
    const struct path_condition *cond = NULL;
    enum condition_result r = svc_conditions_check(t, &cond);
    if (r == CONDITION_MET)
        return true;
    svc_condition_log(t, cond, r);
    if (r == CONDITION_ASSERT_FAILED)
        t->result = RESULT_ASSERT;
    timer_set(t, rt, r == CONDITION_ASSERT_FAILED ? TIMER_SUB_FAILED : TIMER_SUB_DEAD);
    return false;
}

void timer_start(struct service *t, bool explicit_request)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt)
        return;
    t->stop_wanted = false;
    if (rt->sub != TIMER_SUB_DEAD && rt->sub != TIMER_SUB_FAILED)
        return;
    (void)explicit_request;
    t->result = RESULT_SUCCESS;
    if (!conditions_met(t, rt))
        return;
    if (!rt->ops->unit_loaded(t)) {
        log_unit_error(t->name, "refusing to start: the unit to trigger, %s, is not loaded",
                       timer_activates(t));
        enter_dead(t, rt, RESULT_RESOURCES);
        return;
    }
    rt->activated_mono = rt->ops->now(t, TIMER_CLOCK_MONOTONIC);
    rt->activated_real = rt->ops->now(t, TIMER_CLOCK_REALTIME);
    /* As systemd's start: the elapses count from now, or from the stamp;
     * an earlier run's trigger would make a missed elapse fire at once. */
    rt->last_trigger_real = rt->last_trigger_mono = 0;
    if (conf_of(t)->persistent) {
        /* A stamp in the future means the clock was wrong: not used. */
        uint64_t stamp = rt->ops->stamp_read(t);
        if (stamp && stamp < rt->activated_real)
            rt->last_trigger_real = stamp;
        else if (stamp)
            log_unit_warn(t->name, "not using the Persistent= stamp: it is in the future");
    }
    enter_waiting(t, rt);
}

void timer_stop(struct service *t)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt)
        return;
    t->stop_wanted = true;
    if (rt->sub == TIMER_SUB_DEAD || rt->sub == TIMER_SUB_FAILED)
        return;
    t->result = RESULT_SUCCESS;
    enter_dead(t, rt, RESULT_SUCCESS);
}

void timer_restart(struct service *t)
{
    timer_stop(t);
    timer_start(t, true);
}

void timer_elapsed(struct service *t, enum timer_clock c)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt || c >= TIMER_CLOCK__COUNT)
        return;
    rt->next[c] = USEC_INFINITY; /* the clock dropped it */
    if (rt->sub == TIMER_SUB_WAITING)
        enter_running(t, rt); /* which disarms the other clock until the run ends */
}

void timer_unit_changed(struct service *t, bool was_inactive, bool now_inactive)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt || was_inactive == now_inactive)
        return;
    uint64_t now = rt->ops->now(t, TIMER_CLOCK_MONOTONIC);
    if (now_inactive)
        rt->unit_inactive_mono = now;
    else
        rt->unit_active_mono = now;
    switch (rt->sub) {
    case TIMER_SUB_WAITING:
    case TIMER_SUB_ELAPSED:
        enter_waiting(t, rt); /* OnUnit*Sec= count from this change */
        break;
    case TIMER_SUB_RUNNING:
        if (now_inactive && !rt->triggering)
            enter_waiting(t, rt);
        break;
    default:
        break;
    }
}

void timer_clock_changed(struct service *t)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt || rt->sub != TIMER_SUB_WAITING)
        return;
    /* A trigger in the future means the clock went back: the elapses
     * between now and then are to come again, as after a stamp. */
    uint64_t now = rt->ops->now(t, TIMER_CLOCK_REALTIME);
    if (rt->last_trigger_real > now)
        rt->last_trigger_real = now;
    if (conf_of(t)->on_clock_change) {
        log_unit_debug(t->name, "the clock changed: triggering");
        enter_running(t, rt);
    } else {
        enter_waiting(t, rt);
    }
}

void timer_zone_changed(struct service *t)
{
    struct timer_rt *rt = rt_of(t);
    if (!rt || rt->sub != TIMER_SUB_WAITING)
        return;
    if (conf_of(t)->on_timezone_change) {
        log_unit_debug(t->name, "the time zone changed: triggering");
        enter_running(t, rt);
    } else {
        enter_waiting(t, rt);
    }
}

uint8_t timer_sub_code(const struct service *t)
{
    static const uint8_t codes[] = {
        [TIMER_SUB_DEAD] = UNIT_SUB_DEAD,       [TIMER_SUB_WAITING] = UNIT_SUB_WAITING,
        [TIMER_SUB_RUNNING] = UNIT_SUB_RUNNING, [TIMER_SUB_ELAPSED] = UNIT_SUB_ELAPSED,
        [TIMER_SUB_FAILED] = UNIT_SUB_FAILED,
    };
    const struct timer_rt *rt = rt_of(t);
    return rt ? codes[rt->sub] : (uint8_t)t->sub;
}

uint8_t timer_state_code(const struct service *t)
{
    const struct timer_rt *rt = rt_of(t);
    enum timer_sub sub = rt ? rt->sub : TIMER_SUB_DEAD;
    return sub == TIMER_SUB_DEAD     ? UNIT_STATE_INACTIVE
           : sub == TIMER_SUB_FAILED ? UNIT_STATE_FAILED
                                     : UNIT_STATE_ACTIVE;
}

uint64_t timer_next_elapse(const struct service *t)
{
    const struct timer_rt *rt = rt_of(t);
    if (!rt || rt->sub != TIMER_SUB_WAITING)
        return 0;
    uint64_t best = rt->next[TIMER_CLOCK_REALTIME];
    uint64_t mono = rt->next[TIMER_CLOCK_MONOTONIC];
    if (mono != USEC_INFINITY) {
        struct service *mt = (struct service *)t; /* ops take it mutable; they read clocks only */
        uint64_t now_mono = rt->ops->now(mt, TIMER_CLOCK_MONOTONIC);
        uint64_t now_real = rt->ops->now(mt, TIMER_CLOCK_REALTIME);
        uint64_t m = mono > now_mono ? add_sat(now_real, mono - now_mono) : now_real;
        if (m < best)
            best = m;
    }
    return best == USEC_INFINITY ? 0 : best;
}

bool timer_view_of(const struct service *t, struct timer_view *v)
{
    const struct timer_rt *rt = rt_of(t);
    if (!rt)
        return false;
    v->next_elapse = timer_next_elapse(t);
    v->last_trigger = rt->last_trigger_real;
    v->activates = timer_activates(t);
    return true;
}

bool timer_wants_clock(const struct service *t)
{
    const struct unit_timer *c = conf_of(t);
    if (c->on_clock_change)
        return true;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].base == TIMER_CALENDAR)
            return true;
    return false;
}

bool timer_wants_zone(const struct service *t)
{
    const struct unit_timer *c = conf_of(t);
    if (c->on_timezone_change)
        return true;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].base == TIMER_CALENDAR && c->v[i].cal && calendar_is_local(c->v[i].cal))
            return true;
    return false;
}

static void timer_reset_failed(struct service *t)
{
    struct timer_rt *rt = rt_of(t);
    if (rt && rt->sub == TIMER_SUB_FAILED)
        timer_set(t, rt, TIMER_SUB_DEAD);
}

const struct unit_type_ops timer_type_ops = {
    .suffix = ".timer",
    .start = timer_start,
    .stop = timer_stop,
    .restart = timer_restart,
    .sub_code = timer_sub_code,
    .state_code = timer_state_code,
    .reset_failed = timer_reset_failed,
};
