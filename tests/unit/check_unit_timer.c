/* check_unit_timer.c - .timer files in the unit layer: the kind, the
 * [Timer] keys and their defaults (systemd.timer(5)), malformed values with
 * their file:line, the empty assignment that drops every trigger, the
 * checks of unit_finalize(), unit_equal() on the timer part, and the loader
 * (timers in a unit directory, the units they start, templates).
 *
 * OnCalendar= goes through base/calendar.h; the expressions used here are
 * ones systemd accepts ("daily", "*-*-* 02:30") or rejects ("bogus").
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/calendar.h"
#include "base/timespan.h"
#include "unit/unit.h"
#include "unit/unit_key_table.h"
#include "unit/unit_load.h"
#include "unit/unit_parse.h"
#include "unit/unit_timer.h"

#define PATH "backup.timer"

/* ---- helpers ------------------------------------------------------------ */

struct parsed {
    struct unit *u;
    struct strv msgs; /* "W: ..." or "E: ..." */
    struct diag_sink sink;
    int ret;
};

static void capture_emit(void *ctx, enum diag_level level, const char *message)
{
    struct strv *msgs = ctx;
    char *s;

    ck_assert_int_ne(asprintf(&s, "%s: %s", level == DIAG_ERROR ? "E" : "W", message), -1);
    ck_assert_int_eq(strv_push_owned(msgs, s), 0);
}

static void parse_more(struct parsed *p, const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    ck_assert_ptr_nonnull(f);
    p->ret = unit_parse_stream(p->u, f, PATH, &p->sink);
    fclose(f);
}

static void parse_named(struct parsed *p, const char *name, const char *text)
{
    memset(p, 0, sizeof(*p));
    p->sink.emit = capture_emit;
    p->sink.ctx = &p->msgs;
    p->u = unit_new(name);
    ck_assert_ptr_nonnull(p->u);
    parse_more(p, text);
}

static void parse_text(struct parsed *p, const char *text)
{
    parse_named(p, PATH, text);
}

/* Parses and finalizes: the unit as the loader hands it up. */
static void load_text(struct parsed *p, const char *text)
{
    parse_text(p, text);
    if (p->ret == 0 && p->u->loaded)
        p->ret = unit_finalize(p->u, &p->sink);
}

static void parsed_free(struct parsed *p)
{
    unit_free(p->u);
    strv_clear(&p->msgs);
}

static void assert_msg(const struct parsed *p, const char *msg)
{
    if (strv_contains(&p->msgs, msg))
        return;
    for (size_t i = 0; i < p->msgs.n; i++)
        fprintf(stderr, "  got: %s\n", p->msgs.v[i]);
    ck_abort_msg("missing diagnostic: %s", msg);
}

static void assert_clean(const struct parsed *p)
{
    for (size_t i = 0; i < p->msgs.n; i++)
        fprintf(stderr, "  unexpected: %s\n", p->msgs.v[i]);
    ck_assert_uint_eq(p->msgs.n, 0);
    ck_assert_int_eq(p->ret, 0);
    ck_assert(p->u->loaded);
}

/* ---- the kind and its defaults ------------------------------------------- */

START_TEST(test_kind)
{
    ck_assert_int_eq(unit_kind_of_name("backup.timer"), UNIT_KIND_TIMER);
    ck_assert_int_eq(unit_kind_of_name("b@x.timer"), UNIT_KIND_TIMER);
    ck_assert_int_eq(unit_kind_of_name(".timer"), -1);
    ck_assert_int_eq(unit_kind_of_name("x.timers"), -1);
    ck_assert_int_eq(unit_kind_of_name("x.socket"), UNIT_KIND_SOCKET);
    ck_assert_int_eq(unit_kind_of_name("x.mount"), -1);

    struct unit *u = unit_new("backup.timer");
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(u->kind, UNIT_KIND_TIMER);
    ck_assert_str_eq(unit_name_short(u), "backup.timer"); /* only .service is dropped */
    unit_free(u);
    u = unit_new("backup.service");
    ck_assert_int_eq(u->kind, UNIT_KIND_SERVICE);
    unit_free(u);

    char *s = unit_name_normalize("backup.timer");
    ck_assert_str_eq(s, "backup.timer");
    free(s);
    ck_assert_ptr_nonnull(unit_section_find("Timer"));
}
END_TEST

