/* check_calendar.c - systemd's calendar events (base/calendar.h): the
 * normalized form of each accepted expression, the error of each rejected
 * one, and next elapses, in UTC, in a named zone and in the local zone
 * (TZ=Europe/Berlin here) across its DST changes. The answers are
 * systemd-analyze 252's; tests/calendar_oracle.sh compares many more. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/calendar_int.h"

#define SEC UINT64_C(1000000)

struct form_case {
    const char *in;
    const char *want; /* the normalized form; NULL: rejected */
    int err;          /* errno when rejected */
};

static const struct form_case form_cases[] = {
    {"minutely", "*-*-* *:*:00", 0},
    {"hourly", "*-*-* *:00:00", 0},
    {"daily", "*-*-* 00:00:00", 0},
    {"DAILY", "*-*-* 00:00:00", 0},
    {"weekly", "Mon *-*-* 00:00:00", 0},
    {"monthly", "*-*-01 00:00:00", 0},
    {"yearly", "*-01-01 00:00:00", 0},
    {"annually", "*-01-01 00:00:00", 0},
    {"quarterly", "*-01,04,07,10-01 00:00:00", 0},
    {"semiannually", "*-01,07-01 00:00:00", 0},
    {"semi-annually", "*-01,07-01 00:00:00", 0},
    {"daily UTC", "*-*-* 00:00:00 UTC", 0},
    {"hourly utc", "*-*-* *:00:00 UTC", 0},
    {"Mon", "Mon *-*-* 00:00:00", 0},
    {"mon..wed", "Mon..Wed *-*-* 00:00:00", 0},
    {"Mon-Wed", "Mon..Wed *-*-* 00:00:00", 0},
    {"Mon,Tue", "Mon,Tue *-*-* 00:00:00", 0},
    {"Mon..Tue", "Mon,Tue *-*-* 00:00:00", 0},
    {"Mon..Sun", "*-*-* 00:00:00", 0},
    {"Sun,Mon,Wed..Fri", "Mon,Wed..Fri,Sun *-*-* 00:00:00", 0},
    {"Monday,", "Mon *-*-* 00:00:00", 0},
    {"Fri *-*-13", "Fri *-*-13 00:00:00", 0},
    {"2030-1-1", "2030-01-01 00:00:00", 0},
    {"12-25 08:00", "*-12-25 08:00:00", 0},
    {"23-11-20", "2023-11-20 00:00:00", 0},
    {"70-01-01", "1970-01-01 00:00:00", 0},
    {"*-*-1..31/2", "*-*-01..31/2 00:00:00", 0},
    {"*-*-* 1..8/5:00", "*-*-* 01..06/5:00:00", 0},
    {"*-*-* 10..10:00", "*-*-* 10:00:00", 0},
    {"*-*-* 12,1,7,1:00", "*-*-* 01,07,12:00:00", 0},
    {"*:0/15", "*-*-* *:00/15:00", 0},
    {"*:*:1.5", "*-*-* *:*:01.500000", 0},
    {"*:*:1.9999995", "*-*-* *:*:02", 0},
    {"*:*:0/0.5", "*-*-* *:*:00/0.500000", 0},
    {"*:*:0/1,5", "*-*-* *:*:*", 0},
    {"*:*:0..59.5", "*-*-* *:*:00..59", 0},
    {"*-*~1", "*-*~01 00:00:00", 0},
    {"*-02~1..3", "*-02~01..03 00:00:00", 0},
    {"*-*~* 00:00", "*-*-* 00:00:00", 0},
    {"@1700000000", "2023-11-14 22:13:20 UTC", 0},
    {"@1700000000 Europe/Berlin", "2023-11-14 22:13:20 UTC", 0},
    {"*-*-* 12:00 Europe/Berlin", "*-*-* 12:00:00 Europe/Berlin", 0},
    {"daily CET", "*-*-* 00:00:00 CET", 0},
    {"daily cest", "*-*-* 00:00:00 CEST", 0},
    {"", NULL, EINVAL},
    {" daily", NULL, EINVAL},
    {"daily ", NULL, EINVAL},
    {"bogus", NULL, EINVAL},
    {"UTC", NULL, EINVAL},
    {"Sat..Mon", NULL, EINVAL},
    {"Mon..", NULL, EINVAL},
    {"Mond", NULL, EINVAL},
    {"*:*/15", NULL, EINVAL},
    {"24:00", NULL, EINVAL},
    {"2200-01-01", NULL, EINVAL},
    {"1969-12-31", NULL, EINVAL},
    {"*-*~29", NULL, EINVAL},
    {"*-02~3..1", NULL, EINVAL},
    {"*-*~25,1", "*-*~01,25 00:00:00", 0},
    {"*-*~28,27", NULL, EINVAL}, /* systemd's bound drops by 3 per value */
    {"*~02-1", NULL, EINVAL},
    {"*:*:1.2..1.5", NULL, EINVAL},
    {"*:*:59.9999995", NULL, EINVAL},
    {"daily Europe/Nowhere", NULL, EINVAL},
    {"daily Europe//Berlin", NULL, EINVAL},
    {"daily ../zoneinfo/UTC", NULL, EINVAL},
    {"@-1", NULL, EINVAL},
    {"*:00/0", NULL, ERANGE},
    {"*-*-99999999999", NULL, ERANGE},
    {"*-*-* 2147483648:00", NULL, ERANGE},
};

