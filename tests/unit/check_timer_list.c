/* check_timer_list.c - how timers are shown: list-timers' table and JSON
 * (systemctl list-timers, v252: its timestamps, its relative times, its
 * order and footer), the socket's `timer` line both ways, and a timer's
 * status row and JSON. "Now" and the time zone are pinned. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/tz.h"
#include "client/timer_list.h"
#include "wire/protocol.h"
#include "wire/status_line.h"

#define SEC INT64_C(1000000)
/* Mon 2026-12-07 11:55:00 UTC. */
#define NOW (INT64_C(1796644500) * SEC)

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
    tz_local_reload(); /* the local zone is read once (base/tz.h); TZ changed */
}

static const struct {
    int64_t delta; /* usec from now; negative: in the past */
    const char *want;
} relatives[] = {
    {0, "now"},
    {500, "500us left"},
    {1500, "1ms left"},
    {59 * SEC + 900000, "59s left"},
    {60 * SEC, "1min 0s left"},
    {299 * SEC, "4min 59s left"},
    {300 * SEC + 500000, "5min left"},
    {3599 * SEC, "59min left"},
    {3600 * SEC, "1h 0min left"},
    {-7380 * SEC, "2h 3min ago"},
    {-86100 * SEC, "23h ago"},
    {6 * 3600 * SEC, "6h left"},
    {(24 * 3600 + 59 * 60) * SEC, "24h left"},
    {25 * 3600 * SEC, "1 day 1h left"},
    {-2 * 86400 * SEC, "2 days ago"},
    {7 * 86400 * SEC, "1 week 0 days left"},
    {15 * 86400 * SEC, "2 weeks 1 day left"},
    {INT64_C(2629800) * SEC, "1 month 0 days left"},
    {-(INT64_C(2629800) * 2 + 86400) * SEC, "2 months 1 day ago"},
    {INT64_C(31557600) * SEC, "1 year 0 months left"},
    {(INT64_C(31557600) * 2 + INT64_C(2629800)) * SEC, "2 years 1 month left"},
};

START_TEST(test_relative)
{
    char buf[TL_TIME_MAX];
    ck_assert_str_eq(tl_relative(buf, sizeof(buf), NOW + relatives[_i].delta, NOW),
                     relatives[_i].want);
}
END_TEST

START_TEST(test_timestamp)
{
    char buf[TL_TIME_MAX];
    set_tz("UTC");
    ck_assert_str_eq(tl_timestamp(buf, sizeof(buf), INT64_C(1796644800) * SEC + 999999),
                     "Mon 2026-12-07 12:00:00 UTC");
    ck_assert_str_eq(tl_timestamp(buf, sizeof(buf), 0), "-");
    ck_assert_str_eq(tl_relative(buf, sizeof(buf), 0, NOW), "-");
    set_tz("Europe/Berlin");
    ck_assert_str_eq(tl_timestamp(buf, sizeof(buf), INT64_C(1796644800) * SEC),
                     "Mon 2026-12-07 13:00:00 CET");
    ck_assert_str_eq(tl_timestamp(buf, sizeof(buf), INT64_C(1782907200) * SEC),
                     "Wed 2026-07-01 14:00:00 CEST");
    set_tz("UTC");
}
END_TEST

static void make_timer(struct sb_unit *u, const char *name, int64_t next, int64_t last)
{
    memset(u, 0, sizeof(*u));
    snprintf(u->name, sizeof(u->name), "%s.timer", name);
    snprintf(u->activates, sizeof(u->activates), "%s.service", name);
    u->state = UNIT_STATE_ACTIVE;
    u->sub = UNIT_SUB_WAITING;
    u->timer = true;
    u->pid = u->pgid = u->exit_code = u->exit_signal = -1;
    u->next_elapse = next;
    u->last_trigger = last;
}

/* Three timers in no order: a daily one, one due in five minutes, one that
 * will not elapse again and never did. */
static void three_timers(struct sb_unit t[3])
{
    make_timer(&t[0], "logrotate", INT64_C(1796659200) * SEC, INT64_C(1796558400) * SEC);
    make_timer(&t[1], "fast", INT64_C(1796644800) * SEC + 500000, NOW - 7380 * SEC);
    make_timer(&t[2], "idle", 0, 0);
    t[2].sub = UNIT_SUB_ELAPSED;
    tl_sort(t, 3);
}

START_TEST(test_table)
{
    set_tz("UTC");
    struct sb_unit t[3];
    three_timers(t);
    /* systemctl's order: by next elapse, none first. */
    ck_assert_str_eq(t[0].name, "idle.timer");
    ck_assert_str_eq(t[1].name, "fast.timer");
    ck_assert_str_eq(t[2].name, "logrotate.timer");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    ck_assert_ptr_nonnull(f);
    tl_print_table(f, t, 3, NOW, false);
    fclose(f);
    ck_assert_str_eq(out,
                     "NEXT                        LEFT         LAST                        "
                     "PASSED      UNIT            ACTIVATES\n"
                     "-                           -            -                           "
                     "-           idle.timer      idle.service\n"
                     "Mon 2026-12-07 12:00:00 UTC 5min left    Mon 2026-12-07 09:52:00 UTC "
                     "2h 3min ago fast.timer      fast.service\n"
                     "Mon 2026-12-07 16:00:00 UTC 4h 5min left Sun 2026-12-06 12:00:00 UTC "
                     "23h ago     logrotate.timer logrotate.service\n"
                     "\n"
                     "3 timers listed.\n"
                     "Pass --all to see loaded but inactive timers, too.\n");
    free(out);

    /* --all: no hint; no timers: the header and the count alone. */
    f = open_memstream(&out, &len);
    tl_print_table(f, t, 0, NOW, true);
    fclose(f);
    ck_assert_str_eq(out, "NEXT LEFT LAST PASSED UNIT ACTIVATES\n\n0 timers listed.\n");
    free(out);
}
END_TEST