START_TEST(test_defaults)
{
    struct unit *u = unit_new("backup.timer");
    const struct unit_timer *t = unit_timer(u);

    ck_assert_ptr_null(u->timer);
    ck_assert_uint_eq(t->n, 0);
    ck_assert_ptr_null(t->unit);
    ck_assert_uint_eq(t->accuracy_usec, 60 * USEC_PER_SEC);
    ck_assert_uint_eq(t->randomized_delay_usec, 0);
    ck_assert(t->remain_after_elapse);
    ck_assert(!t->persistent);
    ck_assert(!t->wake_system);
    ck_assert(!t->on_clock_change);
    ck_assert(!t->on_timezone_change);
    ck_assert(!t->fixed_random_delay);
    /* An allocated part starts with the same defaults. */
    struct unit_timer *w = unit_part(u, UNIT_PART_TIMER);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_eq(u->timer, w);
    ck_assert_uint_eq(w->accuracy_usec, 60 * USEC_PER_SEC);
    ck_assert(w->remain_after_elapse);
    unit_free(u);
}
END_TEST

/* ---- every key ------------------------------------------------------------ */

START_TEST(test_every_key)
{
    struct parsed p;

    load_text(&p,
              "[Unit]\n"                     /* 1 */
              "Description=nightly backup\n" /* 2 */
              "[Timer]\n"                    /* 3 */
              "OnActiveSec=10\n"             /* 4 */
              "OnBootSec=5min\n"             /* 5 */
              "OnStartupSec=1h 30s\n"        /* 6 */
              "OnUnitActiveSec=500ms\n"      /* 7 */
              "OnUnitInactiveSec=infinity\n" /* 8 */
              "OnCalendar=daily\n"           /* 9 */
              "AccuracySec=1us\n"            /* 10 */
              "RandomizedDelaySec=2min\n"    /* 11 */
              "FixedRandomDelay=yes\n"       /* 12 */
              "Persistent=true\n"            /* 13 */
              "WakeSystem=on\n"              /* 14 */
              "RemainAfterElapse=no\n"       /* 15 */
              "OnClockChange=1\n"            /* 16 */
              "OnTimezoneChange=y\n"         /* 17 */
              "Unit=other.service\n"         /* 18 */
              "[Install]\n"                  /* 19 */
              "WantedBy=timers.target\n");   /* 20 */
    assert_clean(&p);
    const struct unit_timer *t = unit_timer(p.u);
    ck_assert_str_eq(p.u->description, "nightly backup");
    ck_assert_uint_eq(t->n, 6);
    static const enum timer_base bases[] = {TIMER_ACTIVE,      TIMER_BOOT,          TIMER_STARTUP,
                                            TIMER_UNIT_ACTIVE, TIMER_UNIT_INACTIVE, TIMER_CALENDAR};
    static const uint64_t usecs[] = {10 * USEC_PER_SEC,   5 * 60 * USEC_PER_SEC,
                                     3630 * USEC_PER_SEC, 500 * USEC_PER_MSEC,
                                     USEC_INFINITY,       0};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(t->v[i].base, bases[i]);
        ck_assert_uint_eq(t->v[i].usec, usecs[i]);
        ck_assert_uint_eq(t->v[i].lineno, 4 + i);
        if (bases[i] == TIMER_CALENDAR)
            ck_assert_ptr_nonnull(t->v[i].cal);
        else
            ck_assert_ptr_null(t->v[i].cal);
    }
    ck_assert_uint_eq(t->accuracy_usec, 1);
    ck_assert_uint_eq(t->randomized_delay_usec, 2 * 60 * USEC_PER_SEC);
    ck_assert(t->fixed_random_delay);
    ck_assert(t->persistent);
    ck_assert(t->wake_system);
    ck_assert(!t->remain_after_elapse);
    ck_assert(t->on_clock_change);
    ck_assert(t->on_timezone_change);
    ck_assert_str_eq(t->unit, "other.service");
    parsed_free(&p);
}
END_TEST

