/* check_timer.c - the timer machine (core/timer.c) driven through fake
 * timer ops with two fake clocks, and the min-heap and the wake-up
 * alignment its clocks use (base/minheap.c, run/timer_clock.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/calendar.h"
#include "base/minheap.h"
#include "base/tz.h"
#include "base/timespan.h"
#include "core/timer.h"
#include "core/unit_type.h"
#include "run/timer_clock.h"
#include "wire/unit_state.h"

#define SEC USEC_PER_SEC

struct harness {
    struct unit *u;
    struct unit_timer conf;
    struct timer_value v[8];
    struct service s;
    struct timer_rt rt;
    uint64_t now[TIMER_CLOCK__COUNT];
    uint64_t early[TIMER_CLOCK__COUNT], late[TIMER_CLOCK__COUNT];
    bool loaded, active;
    unsigned triggers, changes, stamp_writes;
    uint64_t stamp;
    bool trigger_stays_down; /* the unit's start fails at once */
};

static struct harness *h_of(struct service *s)
{
    return s->ctx;
}

static uint64_t f_now(struct service *t, enum timer_clock c)
{
    return h_of(t)->now[c];
}

static int f_arm(struct service *t, enum timer_clock c, uint64_t e, uint64_t l)
{
    h_of(t)->early[c] = e;
    h_of(t)->late[c] = l;
    return 0;
}

static bool f_loaded(struct service *t)
{
    return h_of(t)->loaded;
}

static bool f_active(struct service *t)
{
    return h_of(t)->active;
}

static int f_trigger(struct service *t)
{
    struct harness *h = h_of(t);
    h->triggers++;
    if (h->trigger_stays_down) {
        /* as the supervisor reports a unit failing inside its start */
        timer_unit_changed(t, true, false);
        timer_unit_changed(t, false, true);
        return 0;
    }
    h->active = true;
    timer_unit_changed(t, true, false);
    return 0;
}

static uint64_t f_stamp_read(struct service *t)
{
    return h_of(t)->stamp;
}

static void f_stamp_write(struct service *t, uint64_t r)
{
    h_of(t)->stamp = r;
    h_of(t)->stamp_writes++;
}

static uint64_t f_origin(struct service *t, enum timer_base b)
{
    return b == TIMER_BOOT ? 0 : 500 * SEC;
}

static uint64_t f_start_realtime(struct service *t)
{
    return 1700000000 * SEC;
}

static uint64_t f_random(struct service *t, bool fixed)
{
    return fixed ? 12345 : 777;
}

static const struct timer_ops fops = {
    .now = f_now,
    .arm = f_arm,
    .unit_loaded = f_loaded,
    .unit_active = f_active,
    .trigger = f_trigger,
    .stamp_read = f_stamp_read,
    .stamp_write = f_stamp_write,
    .origin = f_origin,
    .start_realtime = f_start_realtime,
    .random = f_random,
};

static void f_changed(struct service *s, enum svc_sub old)
{
    h_of(s)->changes++;
}

static uint64_t f_svc_now(struct service *s)
{
    return h_of(s)->now[TIMER_CLOCK_MONOTONIC];
}

static const struct svc_ops sops = {.changed = f_changed, .now = f_svc_now};

static struct harness *h_new(void)
{
    struct harness *h = calloc(1, sizeof(*h));
    ck_assert_ptr_nonnull(h);
    h->u = unit_new("job.timer");
    ck_assert_ptr_nonnull(h->u);
    h->u->kind = UNIT_KIND_TIMER;
    h->conf.v = h->v;
    h->conf.accuracy_usec = 60 * SEC;
    h->conf.remain_after_elapse = true;
    h->u->timer = &h->conf;
    svc_init(&h->s, h->u, &sops, h);
    ck_assert_int_eq(timer_rt_init(&h->rt, h->u, &fops), 0);
    h->s.timer_rt = &h->rt;
    h->loaded = true;
    h->now[TIMER_CLOCK_MONOTONIC] = 1000 * SEC;
    h->now[TIMER_CLOCK_REALTIME] = 1700000500 * SEC;
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++)
        h->early[c] = h->late[c] = USEC_INFINITY;
    return h;
}

