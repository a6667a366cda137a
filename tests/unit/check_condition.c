/* check_condition.c - path conditions and asserts, with '!' and '|'. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "condition.h"
#include "unit.h"

#define CMDS(u) ((struct unit_cmds *)unit_part((u), UNIT_PART_CMDS)) /* allocates it */

static char dir[64];

static void fixture_up(void)
{
    strcpy(dir, "/tmp/check_condition.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p[128];
    snprintf(p, sizeof(p), "%s/empty", dir);
    fclose(fopen(p, "w"));
    snprintf(p, sizeof(p), "%s/full", dir);
    FILE *f = fopen(p, "w");
    fputs("x", f);
    fclose(f);
    snprintf(p, sizeof(p), "%s/exe", dir);
    f = fopen(p, "w");
    fclose(f);
    chmod(p, 0755);
    snprintf(p, sizeof(p), "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/link", dir);
    ck_assert_int_eq(symlink("full", p), 0);
}

static void fixture_down(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void add(struct unit *u, enum condition_kind kind, const char *rel, bool negate,
                bool trigger, bool is_assert)
{
    struct path_condition *v = realloc(CMDS(u)->conditions.v, (CMDS(u)->conditions.n + 1) * sizeof(*v));
    ck_assert_ptr_nonnull(v);
    CMDS(u)->conditions.v = v;
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    v[CMDS(u)->conditions.n++] = (struct path_condition){
        .path = strdup(path), .negate = negate, .trigger = trigger, .is_assert = is_assert,
        .kind = kind};
}

static const struct {
    enum condition_kind kind;
    const char *path;
    bool negate;
    bool holds;
} single[] = {
    {COND_PATH_EXISTS, "full", false, true},
    {COND_PATH_EXISTS, "missing", false, false},
    {COND_PATH_EXISTS, "missing", true, true},
    {COND_PATH_EXISTS_GLOB, "f*", false, true},
    {COND_PATH_EXISTS_GLOB, "z*", false, false},
    {COND_PATH_IS_DIRECTORY, "sub", false, true},
    {COND_PATH_IS_DIRECTORY, "full", false, false},
    {COND_PATH_IS_SYMLINK, "link", false, true},
    {COND_PATH_IS_SYMLINK, "full", false, false},
    {COND_DIRECTORY_NOT_EMPTY, "sub", false, false},
    {COND_DIRECTORY_NOT_EMPTY, ".", false, true},
    {COND_FILE_NOT_EMPTY, "full", false, true},
    {COND_FILE_NOT_EMPTY, "empty", false, false},
    {COND_FILE_NOT_EMPTY, "sub", false, false},
    {COND_FILE_IS_EXECUTABLE, "exe", false, true},
    {COND_FILE_IS_EXECUTABLE, "full", false, false},
};

START_TEST(test_single)
{
    struct unit *u = unit_new("x.service");
    const struct path_condition *c = NULL;
    add(u, single[_i].kind, single[_i].path, single[_i].negate, false, false);
    enum condition_result r = condition_check(u, &c);
    ck_assert_int_eq(r, single[_i].holds ? CONDITION_MET : CONDITION_FAILED);
    if (!single[_i].holds)
        ck_assert_ptr_eq(c, &CMDS(u)->conditions.v[0]);
    unit_free(u);
}
END_TEST

START_TEST(test_triggers)
{
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("x.service");
    /* One of the '|' conditions holding is enough... */
    add(u, COND_PATH_EXISTS, "missing", false, true, false);
    add(u, COND_PATH_EXISTS, "full", false, true, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_MET);
    /* ...but every ordinary one must hold too. */
    add(u, COND_PATH_EXISTS, "missing2", false, false, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_FAILED);
    unit_free(u);

    u = unit_new("y.service");
    add(u, COND_PATH_EXISTS, "missing", false, true, false);
    add(u, COND_PATH_EXISTS, "missing2", false, true, false);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_FAILED);
    unit_free(u);
}
END_TEST

START_TEST(test_asserts_win)
{
    const struct path_condition *c = NULL;
    struct unit *u = unit_new("x.service");
    add(u, COND_PATH_EXISTS, "missing", false, false, false);
    add(u, COND_PATH_EXISTS, "missing", false, false, true);
    ck_assert_int_eq(condition_check(u, &c), CONDITION_ASSERT_FAILED);
    ck_assert(c->is_assert);
    ck_assert_str_eq(condition_kind_name(c->kind, true), "AssertPathExists");
    unit_free(u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("condition");
    TCase *tc = tcase_create("paths");
    tcase_add_checked_fixture(tc, fixture_up, fixture_down);
    tcase_add_loop_test(tc, test_single, 0, (int)(sizeof(single) / sizeof(single[0])));
    tcase_add_test(tc, test_triggers);
    tcase_add_test(tc, test_asserts_win);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