START_TEST(test_several_of_each)
{
    struct parsed p;

    load_text(&p, "[Timer]\nOnCalendar=daily\nOnBootSec=1\nOnCalendar=*-*-* 02:30\nOnBootSec=2\n");
    assert_clean(&p);
    const struct unit_timer *t = unit_timer(p.u);
    ck_assert_uint_eq(t->n, 4); /* in the order written */
    ck_assert_int_eq(t->v[0].base, TIMER_CALENDAR);
    ck_assert_int_eq(t->v[1].base, TIMER_BOOT);
    ck_assert_uint_eq(t->v[1].usec, USEC_PER_SEC);
    ck_assert_int_eq(t->v[2].base, TIMER_CALENDAR);
    ck_assert_uint_eq(t->v[3].usec, 2 * USEC_PER_SEC);
    ck_assert_uint_eq(t->v[2].lineno, 4);
    ck_assert(!calendar_equal(t->v[0].cal, t->v[2].cal));
    parsed_free(&p);
}
END_TEST

/* As systemd's config_parse_timer(): an empty On*= empties the whole list,
 * whatever key the values came from; later values add again. */
START_TEST(test_empty_resets)
{
    struct parsed p;

    load_text(&p, "[Timer]\nOnCalendar=daily\nOnBootSec=1\nOnActiveSec=\nOnUnitActiveSec=3\n");
    assert_clean(&p);
    const struct unit_timer *t = unit_timer(p.u);
    ck_assert_uint_eq(t->n, 1);
    ck_assert_int_eq(t->v[0].base, TIMER_UNIT_ACTIVE);
    ck_assert_uint_eq(t->v[0].usec, 3 * USEC_PER_SEC);
    ck_assert_uint_eq(t->v[0].lineno, 5);
    parsed_free(&p);

    /* A drop-in replaces the triggers of the file. */
    parse_text(&p, "[Timer]\nOnCalendar=daily\nPersistent=yes\nAccuracySec=5s\n");
    parse_more(&p, "[Timer]\nOnCalendar=\nOnCalendar=weekly\nPersistent=\nAccuracySec=\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_clean(&p);
    t = unit_timer(p.u);
    ck_assert_uint_eq(t->n, 1);
    ck_assert_uint_eq(t->v[0].lineno, 3);
    ck_assert(!t->persistent);                              /* an empty scalar: its default */
    ck_assert_uint_eq(t->accuracy_usec, 60 * USEC_PER_SEC); /* AccuracySec='s */
    parsed_free(&p);

    /* Reset to nothing: the timer has no trigger left. */
    load_text(&p,
              "[Timer]\nOnCalendar=daily\nOnCalendar=\nRemainAfterElapse=no\n"
              "RemainAfterElapse=\n");
    ck_assert(!p.u->loaded);
    ck_assert_uint_eq(unit_timer(p.u)->n, 0);
    ck_assert(unit_timer(p.u)->remain_after_elapse);
    assert_msg(&p, "E: " PATH ": Timer unit lacks value setting. Refusing.");
    parsed_free(&p);
}
END_TEST

/* ---- malformed values ------------------------------------------------------ */

static const struct {
    const char *line; /* written on line 3, after "[Unit]\n[Timer]\n" */
    const char *msg;  /* the error, after "E: backup.timer:3: " */
} bad_values[] = {
    {"OnCalendar=bogus",
     "invalid value for OnCalendar=: 'bogus' (not a calendar event, see systemd.time(7))"},
    {"OnCalendar=*-*-* 25:00",
     "invalid value for OnCalendar=: '*-*-* 25:00' (not a calendar "
     "event, see systemd.time(7))"},
    {"OnActiveSec=5 parsecs", "invalid value for OnActiveSec=: '5 parsecs' (not a time span)"},
    {"OnBootSec=-1", "invalid value for OnBootSec=: '-1' (out of range)"},
    {"OnStartupSec=soon", "invalid value for OnStartupSec=: 'soon' (not a time span)"},
    {"OnUnitActiveSec=1x", "invalid value for OnUnitActiveSec=: '1x' (not a time span)"},
    {"OnUnitInactiveSec=x", "invalid value for OnUnitInactiveSec=: 'x' (not a time span)"},
    {"AccuracySec=fast", "invalid value for AccuracySec=: 'fast' (not a time span)"},
    {"RandomizedDelaySec=1d x", "invalid value for RandomizedDelaySec=: '1d x' (not a time span)"},
    {"Persistent=maybe", "invalid value for Persistent=: 'maybe' (not a boolean)"},
    {"WakeSystem=2", "invalid value for WakeSystem=: '2' (not a boolean)"},
    {"RemainAfterElapse=nope", "invalid value for RemainAfterElapse=: 'nope' (not a boolean)"},
    {"FixedRandomDelay=x", "invalid value for FixedRandomDelay=: 'x' (not a boolean)"},
    {"OnClockChange=x", "invalid value for OnClockChange=: 'x' (not a boolean)"},
    {"OnTimezoneChange=x", "invalid value for OnTimezoneChange=: 'x' (not a boolean)"},
    {"Unit=other.timer", "invalid value for Unit=: 'other.timer' (a timer cannot start a timer)"},
    {"Unit=backup.timer", "invalid value for Unit=: 'backup.timer' (a timer cannot start a timer)"},
    {"Unit=other@.service",
     "invalid value for Unit=: 'other@.service' (a template: name one of its instances)"},
    {"Unit=other",
     "invalid value for Unit=: 'other' (not a unit name: it needs a type suffix "
     "such as .service)"},
    {"Unit=a b.service", "invalid value for Unit=: 'a b.service' (not a unit name)"},
    {"Unit=../x.service", "invalid value for Unit=: '../x.service' (not a unit name)"},
    {"Unit=@x.service", "invalid value for Unit=: '@x.service' (not a unit name)"},
    {"Unit=a@b@c.service", "invalid value for Unit=: 'a@b@c.service' (not a unit name)"},
    {"Unit=.service",
     "invalid value for Unit=: '.service' (not a unit name: it needs a type suffix such as "
     ".service)"},
    {"Unit=%q.service",
     "invalid value for Unit=: '%q.service' (unknown specifier '%q'; write %% for a literal %)"},
};

START_TEST(test_bad_value)
{
    char text[512], msg[512];
    struct parsed p;

    /* A valid trigger besides, so only the bad line can make it fail. */
    snprintf(text, sizeof(text), "[Unit]\n[Timer]\n%s\nOnBootSec=1\n", bad_values[_i].line);
    load_text(&p, text);
    snprintf(msg, sizeof(msg), "E: " PATH ":3: %s", bad_values[_i].msg);
    assert_msg(&p, msg);
    ck_assert(!p.u->loaded);
    ck_assert_int_lt(p.ret, 0);
    ck_assert_uint_eq(p.msgs.n, 1); /* one error, nothing else */
    parsed_free(&p);
}
END_TEST

/* Every mistake of a file is reported in one pass, each with its line. */
START_TEST(test_all_errors_reported)
{
    struct parsed p;

    load_text(&p, "[Timer]\nOnCalendar=bogus\nOnBootSec=x\nOnBootSec=1\nUnit=x.timer\n");
    assert_msg(&p, "E: " PATH
                   ":2: invalid value for OnCalendar=: 'bogus' (not a calendar event, "
                   "see systemd.time(7))");
    assert_msg(&p, "E: " PATH ":3: invalid value for OnBootSec=: 'x' (not a time span)");
    assert_msg(&p, "E: " PATH
                   ":5: invalid value for Unit=: 'x.timer' (a timer cannot start a "
                   "timer)");
    ck_assert_uint_eq(p.msgs.n, 3);
    ck_assert(!p.u->loaded);
    parsed_free(&p);
}
END_TEST

START_TEST(test_sections_of_other_kinds)
{
    struct parsed p;

    /* [Service] in a timer, [Timer] in a service or a target: unknown. */
    load_text(&p, "[Timer]\nOnBootSec=1\n[Service]\nExecStart=/bin/true\nType=bogus\n");
    ck_assert_int_eq(p.ret, 0);
    ck_assert(p.u->loaded);
    assert_msg(&p, "W: " PATH ":3: unknown section [Service], ignoring");
    ck_assert_uint_eq(p.msgs.n, 1);
    ck_assert_uint_eq(p.u->exec_start.n, 0);
    parsed_free(&p);

    parse_named(&p, "web.service", "[Service]\nExecStart=/bin/true\n[Timer]\nOnBootSec=bogus\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_msg(&p, "W: " PATH ":3: unknown section [Timer], ignoring");
    ck_assert_uint_eq(p.msgs.n, 1);
    ck_assert_ptr_null(p.u->timer);
    parsed_free(&p);

    parse_named(&p, "x.target", "[Timer]\nOnBootSec=1\n");
    assert_msg(&p, "W: " PATH ":1: unknown section [Timer], ignoring");
    ck_assert_ptr_null(p.u->timer);
    parsed_free(&p);

    /* An unknown key of [Timer] is a warning. */
    load_text(&p, "[Timer]\nOnBootSec=1\nOnWhatever=3\n");
    ck_assert(p.u->loaded);
    assert_msg(&p, "W: " PATH ":3: unknown key 'OnWhatever' in section [Timer], ignoring");
    parsed_free(&p);
}
END_TEST

/* ---- finalize ---------------------------------------------------------------- */

START_TEST(test_finalize)
{
    struct parsed p;

    /* No trigger: refused with systemd's words. */
    load_text(&p, "[Unit]\nDescription=x\n[Timer]\nPersistent=yes\n");
    ck_assert(!p.u->loaded);
    ck_assert_int_lt(p.ret, 0);
    assert_msg(&p, "E: " PATH ": Timer unit lacks value setting. Refusing.");
    parsed_free(&p);

    /* Clock and zone changes count as triggers, as in systemd. */
    load_text(&p, "[Timer]\nOnClockChange=yes\n");
    assert_clean(&p);
    parsed_free(&p);
    load_text(&p, "[Timer]\nOnTimezoneChange=yes\n");
    assert_clean(&p);
    parsed_free(&p);

    /* Unit= defaults to NAME.service, filled in. */
    load_text(&p, "[Timer]\nOnBootSec=1\n");
    assert_clean(&p);
    ck_assert_str_eq(unit_timer(p.u)->unit, "backup.service");
    /* A service file left alone: no type, no command checks. */
    ck_assert_uint_eq(p.u->exec_start.n, 0);
    parsed_free(&p);

    /* An instance starts the same instance of the service. */
    parse_named(&p, "snap@home.timer", "[Timer]\nOnCalendar=daily\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_clean(&p);
    ck_assert_str_eq(unit_timer(p.u)->unit, "snap@home.service");
    parsed_free(&p);

    /* Specifiers in Unit=: the instance. */
    parse_named(&p, "snap@home.timer", "[Timer]\nOnCalendar=daily\nUnit=run-%i@%i.service\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_clean(&p);
    ck_assert_str_eq(unit_timer(p.u)->unit, "run-home@home.service");
    parsed_free(&p);

    /* A template timer is checked with an empty instance: a Unit= with %i
     * cannot be a whole name there, and is not refused for it. */
    parse_named(&p, "snap@.timer", "[Timer]\nOnCalendar=daily\nUnit=%i.service\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_clean(&p);
    parsed_free(&p);
    parse_named(&p, "snap@.timer", "[Timer]\nOnCalendar=daily\nUnit=%i.timer\n");
    ck_assert(!p.u->loaded);
    assert_msg(&p, "E: " PATH
                   ":3: invalid value for Unit=: '%i.timer' (expands to '.timer') "
                   "(a timer cannot start a timer)");
    parsed_free(&p);
    parse_named(&p, "snap@.timer", "[Timer]\nOnCalendar=daily\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_str_eq(unit_timer(p.u)->unit, "snap@.service");
    parsed_free(&p);

    char *s = unit_timer_default_unit("a.b.timer");
    ck_assert_str_eq(s, "a.b.service");
    free(s);
    errno = 0;
    ck_assert_ptr_null(unit_timer_default_unit("a.service"));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_null(unit_timer_default_unit(".timer"));
}
END_TEST

/* Unit= names any unit type but a timer; a second one is ignored with a
 * warning as in systemd (which keeps the first); an empty one resets. */
START_TEST(test_unit_key)
{
    struct parsed p;

    static const char *const good[] = {"a.service",       "a.target",         "a@inst.service",
                                       "a\\x2db.service", "a:b_c-d.e.socket", "a.path"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[Timer]\nOnBootSec=1\nUnit=%s\n", good[i]);
        load_text(&p, text);
        assert_clean(&p);
        ck_assert_str_eq(unit_timer(p.u)->unit, good[i]);
        parsed_free(&p);
    }

    load_text(&p, "[Timer]\nOnBootSec=1\nUnit=a.service\nUnit=b.service\n");
    ck_assert(p.u->loaded);
    assert_msg(&p, "W: " PATH ":4: Unit= given again, keeping a.service, ignoring b.service");
    ck_assert_str_eq(unit_timer(p.u)->unit, "a.service");
    parsed_free(&p);

    parse_text(&p, "[Timer]\nOnBootSec=1\nUnit=a.service\n");
    parse_more(&p, "[Timer]\nUnit=\nUnit=b.service\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    assert_clean(&p);
    ck_assert_str_eq(unit_timer(p.u)->unit, "b.service");
    parsed_free(&p);

    load_text(&p, "[Timer]\nOnBootSec=1\nUnit=a.service\nUnit=\n");
    assert_clean(&p);
    ck_assert_str_eq(unit_timer(p.u)->unit, "backup.service");
    parsed_free(&p);
}
END_TEST

/* ---- unit_equal --------------------------------------------------------------- */

static const char base_text[] = "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\n";

static const char *const changed_texts[] = {
    "[Timer]\nOnCalendar=weekly\nOnBootSec=5min\nPersistent=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=6min\nPersistent=yes\n",
    "[Timer]\nOnCalendar=daily\nOnStartupSec=5min\nPersistent=yes\n",
    "[Timer]\nOnCalendar=daily\nPersistent=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=no\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nAccuracySec=1s\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nRandomizedDelaySec=1\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nFixedRandomDelay=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nWakeSystem=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nRemainAfterElapse=no\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nOnClockChange=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nOnTimezoneChange=yes\n",
    "[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\nUnit=other.service\n",
    "[Unit]\nDescription=x\n[Timer]\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\n",
};

START_TEST(test_equal_changed)
{
    struct parsed a, b;

    load_text(&a, base_text);
    load_text(&b, changed_texts[_i]);
    assert_clean(&a);
    assert_clean(&b);
    ck_assert_msg(!unit_equal(a.u, b.u), "equal to the base: %s", changed_texts[_i]);
    ck_assert(!unit_equal(b.u, a.u));
    parsed_free(&a);
    parsed_free(&b);
}
END_TEST

START_TEST(test_equal_same)
{
    struct parsed a, b;

    load_text(&a, base_text);
    /* Moved by a line, defaults written out, the default Unit= named. */
    load_text(&b,
              "[Timer]\n\nOnCalendar=daily\nOnBootSec=5min\nPersistent=yes\n"
              "AccuracySec=1min\nRemainAfterElapse=yes\nUnit=backup.service\n");
    assert_clean(&a);
    assert_clean(&b);
    ck_assert(unit_equal(a.u, b.u));
    ck_assert(unit_equal(a.u, a.u));
    parsed_free(&a);
    parsed_free(&b);

    /* A part allocated and reset reads as a missing one. */
    struct unit *x = unit_new("x.timer"), *y = unit_new("x.timer");
    ck_assert_ptr_nonnull(unit_part(y, UNIT_PART_TIMER));
    ck_assert(unit_equal(x, y));
    unit_free(x);
    unit_free(y);
}
END_TEST

/* ---- the loader ----------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static const struct unit *find_unit(struct unit **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return v[i];
    return NULL;
}

static void free_units(struct unit **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        unit_free(v[i]);
    free(v);
}

static void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_load_dirs)
{
    char a[] = "/tmp/check_unit_timer.XXXXXX", b[] = "/tmp/check_unit_timer.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(a));
    ck_assert_ptr_nonnull(mkdtemp(b));
    write_file(a, "backup.timer", "[Timer]\nOnCalendar=daily\n");
    write_file(a, "backup.service", "[Service]\nType=oneshot\nExecStart=/bin/true\n");
    write_file(a, "bad.timer", "[Timer]\nOnCalendar=bogus\n");
    write_file(a, "empty.timer", "[Unit]\nDescription=no trigger\n");
    write_file(a, "snap@.timer", "[Timer]\nOnCalendar=daily\n");
    write_file(a, "snap@.service", "[Service]\nExecStart=/bin/true\n");
    /* An instance timer that starts an instance: the service comes from
     * its template though no file or link names it. */
    write_file(a, "snap@home.timer", "[Timer]\nOnCalendar=daily\n");
    /* A timer whose unit is in the second directory only. */
    write_file(a, "other.timer", "[Timer]\nOnBootSec=1\nUnit=job.service\n");
    write_file(b, "job.service", "[Service]\nExecStart=/bin/true\n");
    write_file(b, "unused.service", "[Service]\nExecStart=/bin/true\n");
    /* Two timers start one instance: it loads once. */
    write_file(a, "twin1.timer", "[Timer]\nOnBootSec=1\nUnit=snap@work.service\n");
    write_file(a, "twin2.timer", "[Timer]\nOnBootSec=2\nUnit=snap@work.service\n");
    /* A timer that names a unit nobody has: loads, the unit does not. */
    write_file(a, "lost.timer", "[Timer]\nOnBootSec=1\nUnit=nowhere.service\n");

    struct strv dirs = {0};
    ck_assert_int_eq(strv_push(&dirs, a), 0);
    struct unit **v;
    size_t n;
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &v, &n), 0);
    const struct unit *t = find_unit(v, n, "backup.timer");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->kind, UNIT_KIND_TIMER);
    ck_assert_str_eq(unit_timer(t)->unit, "backup.service");
    ck_assert_ptr_nonnull(find_unit(v, n, "backup.service"));
    ck_assert_ptr_null(find_unit(v, n, "bad.timer"));
    ck_assert_ptr_null(find_unit(v, n, "empty.timer"));
    ck_assert_ptr_null(find_unit(v, n, "snap@.timer"));
    ck_assert_ptr_null(find_unit(v, n, "snap@.service"));
    t = find_unit(v, n, "snap@home.timer");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(unit_timer(t)->unit, "snap@home.service");
    const struct unit *s = find_unit(v, n, "snap@home.service");
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->kind, UNIT_KIND_SERVICE);
    ck_assert_ptr_nonnull(find_unit(v, n, "other.timer"));
    ck_assert_ptr_null(find_unit(v, n, "job.service")); /* not in the directories */
    ck_assert_ptr_nonnull(find_unit(v, n, "lost.timer"));
    ck_assert_ptr_null(find_unit(v, n, "nowhere.service"));
    ck_assert_ptr_nonnull(find_unit(v, n, "snap@work.service"));
    ck_assert_uint_eq(n, 9);
    for (size_t i = 1; i < n; i++)
        ck_assert_str_ne(v[i - 1]->name, v[i]->name);
    free_units(v, n);

    /* With both directories, job.service loads, and only once. */
    ck_assert_int_eq(strv_push(&dirs, b), 0);
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &v, &n), 0);
    ck_assert_ptr_nonnull(find_unit(v, n, "job.service"));
    ck_assert_ptr_nonnull(find_unit(v, n, "unused.service"));
    ck_assert_uint_eq(n, 11);
    for (size_t i = 1; i < n; i++)
        ck_assert_str_ne(v[i - 1]->name, v[i]->name);
    free_units(v, n);
    strv_clear(&dirs);
    rm_rf(a);
    rm_rf(b);
}
END_TEST