static void h_value(struct harness *h, enum timer_base b, uint64_t usec)
{
    h->v[h->conf.n++] = (struct timer_value){.base = b, .usec = usec};
}

static void h_free(struct harness *h)
{
    for (size_t i = 0; i < h->conf.n; i++)
        if (h->v[i].cal)
            calendar_free(h->v[i].cal);
    h->u->timer = NULL; /* ours, not the unit's */
    timer_rt_release(&h->rt);
    svc_release(&h->s);
    unit_free(h->u);
    free(h);
}

static const char *sub_of(struct harness *h)
{
    return unit_sub_name(unit_sub_of(&h->s));
}

/* Moves both clocks on by d. */
static void h_pass(struct harness *h, uint64_t d)
{
    h->now[TIMER_CLOCK_MONOTONIC] += d;
    h->now[TIMER_CLOCK_REALTIME] += d;
}

/* The clock reaches the armed elapse on c and fires it. */
static void h_fire(struct harness *h, enum timer_clock c)
{
    ck_assert_uint_ne(h->early[c], USEC_INFINITY);
    uint64_t d = h->early[c] > h->now[c] ? h->early[c] - h->now[c] : 0;
    h_pass(h, d);
    h->early[c] = h->late[c] = USEC_INFINITY;
    timer_elapsed(&h->s, c);
}

/* The unit the timer started ends. */
static void h_unit_ends(struct harness *h)
{
    h->active = false;
    timer_unit_changed(&h->s, false, true);
}

START_TEST(test_seam)
{
    struct harness *h = h_new();
    ck_assert_ptr_eq(unit_type_of(&h->s), &timer_type_ops);
    ck_assert_str_eq(timer_activates(&h->s), "job.service");
    h->conf.unit = "other.service";
    ck_assert_str_eq(timer_activates(&h->s), "other.service");
    h->conf.unit = NULL;
    ck_assert_str_eq(unit_state_name(unit_state_of(&h->s)), "inactive");
    ck_assert_str_eq(sub_of(h), "dead");
    struct timer_view v;
    ck_assert(timer_view_of(&h->s, &v));
    ck_assert_uint_eq(v.next_elapse, 0);
    ck_assert_uint_eq(v.last_trigger, 0);
    h_free(h);
}
END_TEST

START_TEST(test_on_active_once)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 10 * SEC);
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert_str_eq(unit_state_name(unit_state_of(&h->s)), "active");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 1010 * SEC);
    ck_assert_uint_eq(h->late[TIMER_CLOCK_MONOTONIC], 1070 * SEC); /* + AccuracySec */
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], USEC_INFINITY);
    /* The board's next elapse is the monotonic one in realtime. */
    struct timer_view v;
    timer_view_of(&h->s, &v);
    ck_assert_uint_eq(v.next_elapse, 1700000510 * SEC);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    ck_assert_uint_eq(h->triggers, 1);
    ck_assert_str_eq(sub_of(h), "running");
    timer_view_of(&h->s, &v);
    ck_assert_uint_eq(v.last_trigger, 1700000510 * SEC);
    h_pass(h, 3 * SEC);
    h_unit_ends(h);
    /* Spent: RemainAfterElapse=yes leaves it elapsed, never again. */
    ck_assert_str_eq(sub_of(h), "elapsed");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    ck_assert_uint_eq(h->stamp_writes, 0);
    h_free(h);
}
END_TEST

START_TEST(test_no_remain_goes_dead)
{
    struct harness *h = h_new();
    h->conf.remain_after_elapse = false;
    h_value(h, TIMER_ACTIVE, 1 * SEC);
    unit_start(&h->s, true);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    h_unit_ends(h);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert_str_eq(unit_state_name(unit_state_of(&h->s)), "inactive");
    /* A new start counts OnActiveSec= from the start again. */
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], h->now[TIMER_CLOCK_MONOTONIC] + SEC);
    h_free(h);
}
END_TEST

