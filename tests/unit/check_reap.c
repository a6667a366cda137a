/* check_reap.c - the reaper: every child reported exactly once with its
 * status, by each of its three paths (the SIGCHLD's pid, a pidfd, the sweep)
 * and by all of them together; and the budget of the optional pidfds, and
 * reaping without any. The test process's own children play the
 * services; a "lost" SIGCHLD is made by taking it with sigtimedwait. A
 * signalfd read here plays signals.c's part, handing each SIGCHLD over. */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/proc.h"
#include "run/pxinit.h"
#include "run/reap.h"

enum { MAXKIDS = 400 };

static struct pxinit px;
static pid_t kid[MAXKIDS];
static int want[MAXKIDS]; /* expected wait status */
static int seen[MAXKIDS]; /* times reported */
static int got[MAXKIDS];  /* reported status */
static int nkids, nseen, stray;

static void reaped(struct pxinit *p, pid_t pid, int status)
{
    ck_assert_ptr_eq(p, &px);
    for (int i = 0; i < nkids; i++) {
        if (kid[i] == pid) {
            seen[i]++;
            got[i] = status;
            nseen++;
            if (nseen == nkids)
                ev_break(p->loop, EVBREAK_ALL);
            return;
        }
    }
    stray++;
}

static void deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    ev_break(loop, EVBREAK_ALL);
}

static ev_io sigchld_io;

static void sigchld_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct signalfd_siginfo si[8];
    ssize_t n = read(w->fd, si, sizeof(si));
    for (ssize_t i = 0; n > 0 && i < n / (ssize_t)sizeof(si[0]); i++)
        reap_sigchld(&px, (pid_t)si[i].ssi_pid, si[i].ssi_code);
}

static void setup(void)
{
    nkids = nseen = stray = 0;
    px.loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(px.loop);
    ev_set_userdata(px.loop, &px);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    ck_assert_int_eq(sigprocmask(SIG_BLOCK, &chld, NULL), 0);
    int fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ev_io_init(&sigchld_io, sigchld_cb, fd, EV_READ);
    ev_set_priority(&sigchld_io, EV_MAXPRI);
    ev_io_start(px.loop, &sigchld_io);
    ck_assert_int_eq(reap_start(&px, reaped), 0);
}

static void teardown(void)
{
    reap_stop(&px);
    ev_io_stop(px.loop, &sigchld_io);
    close(sigchld_io.fd);
    ev_loop_destroy(px.loop);
}

/* Runs the loop until every child was reported, for at most 10 s. */
static void run_until_all(void)
{
    ev_timer deadline;
    ev_timer_init(&deadline, deadline_cb, 10., 0.);
    ev_timer_start(px.loop, &deadline);
    if (nseen < nkids)
        ev_run(px.loop, 0);
    ev_timer_stop(px.loop, &deadline);
    for (int i = 0; i < nkids; i++) {
        ck_assert_msg(seen[i] == 1, "child %d (pid %d) reported %d times", i, (int)kid[i], seen[i]);
        ck_assert_msg(got[i] == want[i], "child %d: status %#x, want %#x", i, got[i], want[i]);
    }
    ck_assert_int_eq(stray, 0);
}

static int gate[2] = {-1, -1}; /* children wait for its write end to close */

/* Forks a child that exits with code (or is killed by SIGKILL when code < 0),
 * at once or, when wait_gate, once the gate closes. */
static pid_t fork_kid(bool wait_gate, int code)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char c;
        if (wait_gate) {
            close(gate[1]);
            while (read(gate[0], &c, 1) < 0)
                ;
        }
        if (code < 0)
            raise(SIGKILL);
        _exit(code);
    }
    kid[nkids] = pid;
    want[nkids] = code < 0 ? SIGKILL : (code << 8);
    seen[nkids] = got[nkids] = 0;
    nkids++;
    return pid;
}

/* Blocks until pid is a zombie, without reaping it. */
static void wait_zombie(pid_t pid)
{
    siginfo_t si;
    ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
}