/* Masked timers, a .wants/ directory naming a timer, an alias. */
START_TEST(test_load_links)
{
    char a[] = "/tmp/check_unit_timer.XXXXXX";
    char path[4200], target[4200];
    ck_assert_ptr_nonnull(mkdtemp(a));
    write_file(a, "masked.timer", "");
    write_file(a, "real.timer", "[Timer]\nOnBootSec=1\n");
    snprintf(path, sizeof(path), "%s/alias.timer", a);
    ck_assert_int_eq(symlink("real.timer", path), 0);
    write_file(a, "app.target", "[Unit]\nDescription=app\n");
    snprintf(path, sizeof(path), "%s/app.target.wants", a);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/app.target.wants/real.timer", a);
    snprintf(target, sizeof(target), "%s/real.timer", a);
    ck_assert_int_eq(symlink(target, path), 0);

    struct strv dirs = {0};
    ck_assert_int_eq(strv_push(&dirs, a), 0);
    struct unit **v;
    size_t n;
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &v, &n), 0);
    ck_assert_ptr_null(find_unit(v, n, "masked.timer"));
    ck_assert_ptr_null(find_unit(v, n, "alias.timer"));
    const struct unit *t = find_unit(v, n, "real.timer");
    ck_assert_ptr_nonnull(t);
    ck_assert(strv_contains(&unit_deps(t)->aliases, "alias.timer"));
    const struct unit *g = find_unit(v, n, "app.target");
    ck_assert_ptr_nonnull(g);
    ck_assert(strv_contains(&unit_deps(g)->wants, "real.timer"));
    free_units(v, n);
    strv_clear(&dirs);
    rm_rf(a);
}
END_TEST