START_TEST(test_form_table)
{
    const struct form_case *t = &form_cases[_i];
    struct calendar_spec *c = NULL;
    errno = 0;
    int r = calendar_parse(t->in, &c);
    if (!t->want) {
        ck_assert_msg(r == -1 && errno == t->err, "'%s': r=%d errno=%d, want errno %d", t->in, r,
                      errno, t->err);
        ck_assert_ptr_null(c);
        return;
    }
    ck_assert_msg(r == 0, "'%s' rejected: %s", t->in, strerror(errno));
    char *s = calendar_format(c);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, t->want);
    /* The normalized form parses, and normalizes to itself. */
    struct calendar_spec *again = NULL;
    ck_assert_int_eq(calendar_parse(s, &again), 0);
    char *s2 = calendar_format(again);
    ck_assert_str_eq(s2, s);
    free(s2);
    free(s);
    calendar_free(again);
    calendar_free(c);
}
END_TEST

/* systemd allows 241 values in one field, no more (ENOBUFS). */
START_TEST(test_components_max)
{
    char buf[1024] = "*:0";
    for (int i = 0; i < 240; i++)
        strcat(buf, ",0");
    struct calendar_spec *c = NULL;
    ck_assert_int_eq(calendar_parse(buf, &c), 0);
    calendar_free(c);
    strcat(buf, ",0");
    ck_assert_int_eq(calendar_parse(buf, &c), -1);
    ck_assert_int_eq(errno, ENOBUFS);
}
END_TEST

struct next_case {
    const char *spec;
    int64_t base; /* Unix seconds */
    int64_t want; /* 0: never (ENOENT) */
};

static const struct next_case next_cases[] = {
    {"daily UTC", 1700000000, 1700006400},
    {"*-*-* 00:00:00.5 UTC", 1700006400, 1700006400}, /* + 0.5 s, below */
    {"minutely UTC", 1700000000, 1700000040},
    {"Mon *-*-* 09:00 UTC", 1700000000, 1700470800},
    {"*-02-29 UTC", 1700000000, 1709164800},
    {"*-*~1 UTC", 1700000000, 1701302400},
    {"*-02~1 UTC", 1700000000, 1709164800},
    {"2023-11-14 22:13:20 UTC", 1700000000, 0},
    {"2001-01-01 UTC", 1700000000, 0},
    {"*-02-30 UTC", 1700000000, 0},
    {"@1800000000", 1700000000, 1800000000},
    {"*-*-* 12:00 Europe/Berlin", 1700000000, 1700046000},
    {"*-*-* 12:00 America/New_York", 1700000000, 1700067600},
    /* The local zone, Europe/Berlin: 02:30 does not exist on 2026-03-29. */
    {"*-*-* 02:30", 1774744200, 1774830600},
    /* ... and happens twice on 2026-10-25: systemd takes the first only. */
    {"*-*-* 02:30", 1792886400, 1792888200},
    {"*-*-* 02:30", 1792888200, 1792978200},
    /* The dst flag: CEST in winter never elapses, in summer it does. */
    {"daily CEST", 1768478400, 0},
    {"daily CEST", 1784116800, 1784152800},
    {"daily CET", 1784116800, 0},
};

START_TEST(test_next_table)
{
    const struct next_case *t = &next_cases[_i];
    struct calendar_spec *c = NULL;
    ck_assert_msg(calendar_parse(t->spec, &c) == 0, "'%s' rejected", t->spec);
    uint64_t next = 0;
    errno = 0;
    int r = calendar_next(c, (uint64_t)t->base * SEC, &next);
    if (t->want == 0) {
        ck_assert_msg(r == -1 && errno == ENOENT, "'%s' from %lld: got %llu", t->spec,
                      (long long)t->base, (unsigned long long)next);
    } else {
        ck_assert_msg(r == 0, "'%s' from %lld: %s", t->spec, (long long)t->base, strerror(errno));
        uint64_t want = (uint64_t)t->want * SEC;
        if (strstr(t->spec, "00.5"))
            want += SEC / 2;
        ck_assert_msg(next == want, "'%s' from %lld: %llu, want %llu", t->spec, (long long)t->base,
                      (unsigned long long)next, (unsigned long long)want);
    }
    calendar_free(c);
}
END_TEST