/* Takes the pending SIGCHLD away, as if it had merged with another. */
static void steal_sigchld(void)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&chld, NULL, &zero) == SIGCHLD)
        ;
}

/* Let the start-up sweep run, so that later tests see only their own paths. */
static void settle(void)
{
    ev_run(px.loop, EVRUN_NOWAIT);
    ev_run(px.loop, EVRUN_NOWAIT);
}

START_TEST(test_many_exit_together)
{
    ck_assert_int_eq(pipe(gate), 0);
    for (int i = 0; i < MAXKIDS; i++) {
        pid_t pid = fork_kid(true, i % 7 == 0 ? -1 : i % 200);
        if (i % 2 == 0) /* half of them with a pidfd, as services have */
            reap_watch(&px, pid, proc_pidfd_open(pid));
    }
    close(gate[0]);
    close(gate[1]); /* all of them exit now, their SIGCHLDs merging */
    run_until_all();
}
END_TEST

START_TEST(test_died_before_start)
{
    /* A fresh reaper, after its children died: the first sweep finds them. */
    reap_stop(&px);
    for (int i = 0; i < 5; i++)
        wait_zombie(fork_kid(false, 10 + i));
    steal_sigchld();
    ck_assert_int_eq(reap_start(&px, reaped), 0);
    run_until_all();
}
END_TEST

START_TEST(test_pidfd_without_sigchld)
{
    settle();
    pid_t pid = fork_kid(false, 3);
    reap_watch(&px, pid, proc_pidfd_open(pid));
    wait_zombie(pid);
    steal_sigchld();
    run_until_all();
}
END_TEST

START_TEST(test_sweep_finds_merged_orphan)
{
    settle();
    /* An orphan (no pidfd) whose SIGCHLD is lost... */
    wait_zombie(fork_kid(false, 4));
    steal_sigchld();
    /* ...is found by the sweep that the next SIGCHLD brings. */
    fork_kid(false, 5);
    run_until_all();
    ck_assert_uint_ge(px.reaper.sweeps, 2);
}
END_TEST

/* Intermediates whose SIGCHLDs were all lost (a long boot pass): each is
 * reaped by pid at the next reap_expect(), not left to a sweep; one still
 * running stays expected; a pid reaped meanwhile by another path is
 * forgotten without a report. */
START_TEST(test_expected_reaped_by_pid)
{
    settle();
    unsigned long sweeps = px.reaper.sweeps;
    ck_assert_int_eq(pipe(gate), 0);
    pid_t late = fork_kid(true, 9); /* runs until the gate closes */
    reap_expect(&px, late);
    for (int i = 0; i < 50; i++) {
        pid_t pid = fork_kid(false, i);
        wait_zombie(pid);
        reap_expect(&px, pid); /* reaps the previous ones */
    }
    steal_sigchld();
    ck_assert_int_eq(nseen, 49);
    ck_assert_uint_eq(px.reaper.nexpect, 2); /* late, and the last one */
    close(gate[0]);
    close(gate[1]);
    wait_zombie(late);
    steal_sigchld();
    reap_expect(&px, 1); /* never our child (ECHILD)... */
    ck_assert_int_eq(nseen, 51);
    reap_expect(&px, 1); /* ...so the next call drops it */
    ck_assert_uint_eq(px.reaper.nexpect, 1);
    ck_assert_uint_eq(px.reaper.sweeps, sweeps); /* no walk over all children */
    run_until_all();
}
END_TEST

START_TEST(test_stale_sigchld_sweeps_at_once)
{
    settle();
    ev_now_update(px.loop);
    px.reaper.last_sweep = ev_now(px.loop); /* a sweep just ran: the next is 20 ms off */
    /* B exits and its SIGCHLD is lost... */
    wait_zombie(fork_kid(false, 6));
    steal_sigchld();
    /* ...then A, reaped behind the reaper's back, as its pidfd path would:
     * the pending SIGCHLD names a pid that is gone. */
    pid_t a = fork();
    ck_assert_int_ge(a, 0);
    if (a == 0)
        _exit(7);
    ck_assert_int_eq(waitpid(a, NULL, 0), a);
    for (int i = 0; i < 3 && nseen < nkids; i++)
        ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_msg(nseen == 1, "B not swept at once after a stale SIGCHLD");
    run_until_all();
}
END_TEST

