/* check_timespan.c - systemd time spans: parsing (table), formatting, round trips. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/timespan.h"

#define SEC USEC_PER_SEC
#define MSEC USEC_PER_MSEC
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

struct parse_case {
    const char *in;
    uint64_t dflt;
    uint64_t want; /* when err == 0 */
    int err;       /* expected errno, 0 for success */
};

static const struct parse_case parse_cases[] = {
    {"5", SEC, 5 * SEC, 0},
    {"0", SEC, 0, 0},
    {"5", MSEC, 5 * MSEC, 0},
    {"5", 1, 5, 0},
    {"500ms", SEC, 500 * MSEC, 0},
    {"500msec", SEC, 500 * MSEC, 0},
    {"10us", SEC, 10, 0},
    {"10usec", SEC, 10, 0},
    {"10\xc2\xb5s", SEC, 10, 0},
    {"10\xce\xbcs", SEC, 10, 0},
    {"2s", 1, 2 * SEC, 0},
    {"2sec", 1, 2 * SEC, 0},
    {"1second", 1, SEC, 0},
    {"2seconds", 1, 2 * SEC, 0},
    {"3m", SEC, 3 * MIN, 0},
    {"3min", SEC, 3 * MIN, 0},
    {"1minute", SEC, MIN, 0},
    {"3minutes", SEC, 3 * MIN, 0},
    {"2h", SEC, 2 * HOUR, 0},
    {"2hr", SEC, 2 * HOUR, 0},
    {"1hour", SEC, HOUR, 0},
    {"2hours", SEC, 2 * HOUR, 0},
    {"1d", SEC, DAY, 0},
    {"1day", SEC, DAY, 0},
    {"2days", SEC, 2 * DAY, 0},
    {"1w", SEC, 7 * DAY, 0},
    {"1week", SEC, 7 * DAY, 0},
    {"2weeks", SEC, 14 * DAY, 0},
    {"1M", SEC, 2629800 * SEC, 0},
    {"1month", SEC, 2629800 * SEC, 0},
    {"2months", SEC, 2 * 2629800 * SEC, 0},
    {"1y", SEC, 31557600 * SEC, 0},
    {"1year", SEC, 31557600 * SEC, 0},
    {"2years", SEC, 2 * 31557600 * SEC, 0},
    {"1min 30s", SEC, 90 * SEC, 0},
    {"1min30s", SEC, 90 * SEC, 0},
    {"1h 2min 3s 4ms 5us", SEC, HOUR + 2 * MIN + 3 * SEC + 4 * MSEC + 5, 0},
    {"  5 s  ", SEC, 5 * SEC, 0},
    {"5 5", SEC, 10 * SEC, 0},
    {"1.5s", SEC, 1500 * MSEC, 0},
    {"1.5", SEC, 1500 * MSEC, 0},
    {"0.25min", SEC, 15 * SEC, 0},
    {"2.5ms", SEC, 2500, 0},
    {"1.000001s", SEC, SEC + 1, 0},
    {"infinity", SEC, USEC_INFINITY, 0},
    {" infinity ", SEC, USEC_INFINITY, 0},
    {"", SEC, 0, EINVAL},
    {"   ", SEC, 0, EINVAL},
    {"abc", SEC, 0, EINVAL},
    {"5x", SEC, 0, EINVAL},
    {"5 sx", SEC, 0, EINVAL},
    {"5mins", SEC, 0, EINVAL},
    {"1.", SEC, 0, EINVAL},
    {"1.s", SEC, 0, EINVAL},
    {".5s", SEC, 0, EINVAL},
    {"1.2.3", SEC, 0, EINVAL},
    {"infinityx", SEC, 0, EINVAL},
    {"infinity 5s", SEC, 0, EINVAL},
    {"5s infinity", SEC, 0, EINVAL},
    {"-5s", SEC, 0, ERANGE},
    {"1 -1", SEC, 0, ERANGE},
    {"99999999999999999999", 1, 0, ERANGE},
    {"18446744073709551615", 1, 0, ERANGE}, /* that is infinity itself */
    {"18446744073709551614", 1, UINT64_MAX - 1, 0},
    {"600000y", SEC, 0, ERANGE},
    {"584542y 584542y", SEC, 0, ERANGE},
};

START_TEST(test_parse_table)
{
    const struct parse_case *c = &parse_cases[_i];
    uint64_t got = 12345;
    int r;

    errno = 0;
    r = timespan_parse(c->in, c->dflt, &got);
    if (c->err) {
        ck_assert_msg(r == -1 && errno == c->err, "'%s': want errno %d, got r=%d errno=%d", c->in,
                      c->err, r, errno);
        ck_assert_msg(got == 12345, "'%s': output written on error", c->in);
    } else {
        ck_assert_msg(r == 0, "'%s': failed with errno %d", c->in, errno);
        ck_assert_msg(got == c->want, "'%s': want %llu, got %llu", c->in,
                      (unsigned long long)c->want, (unsigned long long)got);
    }
}
END_TEST

struct format_case {
    uint64_t usec;
    const char *want;
};

static const struct format_case format_cases[] = {
    {0, "0"},
    {1, "1us"},
    {500 * MSEC, "500ms"},
    {SEC, "1s"},
    {90 * SEC, "1min 30s"},
    {1500 * MSEC, "1s 500ms"},
    {HOUR + 1, "1h 1us"},
    {DAY + 2 * HOUR, "1d 2h"},
    {7 * DAY, "1w"},
    {31557600 * SEC, "1y"},
    {2629800 * SEC, "1month"},
    {USEC_INFINITY, "infinity"},
};

START_TEST(test_format_table)
{
    const struct format_case *c = &format_cases[_i];
    char buf[64];

    ck_assert_ptr_eq(timespan_format(c->usec, buf, sizeof(buf)), buf);
    ck_assert_str_eq(buf, c->want);
}
END_TEST

START_TEST(test_format_round_trip)
{
    static const uint64_t values[] = {
        1, 999, 1000, 123456789, 90 * SEC, 3 * DAY + 17 * MIN + 3, UINT64_MAX - 1, USEC_INFINITY,
    };

    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char buf[128];
        uint64_t back = 0;

        timespan_format(values[i], buf, sizeof(buf));
        ck_assert_msg(timespan_parse(buf, SEC, &back) == 0, "cannot parse back '%s'", buf);
        ck_assert_msg(back == values[i], "'%s' came back as %llu", buf, (unsigned long long)back);
    }
}
END_TEST

START_TEST(test_format_truncates_safely)
{
    char buf[6];

    timespan_format(90 * SEC, buf, sizeof(buf));
    ck_assert_uint_lt(strlen(buf), sizeof(buf));
    timespan_format(90 * SEC, buf, 1);
    ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *timespan_suite(void)
{
    Suite *s = suite_create("timespan");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_parse_table, 0, sizeof(parse_cases) / sizeof(parse_cases[0]));
    tcase_add_loop_test(tc, test_format_table, 0, sizeof(format_cases) / sizeof(format_cases[0]));
    tcase_add_test(tc, test_format_round_trip);
    tcase_add_test(tc, test_format_truncates_safely);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(timespan_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