/* `pxinit check FILE.timer`: unit_load_file() with the drop-ins beside it. */
START_TEST(test_load_file)
{
    char a[] = "/tmp/check_unit_timer.XXXXXX";
    char path[4200];
    ck_assert_ptr_nonnull(mkdtemp(a));
    write_file(a, "x.timer", "[Timer]\nOnCalendar=daily\n");
    snprintf(path, sizeof(path), "%s/x.timer.d", a);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    write_file(path, "10-bad.conf", "[Timer]\n\nAccuracySec=never\n");

    struct strv msgs = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &msgs};
    bool masked;
    snprintf(path, sizeof(path), "%s/x.timer", a);
    struct unit *u = unit_load_file(path, &sink, &masked);
    ck_assert(!masked);
    ck_assert_ptr_nonnull(u);
    ck_assert(!u->loaded);
    char msg[4400];
    snprintf(msg, sizeof(msg),
             "E: %s/x.timer.d/10-bad.conf:3: invalid value for AccuracySec=: 'never' (not a "
             "time span)",
             a);
    ck_assert_msg(strv_contains(&msgs, msg), "missing: %s", msg);
    unit_free(u);
    strv_clear(&msgs);

    write_file(a, "y.timer", "[Timer]\nOnBootSec=1\n");
    snprintf(path, sizeof(path), "%s/y.timer", a);
    u = unit_load_file(path, &sink, &masked);
    ck_assert_ptr_nonnull(u);
    ck_assert(u->loaded);
    ck_assert_uint_eq(msgs.n, 0);
    ck_assert_str_eq(unit_timer(u)->unit, "y.service");
    unit_free(u);
    rm_rf(a);
}
END_TEST

static Suite *unit_timer_suite(void)
{
    Suite *s = suite_create("unit_timer");
    TCase *keys = tcase_create("keys");
    TCase *model = tcase_create("model");
    TCase *load = tcase_create("load");

    tcase_add_test(keys, test_kind);
    tcase_add_test(keys, test_defaults);
    tcase_add_test(keys, test_every_key);
    tcase_add_test(keys, test_several_of_each);
    tcase_add_test(keys, test_empty_resets);
    tcase_add_loop_test(keys, test_bad_value, 0, sizeof(bad_values) / sizeof(bad_values[0]));
    tcase_add_test(keys, test_all_errors_reported);
    tcase_add_test(keys, test_sections_of_other_kinds);
    suite_add_tcase(s, keys);

    tcase_add_test(model, test_finalize);
    tcase_add_test(model, test_unit_key);
    tcase_add_loop_test(model, test_equal_changed, 0,
                        sizeof(changed_texts) / sizeof(changed_texts[0]));
    tcase_add_test(model, test_equal_same);
    suite_add_tcase(s, model);

    tcase_add_test(load, test_load_dirs);
    tcase_add_test(load, test_load_links);
    tcase_add_test(load, test_load_file);
    suite_add_tcase(s, load);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(unit_timer_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
