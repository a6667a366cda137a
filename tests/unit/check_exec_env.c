/* check_exec_env.c - EnvironmentFile= parsing and the order in which a
 * command's environment is assembled (base, Environment=, files, MAINPID). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/exec_env.h"
#include "unit/unit.h"

#define EXEC(u) ((struct unit_exec *)unit_part((u), UNIT_PART_EXEC)) /* allocates it */

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/check_exec_env.XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static const struct {
    const char *file;
    const char *key;
    const char *want; /* NULL: not set */
} envfile_cases[] = {
    {"A=1\n", "A", "1"},
    {"# comment\nA=1\n", "A", "1"},
    {"; comment\nA=1\n", "A", "1"},
    {"  A = spaced  \n", "A", "spaced"},
    {"A=\"double quoted\"\n", "A", "double quoted"},
    {"A='single quoted'\n", "A", "single quoted"},
    {"A=\"with \\\"escape\\\"\"\n", "A", "with \"escape\""},
    {"A=one \\\ntwo\n", "A", "one two"},
    {"export A=exported\n", "A", "exported"},
    {"A=1\nA=2\n", "A", "2"},
    {"not an assignment\nB=2\n", "B", "2"},
    {"A=1\r\n", "A", "1"},
    {"A=\n", "A", ""},
    {"=novalue\n", "", NULL},
};

START_TEST(test_envfile)
{
    char *path = write_temp(envfile_cases[_i].file);
    struct strv env = {0};
    ck_assert_int_eq(envfile_load(path, &env), 0);
    const char *key = envfile_cases[_i].key;
    const char *got = env_get(&env, key, strlen(key));
    if (envfile_cases[_i].want)
        ck_assert_pstr_eq(got, envfile_cases[_i].want);
    else
        ck_assert_ptr_null(got);
    strv_clear(&env);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_envfile_missing)
{
    struct strv env = {0};
    ck_assert_int_eq(envfile_load("/nonexistent/env", &env), -1);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_build_order)
{
    char *path = write_temp("FILE=f\nBOTH=from-file\n");
    char *optional = malloc(strlen(path) + 20);
    struct unit *u = unit_new("x.service");
    struct strv base = {0}, env = {0};
    const char *bad = NULL;

    strv_push(&base, "BASE=b");
    strv_push(&base, "BOTH=from-base");
    strv_push(&EXEC(u)->environment, "UNIT=u");
    strv_push(&EXEC(u)->environment, "BOTH=from-unit");
    strv_push(&EXEC(u)->environment_files, path);
    strcpy(optional, "-/nonexistent/env");
    strv_push(&EXEC(u)->environment_files, optional);
    ck_assert_int_eq(exec_env_build(u, &base, NULL, 1234, &env, &bad), 0);
    ck_assert_pstr_eq(env_get(&env, "BASE", 4), "b");
    ck_assert_pstr_eq(env_get(&env, "UNIT", 4), "u");
    ck_assert_pstr_eq(env_get(&env, "FILE", 4), "f");
    /* files override Environment=, which overrides pxinit's own */
    ck_assert_pstr_eq(env_get(&env, "BOTH", 4), "from-file");
    ck_assert_pstr_eq(env_get(&env, "MAINPID", 7), "1234");
    strv_clear(&env);

    /* a missing file without '-' fails and names the file */
    strv_push(&EXEC(u)->environment_files, "/nonexistent/required");
    ck_assert_int_eq(exec_env_build(u, &base, NULL, 0, &env, &bad), -1);
    ck_assert_pstr_eq(bad, "/nonexistent/required");
    strv_clear(&env);

    strv_clear(&base);
    unit_free(u);
    unlink(path);
    free(path);
    free(optional);
}
END_TEST

static Suite *exec_env_suite(void)
{
    Suite *s = suite_create("exec_env");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_envfile, 0,
                        (int)(sizeof(envfile_cases) / sizeof(envfile_cases[0])));
    tcase_add_test(tc, test_envfile_missing);
    tcase_add_test(tc, test_build_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(exec_env_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