/* A restart's intermediate is reaped by pid (reap_expected) before its own
 * SIGCHLD is read. That late SIGCHLD names a pid gone for a known reason: it
 * must not set off a walk over every child at once (0.5 ms per restart at
 * 10,000 units), as one for a pid reaped behind the reaper's back does. */
START_TEST(test_late_sigchld_of_expected_no_sweep)
{
    settle();
    ev_now_update(px.loop);
    px.reaper.last_sweep = ev_now(px.loop); /* a sweep just ran: the next is 20 ms off */
    unsigned long sweeps = px.reaper.sweeps;
    pid_t first = fork_kid(false, 3);
    wait_zombie(first);
    reap_expect(&px, first);
    pid_t second = fork_kid(false, 4);
    wait_zombie(second);
    reap_expect(&px, second); /* reaps the first by pid; its SIGCHLD is still pending */
    ck_assert_int_eq(nseen, 1);
    /* Again here: two forks under ASan on a loaded machine can outlast the
     * 20 ms, and a sweep due by the clock is not what this is about. */
    ev_now_update(px.loop);
    px.reaper.last_sweep = ev_now(px.loop);
    for (int i = 0; i < 3; i++) /* the SIGCHLD, then a sweep set to run at once */
        ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_int_eq(nseen, 2); /* the second, expected, by pid too */
    ck_assert_uint_eq(px.reaper.sweeps, sweeps);
    run_until_all();
}
END_TEST

START_TEST(test_no_pidfds_many_exit_together)
{
    /* Beyond the pidfd budget (reap.h) children have none: their SIGCHLDs
     * and the sweep must still report each exactly once. */
    ck_assert_int_eq(pipe(gate), 0);
    for (int i = 0; i < MAXKIDS; i++)
        fork_kid(true, i % 5 == 0 ? -1 : i % 100);
    close(gate[0]);
    close(gate[1]);
    run_until_all();
}
END_TEST

START_TEST(test_pidfd_budget)
{
    settle();
    px.reaper.fd_room = 3; /* px.output is NULL: no output fds count */
    int fd[5];
    ck_assert_int_eq(pipe(gate), 0);
    for (int i = 0; i < 5; i++)
        fd[i] = reap_pidfd_open(&px, fork_kid(true, 20 + i), true);
    for (int i = 0; i < 5; i++)
        ck_assert_msg((fd[i] >= 0) == (i < 3), "child %d: pidfd %d", i, fd[i]);
    ck_assert_uint_eq(px.reaper.npidfds, 3);
    /* A process pxinit did not spawn gets one whatever the budget. */
    int other = reap_pidfd_open(&px, getppid(), false);
    ck_assert_int_ge(other, 0);
    ck_assert_uint_eq(px.reaper.npidfds, 4);
    reap_pidfd_close(&px, &other);
    ck_assert_int_eq(other, -1);
    close(gate[0]);
    close(gate[1]);
    run_until_all();
    for (int i = 0; i < 5; i++)
        reap_pidfd_close(&px, &fd[i]);
    ck_assert_uint_eq(px.reaper.npidfds, 0);
}
END_TEST

static Suite *reap_suite(void)
{
    Suite *s = suite_create("reap");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_many_exit_together);
    tcase_add_test(tc, test_died_before_start);
    tcase_add_test(tc, test_pidfd_without_sigchld);
    tcase_add_test(tc, test_sweep_finds_merged_orphan);
    tcase_add_test(tc, test_stale_sigchld_sweeps_at_once);
    tcase_add_test(tc, test_expected_reaped_by_pid);
    tcase_add_test(tc, test_late_sigchld_of_expected_no_sweep);
    tcase_add_test(tc, test_no_pidfds_many_exit_together);
    tcase_add_test(tc, test_pidfd_budget);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reap_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
