/* check_runlock.c - one daemon per runtime directory: the lock is taken
 * once, a second process is refused and told the holder's pid, the lock
 * goes with its holder, a symlink is not followed; and the daemon's argv:
 * the main command only after "--", the closest verb for a typo. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wire/verbs.h"
#include "config/options.h"
#include "base/runlock.h"

static char dir[] = "/tmp/check_runlock.XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/check_runlock.XXXXXX");
}

/* What runlock_take() says in a child process (exit status). */
static int take_in_child(const char *d, pid_t expect_holder)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd;
        struct runlock_holder h;
        enum runlock_result r = runlock_take(d, &fd, &h);
        _exit(r == RUNLOCK_BUSY ? (h.pid == expect_holder ? 10 : 11) : r == RUNLOCK_HELD ? 20 : 30);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

START_TEST(test_second_refused)
{
    int fd;
    struct runlock_holder h;
    char sub[256];
    snprintf(sub, sizeof(sub), "%s/run", dir); /* made on the way */
    ck_assert_int_eq(runlock_take(sub, &fd, &h), RUNLOCK_HELD);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(take_in_child(sub, getpid()), 10);
    close(fd); /* the holder is gone: the next one takes it */
    ck_assert_int_eq(take_in_child(sub, 0), 20);
}
END_TEST

START_TEST(test_pid_in_file)
{
    int fd;
    struct runlock_holder h;
    ck_assert_int_eq(runlock_take(dir, &fd, &h), RUNLOCK_HELD);
    char path[256], buf[32] = "";
    snprintf(path, sizeof(path), "%s/lock", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
    fclose(f);
    ck_assert_int_eq(atoi(buf), getpid());
    close(fd);
}
END_TEST

START_TEST(test_symlink_not_followed)
{
    char path[256], target[256];
    snprintf(path, sizeof(path), "%s/lock", dir);
    snprintf(target, sizeof(target), "%s/elsewhere", dir);
    ck_assert_int_eq(symlink(target, path), 0);
    int fd;
    struct runlock_holder h;
    ck_assert_int_eq(runlock_take(dir, &fd, &h), RUNLOCK_UNAVAILABLE);
    struct stat st;
    ck_assert_int_lt(lstat(target, &st), 0);
}
END_TEST

static enum options_result parse(struct options *o, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    /* Usage errors go to stderr: keep the test's output clean. */
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    enum options_result r = options_parse(o, argc, argv);
    fclose(stderr);
    stderr = saved;
    return r;
}

START_TEST(test_main_after_dashdash)
{
    struct options o;
    char *a1[] = {"pxinit", "-v", "--", "sleep", "1", NULL};
    ck_assert_int_eq(parse(&o, a1), OPTIONS_OK);
    ck_assert_ptr_nonnull(o.command);
    ck_assert_str_eq(o.command[0], "sleep");
    options_free(&o);
    char *a2[] = {"pxinit", "-vq", "--", "--", NULL}; /* a command named -- */
    ck_assert_int_eq(parse(&o, a2), OPTIONS_OK);
    ck_assert_str_eq(o.command[0], "--");
    options_free(&o);
    char *a3[] = {"pxinit", "--no-units", NULL};
    ck_assert_int_eq(parse(&o, a3), OPTIONS_OK);
    ck_assert_ptr_null(o.command);
    options_free(&o);
}
END_TEST

/* The daemon moves to "/" before it uses its paths: relative ones are
 * the launch directory's. */
START_TEST(test_relative_paths)
{
    struct options o;
    ck_assert_int_eq(chdir("/tmp"), 0);
    char *a[] = {"pxinit", "-u",          "units", "-u", "/etc/u",  "-R",
                 "run",    "--state-dir", "st",    "-c", "/x.conf", NULL};
    ck_assert_int_eq(parse(&o, a), OPTIONS_OK);
    ck_assert_str_eq(o.unit_dirs.v[0], "/tmp/units");
    ck_assert_str_eq(o.unit_dirs.v[1], "/etc/u");
    ck_assert_str_eq(o.runtime_dir, "/tmp/run");
    ck_assert_str_eq(o.state_dir, "/tmp/st");
    ck_assert_str_eq(o.config, "/x.conf");
    options_free(&o);
    ck_assert_int_eq(chdir("/"), 0);
    char *b[] = {"pxinit", "-u", "units", NULL};
    ck_assert_int_eq(parse(&o, b), OPTIONS_OK);
    ck_assert_str_eq(o.unit_dirs.v[0], "/units");
    options_free(&o);
}
END_TEST

START_TEST(test_stray_word)
{
    struct options o;
    char *a1[] = {"pxinit", "stauts", NULL};
    ck_assert_int_eq(parse(&o, a1), OPTIONS_USAGE_ERROR);
    options_free(&o);
    char *a2[] = {"pxinit", "--no-units", "sleep", "1", NULL};
    ck_assert_int_eq(parse(&o, a2), OPTIONS_USAGE_ERROR);
    options_free(&o);
    /* "--" as the argument of -R is no separator. */
    char *a3[] = {"pxinit", "-R", "--", "sleep", NULL};
    ck_assert_int_eq(parse(&o, a3), OPTIONS_USAGE_ERROR);
    options_free(&o);
}
END_TEST

START_TEST(test_closest_verb)
{
    ck_assert_str_eq(verb_closest("stauts"), "status");
    ck_assert_str_eq(verb_closest("statsu"), "status");
    ck_assert_str_eq(verb_closest("restrat"), "restart");
    ck_assert_str_eq(verb_closest("daemon-relaod"), "daemon-reload");
    ck_assert_str_eq(verb_closest("lsit"), "list");
    ck_assert_str_eq(verb_closest("stpo"), "stop");
    ck_assert_ptr_null(verb_closest("frobnicate"));
    ck_assert_ptr_null(verb_closest("sleep"));
    ck_assert_ptr_null(verb_closest("nginx"));
    ck_assert_ptr_null(verb_closest(""));
}
END_TEST

static Suite *runlock_suite(void)
{
    Suite *s = suite_create("runlock");
    TCase *tc = tcase_create("lock");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_second_refused);
    tcase_add_test(tc, test_pid_in_file);
    tcase_add_test(tc, test_symlink_not_followed);
    suite_add_tcase(s, tc);
    tc = tcase_create("argv");
    tcase_add_test(tc, test_main_after_dashdash);
    tcase_add_test(tc, test_relative_paths);
    tcase_add_test(tc, test_stray_word);
    tcase_add_test(tc, test_closest_verb);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(runlock_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
