/* check_timestamp.c - journalctl's --since/--until syntax (base/timestamp.h):
 * a table of expressions with the values systemd 252's parse_timestamp()
 * gives for them (checked with systemd-analyze timestamp), in UTC and with
 * a zone named by the last word, relative forms against a fixed "now",
 * and the refusals. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"

/* Fri 2023-11-14 22:13:20.123456 UTC */
#define NOW UINT64_C(1700000000123456)
#define S(x) (UINT64_C(x) * 1000000)

struct ok_case {
    const char *expr;
    uint64_t want;
};

static const struct ok_case ok_cases[] = {
    {"2012-11-23 11:12:13", S(1353669133)},
    {"2012-11-23 11:12:13 UTC", S(1353669133)},
    {"2012-11-23 11:12:13 utc", S(1353669133)},
    {"12-11-23 11:12:13", S(1353669133)},
    {"2012-11-23 11:12", S(1353669120)},
    {"2012-11-23  11:12", S(1353669120)},
    {"2012-11-23", S(1353628800)},
    {"12-11-23", S(1353628800)},
    {"Fri 2012-11-23", S(1353628800)},
    {"friday 2012-11-23 11:12:13", S(1353669133)},
    {"2012-11-23 11:12:13.5", S(1353669133) + 500000},
    {"2012-11-23 11:12:13.1234567", S(1353669133) + 123457},
    {"2012-02-30", S(1330560000)},
    {"2012-11-23 11:12:60", S(1353669180)},
    {"11:12", S(1699960320)},
    {" 11:12", S(1699960320)},
    {"11:12:13.25", S(1699960333) + 250000},
    {"today", S(1699920000)},
    {"yesterday", S(1699833600)},
    {"tomorrow", S(1700006400)},
    {"today UTC", S(1699920000)},
    {"now", NOW},
    {"+5min", NOW + S(300)},
    {"-1h", NOW - S(3600)},
    {"5min ago", NOW - S(300)},
    {"1h 30min left", NOW + S(5400)},
    {"@1395716396", S(1395716396)},
    {"@1395716396.25", S(1395716396) + 250000},
    {"@5min", S(300)},
    /* A zone file's name as the last word. */
    {"2012-11-23 11:12:13 Europe/Berlin", S(1353665533)},
    {"2012-07-23 11:12:13 Europe/Berlin", S(1343034733)},
    {"2012-11-23 11:12:13 CET", S(1353665533)},
    {"today Europe/Berlin", S(1699916400)},
    {"2012-11-23 11:12:13 America/New_York", S(1353687133)},
};

START_TEST(test_ok)
{
    const struct ok_case *c = &ok_cases[_i];
    uint64_t got = 0;
    ck_assert_msg(timestamp_parse(c->expr, NOW, &got) == 0, "'%s' refused", c->expr);
    ck_assert_msg(got == c->want, "'%s': %llu, want %llu", c->expr, (unsigned long long)got,
                  (unsigned long long)c->want);
}
END_TEST

static const char *const bad_cases[] = {
    "",
    "foo",
    "11:12 ",
    "Sat 2012-11-23",
    "2012-11-23 25:00",
    "2012-13-01",
    "2012-11-23T11:12:13",
    "2012-11-23 11:12:13+02:00",
    "2012-11-23 11:12:13 Z",
    "1969-12-31",
    "9999-12-31",
    "11:12:13.",
    "11:12.5",
    "+infinity",
    "now UTC",
    "5min ago Europe/Berlin",
    "@123 Europe/Berlin",
    "+",
    "- 5 apples",
    "2012-11-23 11:12:13 Nowhere/Atall",
};

START_TEST(test_bad)
{
    uint64_t got = 0;
    errno = 0;
    ck_assert_msg(timestamp_parse(bad_cases[_i], NOW, &got) < 0, "'%s' taken: %llu", bad_cases[_i],
                  (unsigned long long)got);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_long)
{
    char buf[1000];
    memset(buf, '1', sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    uint64_t got;
    ck_assert_int_lt(timestamp_parse(buf, NOW, &got), 0);
}
END_TEST

int main(void)
{
    /* The local zone is read from TZ once: UTC for the table. */
    setenv("TZ", "UTC", 1);
    Suite *s = suite_create("timestamp");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_ok, 0, sizeof(ok_cases) / sizeof(ok_cases[0]));
    tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
    tcase_add_test(tc, test_long);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
