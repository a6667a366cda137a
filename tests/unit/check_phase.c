/* check_phase.c - phase_step() and phase_signal() (phase.c): the daemon's
 * life decided from recorded state, not from up-calls. A pxinit with no
 * units and, where a test needs one, a real main command (a forked child in
 * its own process group), so that forwarding and the final phases are the
 * real ones. As a subreaper-less test process its only children are those a
 * test forks and reaps. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/tty.h"
#include "run/mainproc.h"
#include "run/phase.h"
#include "run/pxinit.h"

static struct pxinit px;
static int reloads;

static void hook_reload(void *ctx)
{
    reloads++;
}

static void setup(void)
{
    memset(&px, 0, sizeof(px));
    reloads = 0;
    px.loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(px.loop);
    ev_set_userdata(px.loop, &px);
    px.opts.grace_sec = 5;
    px.main.pidfd = -1;
    px.main.report_fd = -1;
    px.hooks.daemon_reload = hook_reload;
}

static void teardown(void)
{
    ev_timer_stop(px.loop, &px.main.kill_timer);
    ev_timer_stop(px.loop, &px.kill_timer);
    ev_loop_destroy(px.loop);
    free(px.termed);
}

/* A main command as mainproc_start() leaves it: running in its own group. */
static pid_t main_start(void)
{
    static char *argv[] = {"main", NULL};
    int ready[2];
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* Check's own SIGTERM handler would signal the test's group, and
         * a run under nohup would ignore SIGHUP. */
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        setpgid(0, 0);
        close(ready[0]);
        close(ready[1]); /* EOF: ready to be signalled */
        for (;;)
            pause();
    }
    close(ready[1]);
    char byte;
    ck_assert_int_eq(read(ready[0], &byte, 1), 0);
    close(ready[0]);
    ck_assert_int_eq(getpgid(pid), pid);
    px.opts.command = argv;
    px.main.pid = pid;
    px.main.started = true;
    return pid;
}

/* Waits for the main and records its exit as mainproc.c does. */
static int main_reap(pid_t pid)
{
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    mainproc_exited(&px, status);
    return status;
}

START_TEST(test_boot_waits_for_start_jobs)
{
    px.phase = PHASE_BOOT;
    px.jobq.boot_pending = 2;
    ck_assert(!phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_BOOT);
    px.jobq.boot_pending = 0;
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_RUNNING);
    ck_assert(!phase_step(&px)); /* nothing more to decide */
}
END_TEST

/* The main's exit stops the units, then signals what is left: with neither
 * units nor other children, pxinit is done at once, with the main's code. */
START_TEST(test_main_exit_ends_with_its_code)
{
    px.phase = PHASE_RUNNING;
    pid_t pid = main_start();
    ck_assert_int_eq(kill(pid, SIGUSR1), 0);
    main_reap(pid);
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_DONE);
    ck_assert_int_eq(px.exit_code, 128 + SIGUSR1);
}
END_TEST

/* FailureAction=exit while the main runs: the main is asked to stop first
 * (units stop after it), and pxinit exits with the action's code, not the
 * main's. */
START_TEST(test_exit_action_stops_main_first)
{
    px.phase = PHASE_RUNNING;
    pid_t pid = main_start();
    px.exit_code = 42;
    px.exit_code_fixed = true; /* as supervisor.c records it */
    ck_assert(phase_step(&px));
    ck_assert(px.shutdown_requested);
    ck_assert_int_eq(px.phase, PHASE_RUNNING);
    ck_assert(ev_is_active(&px.main.kill_timer)); /* SIGKILL after --grace */
    ck_assert(!phase_step(&px));                  /* the request is made once */
    int status = main_reap(pid);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_DONE);
    ck_assert_int_eq(px.exit_code, 42);
}
END_TEST

/* Without a main command an exit action shuts down at once. */
START_TEST(test_exit_action_without_main)
{
    px.phase = PHASE_RUNNING;
    px.exit_code = 3;
    px.exit_code_fixed = true;
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_DONE);
    ck_assert_int_eq(px.exit_code, 3);
}
END_TEST

/* While stop jobs are pending the phase stays; their end moves it on. */
START_TEST(test_stopping_waits_for_stop_jobs)
{
    px.phase = PHASE_STOPPING;
    px.jobq.stop_pending = 1;
    ck_assert(!phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_STOPPING);
    px.jobq.stop_pending = 0;
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_DONE);
}
END_TEST

/* Without a main command: SIGHUP reloads, SIGTERM shuts down, others are
 * ignored; none is a mere forward. */
START_TEST(test_signal_meaning_without_main)
{
    px.phase = PHASE_RUNNING;
    ck_assert(!phase_signal(&px, SIGUSR1));
    ck_assert_int_eq(px.phase, PHASE_RUNNING);
    ck_assert(!phase_signal(&px, SIGHUP));
    ck_assert_int_eq(reloads, 1);
    ck_assert(!phase_signal(&px, SIGTERM));
    ck_assert_int_eq(px.phase, PHASE_STOPPING);
    ck_assert(phase_step(&px));
    ck_assert_int_eq(px.phase, PHASE_DONE);
    ck_assert_int_eq(px.exit_code, 0);
}
END_TEST

/* With a main command every signal is forwarded to its group; only SIGTERM
 * (which arms the SIGKILL timer) and job control are more than a forward. */
START_TEST(test_signal_forwarded_to_main)
{
    px.phase = PHASE_RUNNING;
    pid_t pid = main_start();
    ck_assert(phase_signal(&px, SIGHUP)); /* a forward, not a reload */
    ck_assert_int_eq(reloads, 0);
    int status = main_reap(pid);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);

    pid = main_start();
    px.main.exited = false;
    ck_assert(!phase_signal(&px, SIGTERM));
    ck_assert(ev_is_active(&px.main.kill_timer));
    status = main_reap(pid);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}
END_TEST

START_TEST(test_ignored_job_control)
{
    sigset_t set;
    phase_signals_ignored(&px, &set);
    ck_assert(sigismember(&set, SIGTSTP) && sigismember(&set, SIGTTIN));
    static char *argv[] = {"main", NULL};
    px.opts.command = argv;
    px.main.tty_mode = TTY_MODE_FOREGROUND;
    phase_signals_ignored(&px, &set);
    ck_assert(!sigismember(&set, SIGTSTP) && sigismember(&set, SIGTTOU));
    px.main.tty_mode = TTY_MODE_SESSION;
    phase_signals_ignored(&px, &set);
    ck_assert(!sigismember(&set, SIGTSTP) && !sigismember(&set, SIGTTOU));
}
END_TEST

static Suite *phase_suite(void)
{
    Suite *s = suite_create("phase");
    TCase *tc = tcase_create("step");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_boot_waits_for_start_jobs);
    tcase_add_test(tc, test_main_exit_ends_with_its_code);
    tcase_add_test(tc, test_exit_action_stops_main_first);
    tcase_add_test(tc, test_exit_action_without_main);
    tcase_add_test(tc, test_stopping_waits_for_stop_jobs);
    suite_add_tcase(s, tc);
    tc = tcase_create("signal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_signal_meaning_without_main);
    tcase_add_test(tc, test_signal_forwarded_to_main);
    tcase_add_test(tc, test_ignored_job_control);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(phase_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