START_TEST(test_boot_and_startup_bases)
{
    struct harness *h = h_new();
    h_value(h, TIMER_BOOT, 2000 * SEC);   /* from boot: 0 here */
    h_value(h, TIMER_STARTUP, 600 * SEC); /* from pxinit's start: 500 s */
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 1100 * SEC);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    h_unit_ends(h);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 2000 * SEC);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    h_unit_ends(h);
    ck_assert_str_eq(sub_of(h), "elapsed");
    ck_assert_uint_eq(h->triggers, 2);
    h_free(h);
}
END_TEST

START_TEST(test_boot_passed_before_start_fires)
{
    /* A one-shot span already passed when the timer starts, never
     * triggered: it fires at once (systemd's OnBootSec= started late). */
    struct harness *h = h_new();
    h_value(h, TIMER_BOOT, 10 * SEC);
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 10 * SEC);
    h_free(h);
}
END_TEST

START_TEST(test_unit_active_repeats)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 1 * SEC);
    h_value(h, TIMER_UNIT_ACTIVE, 30 * SEC);
    unit_start(&h->s, true);
    /* The unit never ran: only OnActiveSec= is armed. */
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 1001 * SEC);
    for (int i = 0; i < 3; i++) {
        h_fire(h, TIMER_CLOCK_MONOTONIC);
        uint64_t started = h->now[TIMER_CLOCK_MONOTONIC];
        h_pass(h, 5 * SEC);
        h_unit_ends(h);
        ck_assert_str_eq(sub_of(h), "waiting");
        ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], started + 30 * SEC);
    }
    ck_assert_uint_eq(h->triggers, 3);
    h_free(h);
}
END_TEST

START_TEST(test_unit_inactive_base)
{
    struct harness *h = h_new();
    h_value(h, TIMER_UNIT_INACTIVE, 20 * SEC);
    unit_start(&h->s, true);
    /* Nothing to elapse yet, but OnUnit*Sec= keeps it around. */
    ck_assert_str_eq(sub_of(h), "elapsed");
    /* The unit runs (started by hand) and ends: armed from its end. */
    h->active = true;
    timer_unit_changed(&h->s, true, false);
    h_pass(h, 7 * SEC);
    h_unit_ends(h);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], h->now[TIMER_CLOCK_MONOTONIC] + 20 * SEC);
    h_free(h);
}
END_TEST

START_TEST(test_active_unit_not_started)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 5 * SEC);
    h_value(h, TIMER_UNIT_ACTIVE, 5 * SEC);
    unit_start(&h->s, true);
    h->active = true; /* a oneshot still running, started by hand */
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    ck_assert_uint_eq(h->triggers, 0);
    ck_assert_str_eq(sub_of(h), "running");
    h_unit_ends(h);
    ck_assert_str_eq(sub_of(h), "waiting");
    h_free(h);
}
END_TEST

START_TEST(test_unit_down_at_once)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 5 * SEC);
    h_value(h, TIMER_UNIT_INACTIVE, 60 * SEC);
    h->trigger_stays_down = true;
    unit_start(&h->s, true);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    ck_assert_uint_eq(h->triggers, 1);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], h->now[TIMER_CLOCK_MONOTONIC] + 60 * SEC);
    h_free(h);
}
END_TEST

START_TEST(test_stop_leaves_unit)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 5 * SEC);
    unit_start(&h->s, true);
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    ck_assert_str_eq(sub_of(h), "running");
    unit_stop(&h->s);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert(h->active); /* the machine asked nothing of the unit */
    ck_assert_uint_eq(h->triggers, 1);
    /* A waiting timer stopped is disarmed. */
    unit_start(&h->s, true);
    ck_assert_uint_ne(h->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    unit_stop(&h->s);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    /* A late elapse finds it dead and does nothing. */
    timer_elapsed(&h->s, TIMER_CLOCK_MONOTONIC);
    ck_assert_uint_eq(h->triggers, 1);
    h_free(h);
}
END_TEST

