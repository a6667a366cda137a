/* check_mainproc.c - forwarding a signal to the main command: to its group
 * (kill(-pid), until pxinit has reaped it), to it alone, after --rewrite;
 * never once it has been reaped. The "main" is a real child of the test,
 * with a second child in its process group. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/mainproc.h"
#include "base/proc.h"
#include "run/pxinit.h"

static struct pxinit px;
static char *command[] = {"main", NULL};
static pid_t leader, member; /* the main, and a process in its group */

static pid_t child_in_group(pid_t pgid)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setpgid(0, pgid);
        for (;;)
            pause();
    }
    setpgid(pid, pgid ? pgid : pid); /* both sides, so it is in place now */
    return pid;
}

/* Main running; pidfd: whether it has one. */
static void start(bool pidfd)
{
    memset(&px, 0, sizeof(px));
    px.opts.command = command;
    leader = child_in_group(0);
    member = child_in_group(leader);
    px.main.started = true;
    px.main.pid = leader;
    px.main.pidfd = pidfd ? proc_pidfd_open(leader) : -1;
    if (pidfd)
        ck_assert_int_ge(px.main.pidfd, 0);
}

/* The signal that killed pid, 0 if it still runs (it is left alone). */
static int killed_by(pid_t pid)
{
    int status;
    for (int i = 0; i < 2000; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
        usleep(1000);
    }
    return 0;
}

static void finish(void)
{
    kill(leader, SIGKILL);
    kill(member, SIGKILL);
    waitpid(leader, NULL, 0);
    waitpid(member, NULL, 0);
    if (px.main.pidfd >= 0)
        close(px.main.pidfd);
}

/* _i: 0 with a pidfd, 1 without one: the group is reached either way. */
START_TEST(test_group)
{
    start(_i == 0);
    ck_assert_int_eq(mainproc_signal(&px, SIGUSR1), 0);
    ck_assert_int_eq(killed_by(leader), SIGUSR1);
    ck_assert_int_eq(killed_by(member), SIGUSR1);
    finish();
}
END_TEST

START_TEST(test_single_child)
{
    start(_i == 0);
    px.opts.single_child = true;
    ck_assert_int_eq(mainproc_signal(&px, SIGUSR2), 0);
    ck_assert_int_eq(killed_by(leader), SIGUSR2);
    ck_assert_int_eq(kill(member, 0), 0);
    finish();
}
END_TEST

START_TEST(test_rewrite)
{
    start(true);
    px.opts.rewrite[SIGHUP] = -1; /* HUP:0 drops it */
    px.opts.rewrite[SIGUSR1] = SIGUSR2;
    ck_assert_int_eq(mainproc_signal(&px, SIGHUP), 0);
    ck_assert_int_eq(mainproc_signal(&px, SIGUSR1), 0);
    ck_assert_int_eq(killed_by(leader), SIGUSR2); /* not HUP: dropped */
    ck_assert_int_eq(killed_by(member), SIGUSR2);
    finish();
}
END_TEST

/* Once reaped (pxinit marks it exited in the same call, main.c), nothing
 * is sent, not even to a member left in its group: the number is free to be
 * reused as soon as that member is gone. */
START_TEST(test_after_reap)
{
    start(_i == 0);
    kill(leader, SIGKILL);
    ck_assert_int_eq(killed_by(leader), SIGKILL);
    px.main.exited = true;
    ck_assert_int_eq(mainproc_signal(&px, SIGUSR1), -1);
    ck_assert_int_eq(errno, ESRCH);
    ck_assert_int_eq(kill(member, 0), 0);
    finish();
}
END_TEST

static Suite *mainproc_suite(void)
{
    Suite *s = suite_create("mainproc");
    TCase *tc = tcase_create("forward");
    tcase_add_loop_test(tc, test_group, 0, 2);
    tcase_add_loop_test(tc, test_single_child, 0, 2);
    tcase_add_test(tc, test_rewrite);
    tcase_add_loop_test(tc, test_after_reap, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mainproc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
