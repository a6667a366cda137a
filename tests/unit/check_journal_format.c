/* check_journal_format.c - entries as journalctl 252 prints them
 * (client/journal_format.h): each mode's exact line for a table of
 * entries, in UTC and another zone; tabs, colour sequences and blobs in
 * short; JSON escapes, byte arrays and the 4096-byte cut. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/journal_format.h"

static struct proto_entry entry(const char *msg, size_t len)
{
    struct proto_entry e = {.usec = INT64_C(1796666701123456), .pid = 42, .prio = 6};
    snprintf(e.unit, sizeof(e.unit), "web.service");
    snprintf(e.ident, sizeof(e.ident), "web");
    e.msg = msg;
    e.msg_len = len;
    return e;
}

/* What jf_print() writes, malloc'ed. */
static char *render(enum jf_mode mode, const struct tz *zone, const struct proto_entry *e)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    ck_assert_ptr_nonnull(f);
    struct jf_ctx c = {
        .mode = mode,
        .zone = zone,
        .hostname = "box",
        .boot_id = "0123456789abcdef0123456789abcdef",
        .mono_offset_usec = INT64_C(1796666000000000),
    };
    jf_print(f, &c, e);
    fclose(f);
    return buf;
}

struct mode_case {
    const char *mode;
    const char *want;
};

static const struct mode_case utc_cases[] = {
    {"short", "Dec 07 18:05:01 box web[42]: hello world\n"},
    {"short-precise", "Dec 07 18:05:01.123456 box web[42]: hello world\n"},
    {"short-iso", "2026-12-07T18:05:01+0000 box web[42]: hello world\n"},
    {"short-iso-precise", "2026-12-07T18:05:01.123456+0000 box web[42]: hello world\n"},
    {"short-full", "Mon 2026-12-07 18:05:01 UTC box web[42]: hello world\n"},
    {"short-unix", "1796666701.123456 box web[42]: hello world\n"},
    {"short-monotonic", "[  701.123456] box web[42]: hello world\n"},
    {"with-unit", "Mon 2026-12-07 18:05:01 UTC box web.service[42]: hello world\n"},
    {"cat", "hello world\n"},
    {"json",
     "{\"__REALTIME_TIMESTAMP\":\"1796666701123456\",\"__MONOTONIC_TIMESTAMP\":"
     "\"701123456\",\"_BOOT_ID\":\"0123456789abcdef0123456789abcdef\",\"PRIORITY\":"
     "\"6\",\"SYSLOG_FACILITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"web\",\"_PID\":\"42\","
     "\"_TRANSPORT\":\"stdout\",\"_HOSTNAME\":\"box\",\"_SYSTEMD_UNIT\":\"web.service\","
     "\"MESSAGE\":\"hello world\"}\n"},
};

START_TEST(test_modes_utc)
{
    const struct mode_case *c = &utc_cases[_i];
    struct proto_entry e = entry("hello world", 11);
    int mode = jf_mode_from_name(c->mode);
    ck_assert_int_ge(mode, 0);
    char *got = render((enum jf_mode)mode, tz_utc(), &e);
    ck_assert_str_eq(got, c->want);
    free(got);
}
END_TEST

START_TEST(test_zone)
{
    struct tz *z = tz_load("Europe/Berlin");
    ck_assert_ptr_nonnull(z);
    struct proto_entry e = entry("x", 1);
    char *got = render(JF_SHORT_ISO, z, &e);
    ck_assert_str_eq(got, "2026-12-07T19:05:01+0100 box web[42]: x\n");
    free(got);
    got = render(JF_SHORT, z, &e);
    ck_assert_str_eq(got, "Dec 07 19:05:01 box web[42]: x\n");
    free(got);
    got = render(JF_SHORT_FULL, z, &e);
    ck_assert_str_eq(got, "Mon 2026-12-07 19:05:01 CET box web[42]: x\n");
    free(got);
    tz_free(z);
}
END_TEST

struct short_case {
    const char *msg;
    size_t len;
    const char *want_short, *want_json_msg;
};