START_TEST(test_missing_unit_fails)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 5 * SEC);
    h->loaded = false;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(unit_state_name(unit_state_of(&h->s)), "failed");
    ck_assert_int_eq(h->s.result, RESULT_RESOURCES);
    /* It went away after the start: the elapse fails the timer. */
    h->loaded = true;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "waiting");
    h->loaded = false;
    h_fire(h, TIMER_CLOCK_MONOTONIC);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_uint_eq(h->triggers, 0);
    h_free(h);
}
END_TEST

START_TEST(test_random_delay)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, 10 * SEC);
    h->conf.randomized_delay_usec = 1000;
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 1010 * SEC + 777 % 1000);
    unit_stop(&h->s);
    h->conf.fixed_random_delay = true;
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], 1010 * SEC + 12345 % 1000);
    ck_assert_uint_eq(h->late[TIMER_CLOCK_MONOTONIC], 1070 * SEC + 12345 % 1000);
    h_free(h);
}
END_TEST

static void h_calendar(struct harness *h, const char *expr)
{
    struct calendar_spec *c = NULL;
    ck_assert_int_eq(calendar_parse(expr, &c), 0);
    h->v[h->conf.n++] = (struct timer_value){.base = TIMER_CALENDAR, .cal = c};
}

#define HOUR (3600 * SEC)

START_TEST(test_calendar_next)
{
    struct harness *h = h_new();
    h_calendar(h, "*-*-* *:00:00 UTC");
    unit_start(&h->s, true);
    /* 1700000500 s is 22:21:40 UTC: the next full hour is 23:00. */
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    h_fire(h, TIMER_CLOCK_REALTIME);
    h_unit_ends(h);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC + HOUR);
    ck_assert_uint_eq(h->triggers, 1);
    h_free(h);
}
END_TEST

START_TEST(test_persistent_catch_up)
{
    struct harness *h = h_new();
    h->conf.persistent = true;
    h_calendar(h, "*-*-* *:00:00 UTC");
    /* Last run at 19:00, three elapses missed while pxinit was down:
     * one fires now (from pxinit's start), not three. */
    h->stamp = 1699988400 * SEC;
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700000000 * SEC);
    ck_assert_uint_le(h->early[TIMER_CLOCK_REALTIME], h->now[TIMER_CLOCK_REALTIME]);
    h_fire(h, TIMER_CLOCK_REALTIME);
    ck_assert_uint_eq(h->triggers, 1);
    ck_assert_uint_eq(h->stamp_writes, 1);
    ck_assert_uint_eq(h->stamp, h->now[TIMER_CLOCK_REALTIME]);
    h_unit_ends(h);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC);
    h_free(h);
}
END_TEST

START_TEST(test_persistent_stamp_recent_or_future)
{
    struct harness *h = h_new();
    h->conf.persistent = true;
    h_calendar(h, "*-*-* *:00:00 UTC");
    h->stamp = 1700000100 * SEC; /* after the last full hour: nothing missed */
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC);
    unit_stop(&h->s);
    struct harness *g = h_new();
    g->conf.persistent = true;
    h_calendar(g, "*-*-* *:00:00 UTC");
    g->stamp = 1800000000 * SEC; /* in the future: ignored */
    unit_start(&g->s, true);
    ck_assert_uint_eq(g->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC);
    struct timer_view v;
    timer_view_of(&g->s, &v);
    ck_assert_uint_eq(v.last_trigger, 0);
    h_free(h);
    h_free(g);
}
END_TEST

START_TEST(test_clock_change)
{
    struct harness *h = h_new();
    h_calendar(h, "*-*-* *:00:00 UTC");
    unit_start(&h->s, true);
    h_fire(h, TIMER_CLOCK_REALTIME); /* at 23:00 */
    h_unit_ends(h);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700006400 * SEC);
    /* The clock goes back two hours: the hour after now, not after the
     * trigger "in the future". */
    h->now[TIMER_CLOCK_REALTIME] -= 2 * HOUR;
    timer_clock_changed(&h->s);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1699999200 * SEC);
    ck_assert_uint_eq(h->triggers, 1);
    /* With OnClockChange= a change triggers. */
    h->conf.on_clock_change = true;
    timer_clock_changed(&h->s);
    ck_assert_uint_eq(h->triggers, 2);
    ck_assert_str_eq(sub_of(h), "running");
    h_unit_ends(h);
    /* OnTimezoneChange= likewise; without, only a new computation. */
    timer_zone_changed(&h->s);
    ck_assert_uint_eq(h->triggers, 2);
    h->conf.on_timezone_change = true;
    timer_zone_changed(&h->s);
    ck_assert_uint_eq(h->triggers, 3);
    h_free(h);
}
END_TEST

