/* check_glob_exists.c - glob_exists() (ConditionPathExistsGlob=) gives
 * glob(3)'s answer: the same patterns asked of both in a scratch tree. */
#include <check.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/glob_exists.h"

static char root[PATH_MAX];

static void touch(const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void mkdir_in(const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void setup(void)
{
    snprintf(root, sizeof(root), "%s/pxinit-glob.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(root));
    mkdir_in("d");
    mkdir_in("d/sub");
    mkdir_in("empty");
    mkdir_in("closed");
    touch("d/a.conf");
    touch("d/.hidden");
    touch("d/sub/x.txt");
    touch("d/star*name");
    touch("d/br[ket");
    touch("file");
    touch("closed/inside");
    char p[PATH_MAX * 2], t[PATH_MAX * 2];
    snprintf(p, sizeof(p), "%s/dangling", root);
    ck_assert_int_eq(symlink("/nonexistent/pxinit", p), 0);
    snprintf(p, sizeof(p), "%s/dlink", root);
    snprintf(t, sizeof(t), "%s/d", root);
    ck_assert_int_eq(symlink(t, p), 0);
}

static const char *const patterns[] = {
    "d/*.conf",
    "d/*.none",
    "d/*",
    "empty/*",
    "empty/.*",
    "d/.*",
    "d/.h*",
    "d/*hidden",
    "d/?.conf",
    "d/??.conf",
    "d/[ab].conf",
    "d/[!a].conf",
    "d/[[:alpha:]].conf",
    "d/sub/*.txt",
    "d/*/x.txt",
    "*/sub/x.txt",
    "*/*/*",
    "*/*/*/*",
    "d/sub/",
    "d/a.conf/",
    "d*/",
    "file*/",
    "*/sub/",
    "d/sub/x.txt//",
    "dangl*/",
    "d/*/",
    "file/",
    "file/*",
    "file",
    "nope",
    "nope/*",
    "d/a.conf",
    "d//a.conf",
    "d/./a.conf",
    "d/../d/*.conf",
    "dangling",
    "dangl*",
    "dlink/*.conf",
    "dlink/",
    "d*/sub",
    "d/star\\*name",
    "d/star\\*",
    "d/s*\\*name",
    "d/br[ket",
    "d/br\\[ket",
    "d/br[k]et",
    "closed/*",
    "closed/inside",
    "*",
    ".*",
    "[",
    "d/[",
    "\\d/a.conf",
    "**/x.txt",
    "d/sub/x.txt/",
    "d/*.conf/",
};

/* What glob(3) says about pattern under root. */
static bool glob_says(const char *pattern)
{
    glob_t g;
    bool r = glob(pattern, GLOB_NOSORT, NULL, &g) == 0;
    if (r)
        globfree(&g);
    return r;
}

START_TEST(test_as_glob_relative)
{
    char cwd[PATH_MAX];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_int_eq(chdir(root), 0);
    for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
        ck_assert_msg(glob_exists(patterns[i]) == glob_says(patterns[i]), "%s: glob says %d",
                      patterns[i], glob_says(patterns[i]));
    ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_as_glob_absolute)
{
    char p[PATH_MAX * 2];
    for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", root, patterns[i]);
        ck_assert_msg(glob_exists(p) == glob_says(p), "%s: glob says %d", p, glob_says(p));
    }
    ck_assert(glob_exists("/"));
    ck_assert(glob_exists("/*"));
    ck_assert(!glob_exists(""));
    ck_assert(!glob_exists(NULL));
}
END_TEST

/* A directory pxinit may not read holds no match, as for glob(). */
START_TEST(test_unreadable)
{
    if (geteuid() == 0)
        return; /* root reads it anyway */
    char p[PATH_MAX * 2];
    snprintf(p, sizeof(p), "%s/closed", root);
    ck_assert_int_eq(chmod(p, 0), 0);
    snprintf(p, sizeof(p), "%s/closed/*", root);
    ck_assert(glob_exists(p) == glob_says(p));
    snprintf(p, sizeof(p), "%s/closed", root);
    ck_assert_int_eq(chmod(p, 0755), 0);
}
END_TEST

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    ck_assert_int_eq(system(cmd), 0);
}

int main(void)
{
    Suite *s = suite_create("glob_exists");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_as_glob_relative);
    tcase_add_test(tc, test_as_glob_absolute);
    tcase_add_test(tc, test_unreadable);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
