/* check_proc_signal.c - proc_signal_group(), the one "signal the group,
 * else the process" (base/proc.c): the group when there is one, the process
 * (through its pidfd) when there is none or the group is gone, nothing and
 * ESRCH when neither is given, and never kill(0) or kill(-1). */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/proc.h"

/* A child that waits for a signal in a process group of its own. */
static pid_t child_in_own_group(void)
{
    /* Before the fork, so no signal finds the child ignoring it: a run
     * under nohup would ignore SIGHUP. */
    signal(SIGHUP, SIG_DFL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        setpgid(0, 0);
        for (;;)
            pause();
    }
    (void)setpgid(pid, pid); /* both sides: no race with the first signal */
    return pid;
}

/* The signal that ended pid, within 5 s; 0 when it did not die of one. */
static int death_signal(pid_t pid)
{
    struct timespec deadline, now;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 5;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > deadline.tv_sec ||
            (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return 0;
        }
        usleep(1000);
    }
}

START_TEST(test_group)
{
    pid_t pid = child_in_own_group();
    /* Not the pid: only the group is named. */
    ck_assert_int_eq(proc_signal_group(pid, 0, -1, SIGUSR1), 0);
    ck_assert_int_eq(death_signal(pid), SIGUSR1);
}
END_TEST

START_TEST(test_pid_through_pidfd)
{
    pid_t pid = child_in_own_group();
    int pidfd = proc_pidfd_open(pid);
    ck_assert_int_eq(proc_signal_group(0, pid, pidfd, SIGUSR2), 0);
    ck_assert_int_eq(death_signal(pid), SIGUSR2);
    if (pidfd >= 0) {
        /* Reaped: the pidfd knows, and no pid by that number is signalled. */
        ck_assert_int_eq(proc_signal_group(0, pid, pidfd, SIGTERM), -1);
        ck_assert_int_eq(errno, ESRCH);
        close(pidfd);
    }
}
END_TEST

/* A group that is gone (no member left) falls back to the process. */
START_TEST(test_group_gone_falls_back)
{
    pid_t gone = child_in_own_group();
    kill(gone, SIGKILL);
    ck_assert_int_eq(death_signal(gone), SIGKILL);
    pid_t pid = child_in_own_group();
    ck_assert_int_eq(proc_signal_group(gone, pid, -1, SIGHUP), 0);
    ck_assert_int_eq(death_signal(pid), SIGHUP);
    /* Without a process to fall back on: the group's error. */
    ck_assert_int_eq(proc_signal_group(gone, 0, -1, SIGHUP), -1);
    ck_assert_int_eq(errno, ESRCH);
}
END_TEST

/* 0 and 1 are no groups (kill(0) is our own group, kill(-1) everyone):
 * signal 0 only, so a bug here cannot hurt. */
START_TEST(test_nothing)
{
    errno = 0;
    ck_assert_int_eq(proc_signal_group(0, 0, -1, 0), -1);
    ck_assert_int_eq(errno, ESRCH);
    errno = 0;
    ck_assert_int_eq(proc_signal_group(1, 0, -1, 0), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_int_eq(proc_signal_group(-5, 0, -1, 0), -1);
    ck_assert_int_eq(errno, ESRCH);
}
END_TEST

static Suite *proc_signal_suite(void)
{
    Suite *s = suite_create("proc_signal");
    TCase *tc = tcase_create("group");
    tcase_add_test(tc, test_group);
    tcase_add_test(tc, test_pid_through_pidfd);
    tcase_add_test(tc, test_group_gone_falls_back);
    tcase_add_test(tc, test_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(proc_signal_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