static const struct short_case short_cases[] = {
    {"a\tb", 3, ": a        b\n", "\"a\\tb\""},
    {"\x1b[0;31mred\x1b[0m", 14, ": red\n", "[27,91,48,59,51,49,109,114,101,100,27,91,48,109]"},
    {"\x1b]8;;http://x\alink", 18, ": link\n", NULL},
    {"\x1b[Kcut", 6, ": [6B blob data]\n", NULL},
    {"bell\a", 5, ": [5B blob data]\n", "[98,101,108,108,7]"},
    {"caf\xc3\xa9", 5, ": caf\xc3\xa9\n", "\"caf\xc3\xa9\""},
    {"bad \xff", 5, ": [5B blob data]\n", "[98,97,100,32,255]"},
    {"", 0, ": \n", "\"\""},
    {"q\"b\\s", 5, ": q\"b\\s\n", "\"q\\\"b\\\\s\""},
    {"del\x7f", 4, ": [4B blob data]\n", "[100,101,108,127]"},
};

START_TEST(test_short_and_json)
{
    const struct short_case *c = &short_cases[_i];
    struct proto_entry e = entry(c->msg, c->len);
    char *got = render(JF_SHORT, tz_utc(), &e);
    const char *colon = strstr(got, ": ");
    ck_assert_ptr_nonnull(colon);
    ck_assert_str_eq(colon, c->want_short);
    free(got);
    if (c->want_json_msg) {
        got = render(JF_JSON, tz_utc(), &e);
        const char *m = strstr(got, "\"MESSAGE\":");
        ck_assert_ptr_nonnull(m);
        char want[256];
        snprintf(want, sizeof(want), "\"MESSAGE\":%s}\n", c->want_json_msg);
        ck_assert_str_eq(m, want);
        free(got);
    }
}
END_TEST

START_TEST(test_blob_sizes_and_threshold)
{
    char *big = malloc(5000);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 5000);
    big[0] = 1;
    struct proto_entry e = entry(big, 1536);
    char *got = render(JF_SHORT, tz_utc(), &e);
    ck_assert_ptr_nonnull(strstr(got, ": [1.5K blob data]\n"));
    free(got);
    big[0] = 'x';
    e = entry(big, 5000);
    got = render(JF_JSON, tz_utc(), &e);
    ck_assert_ptr_nonnull(strstr(got, "\"MESSAGE\":null}"));
    free(got);
    e = entry(big, 4096);
    got = render(JF_JSON, tz_utc(), &e);
    ck_assert_ptr_null(strstr(got, "null"));
    free(got);
    free(big);
}
END_TEST

START_TEST(test_no_pid_pretty)
{
    struct proto_entry e = entry("m", 1);
    e.pid = 0;
    e.prio = 3;
    char *got = render(JF_SHORT, tz_utc(), &e);
    ck_assert_str_eq(got, "Dec 07 18:05:01 box web: m\n");
    free(got);
    got = render(JF_JSON_PRETTY, tz_utc(), &e);
    ck_assert_ptr_nonnull(strstr(got, "{\n\t\"__REALTIME_TIMESTAMP\" : \"1796666701123456\",\n"));
    ck_assert_ptr_nonnull(strstr(got, "\t\"PRIORITY\" : \"3\",\n"));
    ck_assert_ptr_null(strstr(got, "_PID"));
    ck_assert_ptr_nonnull(strstr(got, "\t\"MESSAGE\" : \"m\"\n}\n"));
    free(got);
}
END_TEST

START_TEST(test_mode_names)
{
    ck_assert_int_eq(jf_mode_from_name("verbose"), -1);
    ck_assert_int_eq(jf_mode_from_name("json"), JF_JSON);
    ck_assert(jf_mode_quiet(JF_CAT));
    ck_assert(!jf_mode_quiet(JF_SHORT_ISO));
    for (int i = 0; jf_mode_name(i); i++)
        ck_assert_int_eq(jf_mode_from_name(jf_mode_name(i)), i);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("journal_format");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_modes_utc, 0, sizeof(utc_cases) / sizeof(utc_cases[0]));
    tcase_add_test(tc, test_zone);
    tcase_add_loop_test(tc, test_short_and_json, 0, sizeof(short_cases) / sizeof(short_cases[0]));
    tcase_add_test(tc, test_blob_sizes_and_threshold);
    tcase_add_test(tc, test_no_pid_pretty);
    tcase_add_test(tc, test_mode_names);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