/* systemd's search, from inside Berlin's repeated autumn hour, answers
 * "02:30 CEST" with a time before its base (systemd-analyze does too): the
 * timer must not take that as due and fire again and again through the
 * hour. */
START_TEST(test_calendar_answer_before_base)
{
    ck_assert_int_eq(setenv("TZ", "Europe/Berlin", 1), 0);
    tz_local_reload();
    struct harness *h = h_new();
    h_calendar(h, "*-*-* 02:30 CEST");
    h->now[TIMER_CLOCK_REALTIME] = 1792890300 * SEC; /* 2026-10-25 01:05 UTC, 02:05 CET */
    unit_start(&h->s, true);
    /* Not 00:30 UTC, which is behind us. From an hour on systemd finds
     * no elapse at all ("never", as systemd-analyze says from there). */
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], USEC_INFINITY);
    ck_assert_uint_eq(h->triggers, 0);
    ck_assert_str_eq(sub_of(h), "elapsed");
    h_free(h);
}
END_TEST

/* A span of "infinity" never elapses (it used to wrap to a microsecond
 * ago and fire at once, again and again with a small AccuracySec=). */
START_TEST(test_infinite_span_never)
{
    struct harness *h = h_new();
    h_value(h, TIMER_ACTIVE, USEC_INFINITY);
    h_value(h, TIMER_STARTUP, USEC_INFINITY);
    h->conf.accuracy_usec = 1;
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    ck_assert_uint_eq(h->triggers, 0);
    ck_assert_str_eq(sub_of(h), "elapsed");
    h_free(h);
    struct harness *g = h_new();
    h_value(g, TIMER_ACTIVE, 0);
    h_value(g, TIMER_UNIT_ACTIVE, USEC_INFINITY);
    g->conf.accuracy_usec = 1;
    unit_start(&g->s, true);
    h_fire(g, TIMER_CLOCK_MONOTONIC);
    ck_assert_uint_eq(g->triggers, 1);
    h_unit_ends(g);
    ck_assert_uint_eq(g->early[TIMER_CLOCK_MONOTONIC], USEC_INFINITY);
    h_free(g);
}
END_TEST

/* A start counts from now, as systemd's: the last run's trigger does not
 * make the hours missed while the timer was stopped fire at once. */
START_TEST(test_restart_forgets_trigger)
{
    struct harness *h = h_new();
    h_calendar(h, "*-*-* *:00:00 UTC");
    unit_start(&h->s, true);
    h_fire(h, TIMER_CLOCK_REALTIME); /* 23:00 */
    h_unit_ends(h);
    unit_stop(&h->s);
    h_pass(h, 3 * HOUR + 60 * SEC);
    unit_start(&h->s, true);
    ck_assert_uint_gt(h->early[TIMER_CLOCK_REALTIME], h->now[TIMER_CLOCK_REALTIME]);
    ck_assert_uint_eq(h->early[TIMER_CLOCK_REALTIME], 1700002800 * SEC + 4 * HOUR);
    ck_assert_uint_eq(h->triggers, 1);
    h_free(h);
}
END_TEST

START_TEST(test_only_clock_change_waits)
{
    struct harness *h = h_new();
    h->conf.on_clock_change = true;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "waiting");
    ck_assert(timer_wants_clock(&h->s));
    ck_assert(!timer_wants_zone(&h->s));
    ck_assert_uint_eq(timer_next_elapse(&h->s), 0);
    h_free(h);
}
END_TEST

/* ---- the heap and the wake-up alignment ---------------------------------------- */

