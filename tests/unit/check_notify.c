/* check_notify.c - parsing of sd_notify(3) datagrams. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "run/notify.h"

START_TEST(test_flags)
{
    struct notify_msg m;
    const char *msg = "READY=1\nSTATUS=Serving 3 clients\nWATCHDOG=1\nRELOADING=1";
    notify_parse(msg, strlen(msg), &m);
    ck_assert(m.ready);
    ck_assert(m.reloading);
    ck_assert(m.watchdog_ping);
    ck_assert(!m.stopping);
    ck_assert(!m.has_mainpid);
    ck_assert_uint_eq(m.status_len, strlen("Serving 3 clients"));
    ck_assert(memcmp(m.status, "Serving 3 clients", m.status_len) == 0);
}
END_TEST

static const struct {
    const char *msg;
    int mainpid;   /* 0: not set */
    int err;       /* -1: not set */
    long long ext; /* -1: not set */
    bool stopping, trigger, ready;
} cases[] = {
    {"MAINPID=4711", 4711, -1, -1, false, false, false},
    {"MAINPID=0", 0, -1, -1, false, false, false},
    {"MAINPID=-3", 0, -1, -1, false, false, false},
    {"MAINPID=12abc", 0, -1, -1, false, false, false},
    {"MAINPID=99999999999999999999999", 0, -1, -1, false, false, false},
    {"ERRNO=2", 0, 2, -1, false, false, false},
    {"ERRNO=x", 0, -1, -1, false, false, false},
    {"EXTEND_TIMEOUT_USEC=5000000", 0, -1, 5000000, false, false, false},
    {"STOPPING=1", 0, -1, -1, true, false, false},
    {"WATCHDOG=trigger", 0, -1, -1, false, true, false},
    {"READY=0", 0, -1, -1, false, false, false},
    {"READY=1\n", 0, -1, -1, false, false, true},
    {"FOO=bar\nREADY=1", 0, -1, -1, false, false, true},
    {"", 0, -1, -1, false, false, false},
};

START_TEST(test_values)
{
    struct notify_msg m;
    notify_parse(cases[_i].msg, strlen(cases[_i].msg), &m);
    ck_assert_int_eq(m.has_mainpid, cases[_i].mainpid != 0);
    if (cases[_i].mainpid)
        ck_assert_int_eq(m.mainpid, cases[_i].mainpid);
    ck_assert_int_eq(m.has_errno, cases[_i].err >= 0);
    if (cases[_i].err >= 0)
        ck_assert_int_eq(m.err, cases[_i].err);
    ck_assert_int_eq(m.has_extend, cases[_i].ext >= 0);
    if (cases[_i].ext >= 0)
        ck_assert_uint_eq(m.extend_usec, (uint64_t)cases[_i].ext);
    ck_assert_int_eq(m.stopping, cases[_i].stopping);
    ck_assert_int_eq(m.watchdog_trigger, cases[_i].trigger);
    ck_assert_int_eq(m.ready, cases[_i].ready);
}
END_TEST

/* The buffer is not NUL-terminated: nothing past len may be read. */
START_TEST(test_length_bound)
{
    struct notify_msg m;
    const char buf[] = {'R', 'E', 'A', 'D', 'Y', '=', '1', 'X'};
    notify_parse(buf, 7, &m);
    ck_assert(m.ready);
    notify_parse(buf, 8, &m);
    ck_assert(!m.ready);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("notify");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_flags);
    tcase_add_loop_test(tc, test_values, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_length_bound);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