/* Iterating gives each elapse once, in order, with fractions kept. */
START_TEST(test_next_iterates)
{
    struct calendar_spec *c = NULL;
    ck_assert_int_eq(calendar_parse("*:*:0/7.5 UTC", &c), 0);
    uint64_t t = 1700000000 * SEC, next;
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(calendar_next(c, t, &next), 0);
        ck_assert_uint_gt(next, t);
        ck_assert_uint_eq(next % (60 * SEC) % (15 * SEC / 2), 0);
        t = next;
    }
    calendar_free(c);
}
END_TEST

START_TEST(test_next_limits)
{
    struct calendar_spec *c = NULL;
    uint64_t next;
    ck_assert_int_eq(calendar_parse("daily UTC", &c), 0);
    /* Past 9999-12-30, systemd refuses the base. */
    ck_assert_int_eq(calendar_next(c, UINT64_C(253402214400) * SEC, &next), -1);
    ck_assert_int_eq(errno, EINVAL);
    /* The last year is 2199. */
    ck_assert_int_eq(calendar_next(c, UINT64_C(7258118400) * SEC, &next), -1);
    ck_assert_int_eq(errno, ENOENT);
    calendar_free(c);
}
END_TEST

START_TEST(test_equal_and_local)
{
    struct calendar_spec *a, *b, *u, *z;
    ck_assert_int_eq(calendar_parse("Mon..Fri 9:0", &a), 0);
    ck_assert_int_eq(calendar_parse("Fri,Thu,Wed,Tue,Mon *-*-* 09:00:00", &b), 0);
    ck_assert_int_eq(calendar_parse("Mon..Fri 9:0 UTC", &u), 0);
    ck_assert_int_eq(calendar_parse("Mon..Fri 9:0 Europe/Berlin", &z), 0);
    ck_assert(calendar_equal(a, b));
    ck_assert(!calendar_equal(a, u));
    ck_assert(!calendar_equal(a, z));
    ck_assert(!calendar_equal(u, z));
    ck_assert(calendar_is_local(a));
    ck_assert(!calendar_is_local(u));
    ck_assert(!calendar_is_local(z));
    calendar_free(a);
    calendar_free(b);
    calendar_free(u);
    calendar_free(z);
    calendar_free(NULL);
}
END_TEST

/* Specs naming one zone share one loaded copy, and another spec's use of
 * it changes no result of the first, through the repeated hour of an
 * autumn change (01:00-02:00 on 2026-11-01 in New York). */
START_TEST(test_zone_shared)
{
    const char *text = "*:0/20 America/New_York";
    struct calendar_spec *a = NULL, *b = NULL;
    uint64_t alone[8], t = 1793509200 * SEC, next;
    ck_assert_int_eq(calendar_parse(text, &a), 0);
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(calendar_next(a, t, &alone[i]), 0);
        t = alone[i];
    }
    calendar_free(a);
    ck_assert_int_eq(calendar_parse(text, &a), 0);
    ck_assert_int_eq(calendar_parse("Sun *-*-* 01:30 America/New_York", &b), 0);
    ck_assert_ptr_nonnull(a->zone);
    ck_assert_ptr_eq(a->zone, b->zone);
    t = 1793509200 * SEC;
    for (int i = 0; i < 8; i++) {
        uint64_t other;
        ck_assert_int_eq(calendar_next(b, 1768003200 * SEC + (uint64_t)i * 3600 * SEC, &other), 0);
        ck_assert_int_eq(calendar_next(a, t, &next), 0);
        ck_assert_uint_eq(next, alone[i]);
        t = next;
    }
    calendar_free(a);
    /* The last holder frees it; the zone still works for the first. */
    ck_assert_int_eq(calendar_next(b, 1792800000 * SEC, &next), 0);
    calendar_free(b);
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_form_table, 0, sizeof(form_cases) / sizeof(form_cases[0]));
    tcase_add_test(tc, test_components_max);
    tcase_add_loop_test(tc, test_next_table, 0, sizeof(next_cases) / sizeof(next_cases[0]));
    tcase_add_test(tc, test_next_iterates);
    tcase_add_test(tc, test_next_limits);
    tcase_add_test(tc, test_equal_and_local);
    tcase_add_test(tc, test_zone_shared);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* The local zone of every test: one with summer time. */
    setenv("TZ", "Europe/Berlin", 1);
    SRunner *sr = srunner_create(calendar_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
