/* check_proto_journal.c - the `entry` reply line (wire/proto_journal.h):
 * exact lines written for a table of entries, each read back, malformed
 * lines refused, long messages cut, small buffers never overrun. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/proto_journal.h"

struct fmt_case {
    int64_t usec;
    int32_t pid;
    uint8_t prio;
    const char *unit, *ident, *msg;
    size_t msg_len; /* 0: strlen(msg) */
    const char *want;
};

static const struct fmt_case fmt_cases[] = {
    {1765123456000001, 42, 6, "web.service", "web", "hello world", 0,
     "entry 1765123456000001 42 6 web.service web hello world\n"},
    {0, 0, 3, "a.service", "", "", 0, "entry 0 0 3 a.service - \n"},
    {7, 1, 6, "a b.service", "-", "  lead and trail  ", 0,
     "entry 7 1 6 a\\x20b.service \\x2d   lead and trail  \n"},
    {7, 1, 6, "x.service", "x", "tab\there\\back\x7f\x1b[0m", 0,
     "entry 7 1 6 x.service x tab\\x09here\\x5cback\\x7f\\x1b[0m\n"},
    {7, 1, 6, "x.service", "x", "caf\xc3\xa9 \xff", 0,
     "entry 7 1 6 x.service x caf\xc3\xa9 \xff\n"},
    {7, 1, 6, "x.service", "x", "a\0b", 3,
     "entry 7 1 6 x.service x a\xef\xbf\xbd"
     "b\n"},
    {-1, 0, 0, "x.service", "pxinit", "cr\r", 0, "entry -1 0 0 x.service pxinit cr\\x0d\n"},
};

START_TEST(test_format)
{
    const struct fmt_case *c = &fmt_cases[_i];
    struct proto_entry e = {.usec = c->usec, .pid = c->pid, .prio = c->prio};
    snprintf(e.unit, sizeof(e.unit), "%s", c->unit);
    snprintf(e.ident, sizeof(e.ident), "%s", c->ident);
    size_t mlen = c->msg_len ? c->msg_len : strlen(c->msg);
    char buf[512];
    int n = proto_format_entry(buf, sizeof(buf), &e, c->msg, mlen);
    ck_assert_str_eq(buf, c->want);
    ck_assert_int_eq(n, (int)strlen(c->want));

    /* Read back: what follows "entry ", without the newline. */
    buf[n - 1] = '\0';
    struct proto_entry b;
    memset(&b, 0x55, sizeof(b));
    ck_assert_int_eq(proto_parse_entry(buf + 6, &b), 0);
    ck_assert_int_eq(b.usec, c->usec);
    ck_assert_int_eq(b.pid, c->pid);
    ck_assert_int_eq(b.prio, c->prio);
    ck_assert_str_eq(b.unit, c->unit);
    ck_assert_str_eq(b.ident, c->ident);
    if (!memchr(c->msg, '\0', mlen)) {
        ck_assert_uint_eq(b.msg_len, mlen);
        ck_assert_mem_eq(b.msg, c->msg, mlen);
    }
    ck_assert_int_eq(b.msg[b.msg_len], '\0');
}
END_TEST

static const char *const bad_lines[] = {
    "",
    "1 2 6 a.service a",              /* no space before the message */
    "1 2 6 a.service",                /* no ident */
    "x 2 6 a.service a m",            /* usec not a number */
    "1 -2 6 a.service a m",           /* negative pid */
    "1 2 8 a.service a m",            /* priority above 7 */
    "1 2 6  a m",                     /* empty unit word */
    "01 2 6 a.service a m",           /* leading zero */
    "99999999999999999999 2 6 a a m", /* overflow */
    "1 2147483648 6 a a m",           /* pid overflow */
    "1 2 6 a\\x0.service a m",        /* bad escape in a word */
    "1 2 6 a.service a m\\x00",       /* NUL in the message */
    "1 2 6 a.service a m\\q",         /* unknown escape */
    "1 2 6 a.service a m\\x4",        /* short escape */
    "1 2 6 a.service a m\tx",         /* raw control byte */
    "1 2 6 a.service a m\n",          /* raw newline */
};

START_TEST(test_parse_bad)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", bad_lines[_i]);
    struct proto_entry e;
    ck_assert_msg(proto_parse_entry(buf, &e) == -1, "accepted: %s", bad_lines[_i]);
}
END_TEST

START_TEST(test_parse_spaces)
{
    char buf[] = "5 6 3 u.service i   three spaces\\x5c";
    struct proto_entry e;
    ck_assert_int_eq(proto_parse_entry(buf, &e), 0);
    ck_assert_str_eq(e.msg, "  three spaces\\");
    ck_assert_uint_eq(e.msg_len, 15);
    char empty[] = "5 6 3 u.service i ";
    ck_assert_int_eq(proto_parse_entry(empty, &e), 0);
    ck_assert_uint_eq(e.msg_len, 0);
}
END_TEST

START_TEST(test_long_and_small)
{
    size_t big = PROTO_JOURNAL_MSG_MAX + 100;
    char *msg = malloc(big), *line = malloc(big + 512);
    ck_assert_ptr_nonnull(msg);
    ck_assert_ptr_nonnull(line);
    memset(msg, 'm', big);
    struct proto_entry e = {.usec = 1, .pid = 2, .prio = 6};
    strcpy(e.unit, "u.service");
    strcpy(e.ident, "u");
    int n = proto_format_entry(line, big + 512, &e, msg, big);
    ck_assert_int_eq(n, (int)strlen("entry 1 2 6 u.service u \n") + PROTO_JOURNAL_MSG_MAX);
    /* Every small size: terminated, a prefix, the full length returned. */
    for (size_t sz = 1; sz < 40; sz++) {
        char small[48];
        memset(small, 'Z', sizeof(small));
        /* "entry 1 2 6 u.service u mmmmm\n": 30 bytes */
        ck_assert_int_eq(proto_format_entry(small, sz, &e, msg, 5), 30);
        size_t end = sz - 1 < 30 ? sz - 1 : 30;
        ck_assert_int_eq(small[end], '\0');
        ck_assert_uint_eq(strlen(small), end);
        ck_assert_int_eq(small[end + 1], 'Z');
    }
    free(msg);
    free(line);
}
END_TEST

static Suite *proto_journal_suite(void)
{
    Suite *s = suite_create("proto_journal");
    TCase *tc = tcase_create("entry");
    tcase_add_loop_test(tc, test_format, 0, sizeof(fmt_cases) / sizeof(fmt_cases[0]));
    tcase_add_loop_test(tc, test_parse_bad, 0, sizeof(bad_lines) / sizeof(bad_lines[0]));
    tcase_add_test(tc, test_parse_spaces);
    tcase_add_test(tc, test_long_and_small);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(proto_journal_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