START_TEST(test_heap_order)
{
    enum { N = 1000 };
    struct minheap h = {0};
    struct minheap_item *it = calloc(N, sizeof(*it));
    ck_assert_ptr_nonnull(it);
    srand(7);
    for (int i = 0; i < N; i++) {
        minheap_item_init(&it[i]);
        ck_assert_int_eq(minheap_set(&h, &it[i], (uint64_t)(rand() % 500)), 0);
    }
    /* Move some, remove some, from anywhere. */
    for (int i = 0; i < N; i += 3)
        ck_assert_int_eq(minheap_set(&h, &it[i], (uint64_t)(rand() % 500)), 0);
    for (int i = 1; i < N; i += 7)
        minheap_remove(&h, &it[i]);
    minheap_remove(&h, &it[1]); /* twice: nothing */
    size_t left = h.n;
    uint64_t last = 0;
    for (size_t k = 0; k < left; k++) {
        struct minheap_item *top = minheap_top(&h);
        ck_assert_ptr_nonnull(top);
        ck_assert_uint_ge(top->key, last);
        last = top->key;
        minheap_remove(&h, top);
        ck_assert(!minheap_item_queued(top));
    }
    ck_assert_ptr_null(minheap_top(&h));
    minheap_free(&h);
    free(it);
}
END_TEST

START_TEST(test_wake_between)
{
    uint64_t p = 0;
    /* A minute boundary inside the window is taken... */
    ck_assert_uint_eq(timer_clock_wake_between(100 * SEC + 1, 170 * SEC, p), 120 * SEC);
    /* ...else 10 s, 1 s, 250 ms, else the window's end. */
    ck_assert_uint_eq(timer_clock_wake_between(121 * SEC, 135 * SEC, p), 130 * SEC);
    ck_assert_uint_eq(timer_clock_wake_between(121 * SEC + 1, 122 * SEC + 5, p), 122 * SEC);
    ck_assert_uint_eq(timer_clock_wake_between(5 * SEC + 1, 5 * SEC + 300000, p), 5 * SEC + 250000);
    ck_assert_uint_eq(timer_clock_wake_between(5 * SEC + 1, 5 * SEC + 2, p), 5 * SEC + 2);
    /* No window: its start. */
    ck_assert_uint_eq(timer_clock_wake_between(7, 7, p), 7);
    /* The perturbation moves the grid, always inside the window. */
    uint64_t w = timer_clock_wake_between(100 * SEC, 200 * SEC, 17 * SEC);
    ck_assert_uint_eq(w, 197 * SEC);
    /* Two windows that overlap meet at the same wake-up. */
    ck_assert_uint_eq(timer_clock_wake_between(100 * SEC, 160 * SEC, p),
                      timer_clock_wake_between(110 * SEC, 170 * SEC, p));
}
END_TEST

/* ---- the clocks on a real loop -------------------------------------------------- */

struct fired {
    struct timer_clock_entry e[4];
    uint64_t at[4];
    int order[4], n;
    struct ev_loop *loop;
};

static void clk_fire(void *ctx, struct timer_clock_entry *e, enum timer_clock c)
{
    struct fired *f = ctx;
    int i = (int)(e - f->e);
    f->at[i] = timer_clock_now(c);
    f->order[f->n++] = i;
    if (f->n == 3)
        ev_break(f->loop, EVBREAK_ALL);
}

static void clk_none(void *ctx)
{
}

static void guard_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    ev_break(loop, EVBREAK_ALL);
}

