/* check_conf.c - pxinit.conf: sizes and prefixes (tables), a whole file,
 * malformed values keeping their defaults. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/conf.h"
#include "base/log.h"

struct size_case {
    const char *in;
    int ok;
    uint64_t want;
};

static const struct size_case size_cases[] = {
    {"0", 1, 0},
    {"512", 1, 512},
    {"4K", 1, 4096},
    {"4KB", 1, 4096},
    {"10M", 1, 10 << 20},
    {"1G", 1, 1ULL << 30},
    {"2T", 1, 2ULL << 40},
    {"", 0, 0},
    {"K", 0, 0},
    {"-1", 0, 0},
    {"10X", 0, 0},
    {"10 M", 0, 0},
    {"99999999999999999999", 0, 0},
    {"20000000T", 0, 0},
};

START_TEST(test_size_table)
{
    const struct size_case *c = &size_cases[_i];
    uint64_t v = 7;
    ck_assert_int_eq(conf_parse_size(c->in, &v), c->ok ? 0 : -1);
    if (c->ok)
        ck_assert_uint_eq(v, c->want);
}
END_TEST

struct prefix_case {
    const char *in;
    int want; /* -1: invalid */
};

static const struct prefix_case prefix_cases[] = {
    {"name", LOG_PREFIX_NAME},
    {"name+timestamp", LOG_PREFIX_NAME_TIME},
    {"timestamp", LOG_PREFIX_NAME_TIME},
    {"none", LOG_PREFIX_NONE},
    {"Name", -1},
    {"", -1},
};

START_TEST(test_prefix_table)
{
    enum log_prefix p;
    int r = conf_parse_prefix(prefix_cases[_i].in, &p);
    if (prefix_cases[_i].want < 0)
        ck_assert_int_eq(r, -1);
    else
        ck_assert_int_eq((int)p, prefix_cases[_i].want);
}
END_TEST

static const char *write_conf(const char *text)
{
    static char path[] = "/tmp/check_conf.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

START_TEST(test_load_file)
{
    struct manager_config c;
    conf_defaults(&c);
    const char *path = write_conf(
        "# comment\n[Manager]\nLogPrefix=none\nLogColor=no\n"
        "LogMaxSize=10M\nLogMaxFiles=3\nLogMemoryLines=50\n"
        "LogMemoryBytes=64K\nControlGroup=root\n");
    ck_assert_int_eq(conf_load(path, true, &c), 0);
    unlink(path);
    ck_assert_int_eq(c.log_prefix, LOG_PREFIX_NONE);
    ck_assert(c.control_group_set);
    ck_assert_int_eq(c.control_group, 0);
    ck_assert_int_eq(c.log_color, LOG_COLOR_NEVER);
    ck_assert_uint_eq(c.log_max_size, 10 << 20);
    ck_assert_uint_eq(c.log_max_files, 3);
    ck_assert_uint_eq(c.log_lines, 50);
    ck_assert_uint_eq(c.log_bytes, 64 << 10);
}
END_TEST

START_TEST(test_bad_values_keep_defaults)
{
    struct manager_config c;
    conf_defaults(&c);
    log_set_level(LOG_LEVEL_ERROR); /* keep the expected errors quiet */
    const char *path =
        write_conf("[Manager]\nLogPrefix=bogus\nLogMaxFiles=-2\nLogMemoryLines=0\nUnknown=1\n");
    ck_assert_int_eq(conf_load(path, true, &c), -1);
    unlink(path);
    ck_assert_int_eq(c.log_prefix, LOG_PREFIX_NAME);
    ck_assert_uint_eq(c.log_max_files, CONF_DEFAULT_LOG_MAX_FILES);
    ck_assert_uint_eq(c.log_lines, 1000);
}
END_TEST

START_TEST(test_missing_file)
{
    struct manager_config c;
    conf_defaults(&c);
    log_set_level(LOG_LEVEL_ERROR);
    ck_assert_int_eq(conf_load("/nonexistent/pxinit.conf", false, &c), 0);
    ck_assert_int_eq(conf_load("/nonexistent/pxinit.conf", true, &c), -1);
}
END_TEST

static Suite *conf_suite(void)
{
    Suite *s = suite_create("conf");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_size_table, 0, sizeof(size_cases) / sizeof(size_cases[0]));
    tcase_add_loop_test(tc, test_prefix_table, 0, sizeof(prefix_cases) / sizeof(prefix_cases[0]));
    tcase_add_test(tc, test_load_file);
    tcase_add_test(tc, test_bad_values_keep_defaults);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(conf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