START_TEST(test_json)
{
    struct sb_unit t[3];
    three_timers(t);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    tl_print_json(f, t, 3);
    fclose(f);
    ck_assert_str_eq(out,
                     "[{\"next\":0,\"left\":0,\"last\":0,\"passed\":0,\"unit\":\"idle.timer\","
                     "\"activates\":\"idle.service\"},"
                     "{\"next\":1796644800500000,\"left\":1796644800500000,"
                     "\"last\":1796637120000000,\"passed\":1796637120000000,"
                     "\"unit\":\"fast.timer\",\"activates\":\"fast.service\"},"
                     "{\"next\":1796659200000000,\"left\":1796659200000000,"
                     "\"last\":1796558400000000,\"passed\":1796558400000000,"
                     "\"unit\":\"logrotate.timer\",\"activates\":\"logrotate.service\"}]\n");
    free(out);
    f = open_memstream(&out, &len);
    tl_print_json(f, t, 0);
    fclose(f);
    ck_assert_str_eq(out, "[]\n");
    free(out);
}
END_TEST

/* The socket's `timer` line: written after the unit line, read back onto
 * the unit it names, ignored for another. */
START_TEST(test_timer_line)
{
    struct sb_unit t, got;
    make_timer(&t, "logrotate", INT64_C(1796659200) * SEC + 7, 0);
    char line[PROTO_MAX_REQUEST];
    proto_format_timer(line, sizeof(line), &t);
    ck_assert_str_eq(line, "timer logrotate.timer 1796659200000007 - logrotate.service");
    memset(&got, 0, sizeof(got));
    snprintf(got.name, sizeof(got.name), "logrotate.timer");
    ck_assert_int_eq(proto_parse_timer(line + 6, &got), 1);
    ck_assert(got.timer);
    ck_assert_int_eq(got.next_elapse, INT64_C(1796659200) * SEC + 7);
    ck_assert_int_eq(got.last_trigger, 0);
    ck_assert_str_eq(got.activates, "logrotate.service");
    ck_assert_int_eq(got.pid, -1);
    snprintf(got.name, sizeof(got.name), "other.timer");
    got.timer = false;
    ck_assert_int_eq(proto_parse_timer(line + 6, &got), 0);
    ck_assert(!got.timer);
    ck_assert_int_eq(proto_parse_timer("x.timer 12", &got), -1);
    ck_assert_int_eq(proto_parse_timer("x.timer a b c", &got), -1);
    ck_assert_int_eq(proto_parse_timer("x.timer 1 2 c d", &got), -1);
}
END_TEST

/* `status` of a timer: its row says how long until the next elapse and
 * since the last; --json has next_elapse and last_trigger in seconds, null
 * for none, and only on timers. */
START_TEST(test_status_forms)
{
    struct sb_unit u[2];
    make_timer(&u[0], "fast", INT64_C(1796644800) * SEC + 500000, 0);
    u[0].since = 1796644000;
    memset(&u[1], 0, sizeof(u[1]));
    snprintf(u[1].name, sizeof(u[1].name), "web");
    u[1].state = UNIT_STATE_ACTIVE;
    u[1].sub = UNIT_SUB_RUNNING;
    u[1].pid = u[1].pgid = 42;
    u[1].exit_code = u[1].exit_signal = -1;
    u[1].since = 1796644000;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    proto_print_table(f, u, 2, NOW / SEC, false);
    fclose(f);
    ck_assert_str_eq(out,
                     "fast.timer  active        -  8min20s          0  -            waiting  "
                     "left=5min0s  passed=-\n"
                     "web         active       42  8min20s          0  -            running\n");
    free(out);
    f = open_memstream(&out, &len);
    proto_print_json(f, u, 2);
    fclose(f);
    ck_assert_str_eq(out,
                     "{\"units\":[{\"name\":\"fast.timer\",\"state\":\"active\",\"sub\":"
                     "\"waiting\",\"pid\":null,\"pgid\":null,\"restarts\":0,\"last_exit\":{"
                     "\"code\":null,\"signal\":null},\"since\":1796644000,\"next_elapse\":"
                     "1796644800,\"last_trigger\":null},{\"name\":\"web\",\"state\":"
                     "\"active\",\"sub\":\"running\",\"pid\":42,\"pgid\":42,\"restarts\":0,"
                     "\"last_exit\":{\"code\":null,\"signal\":null},\"since\":1796644000}]}\n");
    free(out);

    /* The libc-free path's row, from the record as the board holds it. */
    struct sb_record rec;
    memset(&rec, 0, sizeof(rec));
    rec.flags = SB_REC_USED | SB_REC_TIMER;
    rec.state = UNIT_STATE_ACTIVE;
    rec.sub = UNIT_SUB_WAITING;
    rec.next_elapse = INT64_C(1796644800) * SEC + 500000;
    rec.last_trigger = NOW - 7380 * SEC;
    rec.since = 1796644000;
    char row[SL_LINE_MAX];
    sl_format_record(row, sizeof(row), &rec, "fast.timer", NOW / SEC);
    ck_assert_str_eq(row,
                     "fast.timer  active        -  8min20s          0  -            waiting  "
                     "left=5min0s  passed=2h3min\n");
}
END_TEST

static Suite *timer_list_suite(void)
{
    Suite *s = suite_create("timer_list");
    TCase *tc = tcase_create("timer_list");
    tcase_add_loop_test(tc, test_relative, 0, (int)(sizeof(relatives) / sizeof(relatives[0])));
    tcase_add_test(tc, test_timestamp);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_timer_line);
    tcase_add_test(tc, test_status_forms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(timer_list_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
