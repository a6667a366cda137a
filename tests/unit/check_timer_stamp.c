/* check_timer_stamp.c - Persistent= stamps: made when missing, their time
 * kept, and nothing followed or opened below the state directory but
 * regular files. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/timespan.h"
#include "run/timer_stamp.h"

static char dir[PATH_MAX], state[PATH_MAX];

static void setup(void)
{
    strcpy(dir, "/tmp/check_timer_stamp.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(state, sizeof(state), "%s/state/deep", dir);
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_made_then_kept)
{
    uint64_t t = 1;
    /* Never ran: 0, and the stamp (and the directories) exist now. */
    ck_assert_int_eq(timer_stamp_read(state, "a.timer", &t), 0);
    ck_assert_uint_eq(t, 0);
    char p[2 * PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/timers/stamp-a.timer", state);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_int_eq(timer_stamp_write(state, "a.timer", 1700000000 * USEC_PER_SEC + 5), 0);
    ck_assert_int_eq(timer_stamp_read(state, "a.timer", &t), 0);
    ck_assert_uint_eq(t, 1700000000 * USEC_PER_SEC + 5);
}
END_TEST

START_TEST(test_no_link_no_device)
{
    char p[4 * PATH_MAX], elsewhere[2 * PATH_MAX + 64];
    uint64_t t = 0;
    ck_assert_int_eq(timer_stamp_write(state, "a.timer", 0), 0);
    /* A symlinked stamp is neither followed nor replaced. */
    snprintf(elsewhere, sizeof(elsewhere), "%s/victim", dir);
    snprintf(p, sizeof(p), "%s/timers/stamp-l.timer", state);
    ck_assert_int_eq(symlink(elsewhere, p), 0);
    ck_assert_int_eq(timer_stamp_write(state, "l.timer", 0), -1);
    ck_assert_int_eq(timer_stamp_read(state, "l.timer", &t), -1);
    ck_assert_int_eq(access(elsewhere, F_OK), -1);
    /* A FIFO is not opened (it would block or be written). */
    snprintf(p, sizeof(p), "%s/timers/stamp-f.timer", state);
    ck_assert_int_eq(mkfifo(p, 0644), 0);
    ck_assert_int_eq(timer_stamp_write(state, "f.timer", 0), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(timer_stamp_read(state, "f.timer", &t), -1);
    /* A symlinked "timers" directory is not followed. */
    char other[2 * PATH_MAX + 64], st2[2 * PATH_MAX + 64];
    snprintf(other, sizeof(other), "%s/other", dir);
    ck_assert_int_eq(mkdir(other, 0755), 0);
    snprintf(st2, sizeof(st2), "%s/state2", dir);
    ck_assert_int_eq(mkdir(st2, 0755), 0);
    snprintf(p, sizeof(p), "%s/timers", st2);
    ck_assert_int_eq(symlink(other, p), 0);
    ck_assert_int_eq(timer_stamp_write(st2, "a.timer", 0), -1);
    snprintf(p, sizeof(p), "%s/stamp-a.timer", other);
    ck_assert_int_eq(access(p, F_OK), -1);
    /* A name cannot leave the directory. */
    ck_assert_int_eq(timer_stamp_write(state, "../x.timer", 0), -1);
}
END_TEST

START_TEST(test_time_out_of_range)
{
    uint64_t t = 7;
    ck_assert_int_eq(timer_stamp_write(state, "n.timer", 0), 0);
    char p[2 * PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/timers/stamp-n.timer", state);
    struct timespec tv[2] = {{-100, 0}, {-100, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, p, tv, 0), 0);
    ck_assert_int_eq(timer_stamp_read(state, "n.timer", &t), -1);
    ck_assert_uint_eq(t, 0);
}
END_TEST

static Suite *stamp_suite(void)
{
    Suite *s = suite_create("timer_stamp");
    TCase *tc = tcase_create("stamps");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_made_then_kept);
    tcase_add_test(tc, test_no_link_no_device);
    tcase_add_test(tc, test_time_out_of_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stamp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