START_TEST(test_clocks_coalesce)
{
    static const struct timer_clock_events evs = {
        .fire = clk_fire, .clock_set = clk_none, .zone_changed = clk_none};
    struct fired f = {.loop = ev_loop_new(EVFLAG_NOENV)};
    ck_assert_ptr_nonnull(f.loop);
    struct timer_clocks *tc = timer_clocks_new(f.loop, &evs, &f, 0);
    ck_assert_ptr_nonnull(tc);
    for (int i = 0; i < 4; i++)
        timer_clock_entry_init(&f.e[i]);
    uint64_t t0, ms = USEC_PER_MSEC;
    /* The wake-up grid (timer_clock_wake_between(), perturbation 0) has a
     * point every 250 ms: one inside [t0 + 10 ms, t0 + 20 ms] would rightly
     * wake B alone there. Start where none is (at most 50 ms away). */
    while ((t0 = timer_clock_now(TIMER_CLOCK_MONOTONIC)) % (250 * ms) >= 200 * ms)
        usleep(1000);
    /* B may fire from 10 ms to 60 ms, A at 20 ms: one wake-up for both. */
    ck_assert_int_eq(
        timer_clocks_arm(tc, &f.e[0], TIMER_CLOCK_MONOTONIC, t0 + 20 * ms, t0 + 20 * ms), 0);
    ck_assert_int_eq(
        timer_clocks_arm(tc, &f.e[1], TIMER_CLOCK_MONOTONIC, t0 + 10 * ms, t0 + 60 * ms), 0);
    ck_assert_int_eq(
        timer_clocks_arm(tc, &f.e[2], TIMER_CLOCK_MONOTONIC, t0 + 150 * ms, t0 + 150 * ms), 0);
    /* D is armed, then moved, then disarmed: it never fires. */
    ck_assert_int_eq(timer_clocks_arm(tc, &f.e[3], TIMER_CLOCK_MONOTONIC, t0 + 5 * ms, t0 + 5 * ms),
                     0);
    ck_assert_int_eq(
        timer_clocks_arm(tc, &f.e[3], TIMER_CLOCK_MONOTONIC, t0 + 30 * ms, t0 + 30 * ms), 0);
    ck_assert_int_eq(timer_clocks_arm(tc, &f.e[3], TIMER_CLOCK_MONOTONIC, USEC_INFINITY, 0), 0);
    ev_timer guard;
    ev_timer_init(&guard, guard_cb, 5., 0.);
    ev_timer_start(f.loop, &guard);
    ev_run(f.loop, 0);
    ck_assert_int_eq(f.n, 3);
    ck_assert_int_eq(f.order[2], 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_ge(f.at[i], t0 + 20 * ms);
        ck_assert_uint_lt(f.at[i], t0 + 60 * ms);
    }
    /* The same wake-up: B did not fire alone at 10 ms. */
    ck_assert_uint_lt(f.at[0] > f.at[1] ? f.at[0] - f.at[1] : f.at[1] - f.at[0], 2 * ms);
    ck_assert_uint_ge(f.at[2], t0 + 150 * ms);
    ev_timer_stop(f.loop, &guard);
    timer_clocks_free(tc);
    ev_loop_destroy(f.loop);
}
END_TEST

static Suite *timer_suite(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = tcase_create("machine");
    tcase_add_test(tc, test_seam);
    tcase_add_test(tc, test_on_active_once);
    tcase_add_test(tc, test_no_remain_goes_dead);
    tcase_add_test(tc, test_boot_and_startup_bases);
    tcase_add_test(tc, test_boot_passed_before_start_fires);
    tcase_add_test(tc, test_unit_active_repeats);
    tcase_add_test(tc, test_unit_inactive_base);
    tcase_add_test(tc, test_active_unit_not_started);
    tcase_add_test(tc, test_unit_down_at_once);
    tcase_add_test(tc, test_stop_leaves_unit);
    tcase_add_test(tc, test_missing_unit_fails);
    tcase_add_test(tc, test_random_delay);
    tcase_add_test(tc, test_only_clock_change_waits);
    suite_add_tcase(s, tc);
    TCase *cal = tcase_create("calendar");
    tcase_add_test(cal, test_calendar_next);
    tcase_add_test(cal, test_persistent_catch_up);
    tcase_add_test(cal, test_persistent_stamp_recent_or_future);
    tcase_add_test(cal, test_clock_change);
    tcase_add_test(cal, test_calendar_answer_before_base);
    tcase_add_test(cal, test_infinite_span_never);
    tcase_add_test(cal, test_restart_forgets_trigger);
    suite_add_tcase(s, cal);
    TCase *hp = tcase_create("heap");
    tcase_add_test(hp, test_heap_order);
    tcase_add_test(hp, test_wake_between);
    tcase_add_test(hp, test_clocks_coalesce);
    suite_add_tcase(s, hp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(timer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
