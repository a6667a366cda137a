/* check_service.c - the service state machine, driven through its svc_ops
 * seam with synthetic events: nothing forks, no signal is sent, the clock is
 * a number the test moves.
 *
 * Covers the start paths of Type=simple, exec and oneshot (ExecStartPre=,
 * ExecStartPost=, several ExecStart= in turn, RemainAfterExit=, the '-'
 * prefix), how a main exit is judged and restarted (Restart=, RestartSec=),
 * the stop path (ExecStop=, KillSignal=, KillMode=, TimeoutStopSec=,
 * SendSIGKILL=, ExecStopPost=), start timeouts, the start rate limit,
 * restart requests, spawn failures, pids that arrive after a stop began,
 * Condition*=/Assert*= (answered by the fake ops), and ExecReload=. The fake
 * ops are in svc_fake.c; the states x events table of doc/DESIGN.md is
 * checked by check_service_table.c.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/unit_type.h"
#include "svc_fake.h"

/* ---- names ------------------------------------------------------------------ */

START_TEST(test_state_of)
{
    static const struct {
        enum svc_sub sub;
        const char *name, *state;
    } rows[] = {
        {SUB_DEAD, "dead", "inactive"},
        {SUB_START_PRE, "start-pre", "activating"},
        {SUB_START, "start", "activating"},
        {SUB_START_POST, "start-post", "activating"},
        {SUB_RUNNING, "running", "active"},
        {SUB_EXITED, "exited", "active"},
        {SUB_STOP, "stop", "deactivating"},
        {SUB_STOP_SIGTERM, "stop-sigterm", "deactivating"},
        {SUB_STOP_SIGKILL, "stop-sigkill", "deactivating"},
        {SUB_STOP_POST, "stop-post", "deactivating"},
        {SUB_FINAL_SIGTERM, "final-sigterm", "deactivating"},
        {SUB_FINAL_SIGKILL, "final-sigkill", "deactivating"},
        {SUB_FAILED, "failed", "failed"},
        {SUB_AUTO_RESTART, "auto-restart", "activating"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        ck_assert_str_eq(svc_sub_name(rows[i].sub), rows[i].name);
        ck_assert_str_eq(svc_state_name(svc_state_of(rows[i].sub)), rows[i].state);
    }
}
END_TEST

START_TEST(test_init_is_dead)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    assert_sub(h, "dead");
    ck_assert(svc_is_settled(&h->s));
    ck_assert(!svc_is_busy_starting(&h->s));
    ck_assert_int_eq(h->s.main.pidfd, -1);
    ck_assert_int_eq(h->s.control.pidfd, -1);
    ck_assert_uint_eq(h->nacts, 0);
    h_free(h);
}
END_TEST

/* daemon-reload gives a service a new definition: its name follows the unit
 * it lives in, so the old one can be freed. */
START_TEST(test_set_unit)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    struct unit *u = unit_new("x.service");
    ck_assert_ptr_nonnull(u);
    exec_add(&u->exec_start, "/bin/other");
    svc_set_unit(&h->s, u);
    ck_assert_ptr_eq(h->s.unit, u);
    unit_free(h->u);
    h->u = u;
    ck_assert_str_eq(h->s.name, "x");
    ck_assert_ptr_eq(h->s.name, unit_name_short(u));
    assert_sub(h, "dead");
    h_free(h);
}
END_TEST

/* ---- Type=simple and exec ---------------------------------------------------- */

START_TEST(test_simple_start)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main --flag");

    svc_start(&h->s, true);
    /* Active as soon as it is spawned, pid or not: that is Type=simple. */
    assert_sub(h, "running");
    ck_assert_int_eq(svc_state_of(h->s.sub), SVC_ACTIVE);
    ck_assert(!svc_is_busy_starting(&h->s));
    assert_spawns(h, 1);
    ck_assert(h_spawn(h, 0)->is_main);
    ck_assert_str_eq(h_spawn(h, 0)->line, "/bin/main --flag");
    ck_assert(h->s.main.pending);
    assert_no_timer(h);

    pid_t pid = h_started(h, &h->s.main);
    ck_assert_int_eq(h->s.main.pid, pid);
    assert_sub(h, "running");
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    /* dead -> start -> running, in that order */
    ck_assert_int_eq(h_nth(h, ACT_STATE, 0, 0)->sub, SUB_START);
    ck_assert_int_eq(h_nth(h, ACT_STATE, 0, 1)->sub, SUB_RUNNING);
    ck_assert_uint_eq(h_count(h, ACT_STATE, 0), 2);

    /* A second start of an active unit changes nothing. */
    size_t mark = h->nacts;
    svc_start(&h->s, false);
    ck_assert_uint_eq(h->nacts, mark);
    h_free(h);
}
END_TEST

START_TEST(test_simple_since)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->now = SEC(42);
    h_run(h);
    ck_assert_uint_eq(h->s.since_usec, SEC(42));
    h_free(h);
}
END_TEST

/* How a main exit ends a running Type=simple unit under each Restart=. */
static const struct {
    const char *label;
    int status;
    enum restart_policy restart;
    const char *sub, *result;
} main_exit_rows[] = {
    {"exit 0, Restart=no", WS_EXIT(0), RESTART_NO, "dead", "success"},
    {"exit 1, Restart=no", WS_EXIT(1), RESTART_NO, "failed", "exit-code"},
    {"SIGTERM, Restart=no", WS_SIGNAL(SIGTERM), RESTART_NO, "dead", "success"},
    {"SIGKILL, Restart=no", WS_SIGNAL(SIGKILL), RESTART_NO, "failed", "signal"},
    {"SIGSEGV core, Restart=no", WS_CORE(SIGSEGV), RESTART_NO, "failed", "core-dump"},
    {"exit 0, Restart=always", WS_EXIT(0), RESTART_ALWAYS, "auto-restart", "success"},
    {"exit 1, Restart=always", WS_EXIT(1), RESTART_ALWAYS, "auto-restart", "exit-code"},
    {"exit 0, Restart=on-failure", WS_EXIT(0), RESTART_ON_FAILURE, "dead", "success"},
    {"exit 1, Restart=on-failure", WS_EXIT(1), RESTART_ON_FAILURE, "auto-restart", "exit-code"},
    {"SIGKILL, Restart=on-failure", WS_SIGNAL(SIGKILL), RESTART_ON_FAILURE, "auto-restart",
     "signal"},
    {"exit 0, Restart=on-success", WS_EXIT(0), RESTART_ON_SUCCESS, "auto-restart", "success"},
    {"exit 1, Restart=on-success", WS_EXIT(1), RESTART_ON_SUCCESS, "failed", "exit-code"},
    {"exit 1, Restart=on-abnormal", WS_EXIT(1), RESTART_ON_ABNORMAL, "failed", "exit-code"},
    {"SIGKILL, Restart=on-abnormal", WS_SIGNAL(SIGKILL), RESTART_ON_ABNORMAL, "auto-restart",
     "signal"},
    {"exit 1, Restart=on-abort", WS_EXIT(1), RESTART_ON_ABORT, "failed", "exit-code"},
    {"SIGABRT core, Restart=on-abort", WS_CORE(SIGABRT), RESTART_ON_ABORT, "auto-restart",
     "core-dump"},
};

START_TEST(test_simple_main_exit)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = main_exit_rows[_i].restart;
    h_run(h);
    h_exit(h, &h->s.main, main_exit_rows[_i].status);

    ck_assert_msg(strcmp(svc_sub_name(h->s.sub), main_exit_rows[_i].sub) == 0, "%s: %s, want %s",
                  main_exit_rows[_i].label, svc_sub_name(h->s.sub), main_exit_rows[_i].sub);
    assert_result(h, main_exit_rows[_i].result);
    ck_assert(h->s.have_exit);
    ck_assert_int_eq(h->s.last_status, main_exit_rows[_i].status);
    /* Its group was empty: nothing to signal. */
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    if (h->s.sub == SUB_AUTO_RESTART) {
        assert_state(h, "activating");
        assert_timer(h, MSEC(100)); /* RestartSec= default */
    } else {
        assert_no_timer(h);
        ck_assert(svc_is_settled(&h->s));
    }
    assert_spawns(h, 1);
    h_free(h);
}
END_TEST

/* The main exits but leaves a child in its group: that is stopped first. */
START_TEST(test_simple_main_exit_leaves_group)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->timeout_stop_usec = SEC(3);
    h_run(h);
    pid_t pgid = h->s.main.pgid;
    h->group_alive = true;
    h_exit(h, &h->s.main, WS_EXIT(0));

    assert_sub(h, "stop-sigterm");
    const struct act *k = h_kill_of(h, SIGTERM, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert(k->group);
    ck_assert(k->is_main);
    ck_assert_int_eq(k->pgid, pgid);
    /* A stopped group would never see the SIGTERM. */
    ck_assert_ptr_nonnull(h_kill_of(h, SIGCONT, 0));
    assert_timer(h, SEC(3));

    svc_reaped_other(&h->s); /* someone else reaped, the group is not empty */
    assert_sub(h, "stop-sigterm");

    h->group_alive = false;
    svc_reaped_other(&h->s);
    assert_sub(h, "dead");
    assert_result(h, "success");
    assert_no_timer(h);
    ck_assert_int_eq(h->s.main.pgid, 0);
    h_free(h);
}
END_TEST

START_TEST(test_exec_waits_for_exec)
{
    struct harness *h = h_new(UNIT_TYPE_EXEC, "/bin/main");
    h->u->timeout_start_usec = SEC(5);
    svc_start(&h->s, true);
    assert_sub(h, "start");
    assert_state(h, "activating");
    ck_assert(svc_is_busy_starting(&h->s));
    assert_timer(h, SEC(5));

    h_started(h, &h->s.main);
    assert_sub(h, "start");
    svc_exec_done(&h->s, &h->s.control); /* not the main: ignored */
    assert_sub(h, "start");

    svc_exec_done(&h->s, &h->s.main);
    assert_sub(h, "running");
    assert_state(h, "active");
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* Type=exec whose exec failed: the supervisor reports an exit instead. */
START_TEST(test_exec_exec_failed)
{
    struct harness *h = h_new(UNIT_TYPE_EXEC, "/bin/main");
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(127));
    assert_sub(h, "failed");
    assert_result(h, "exit-code");
    assert_no_timer(h);
    h_free(h);
}
END_TEST

START_TEST(test_start_timeout)
{
    struct harness *h = h_new(UNIT_TYPE_EXEC, "/bin/main");
    h->u->timeout_start_usec = SEC(5);
    h->u->timeout_stop_usec = SEC(7);
    h->u->restart = RESTART_NO;
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h->group_alive = true;

    size_t mark = h->nacts;
    h_fire(h);
    assert_sub(h, "stop-sigterm");
    assert_result(h, "timeout");
    const struct act *k = h_kill_of(h, SIGTERM, mark);
    ck_assert_ptr_nonnull(k);
    ck_assert(k->is_main && k->group);
    assert_timer(h, SEC(7));

    h->group_alive = false;
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* ---- Type=oneshot ------------------------------------------------------------- */

static const struct {
    const char *label;
    const char *first;
    int first_status;
    bool remain;
    const char *sub, *state, *result;
    size_t spawns;
} oneshot_rows[] = {
    {"both succeed, RemainAfterExit=yes", "/bin/one", WS_EXIT(0), true, "exited", "active",
     "success", 2},
    {"both succeed, RemainAfterExit=no", "/bin/one", WS_EXIT(0), false, "dead", "inactive",
     "success", 2},
    {"first fails", "/bin/one", WS_EXIT(3), true, "failed", "failed", "exit-code", 1},
    {"first fails, no RemainAfterExit", "/bin/one", WS_EXIT(3), false, "failed", "failed",
     "exit-code", 1},
    /* A oneshot is a command: even SIGTERM is a failure. */
    {"first killed by SIGTERM", "/bin/one", WS_SIGNAL(SIGTERM), false, "failed", "failed", "signal",
     1},
    {"first fails with '-'", "-/bin/one", WS_EXIT(3), true, "exited", "active", "success", 2},
};

START_TEST(test_oneshot)
{
    struct harness *h = h_new(UNIT_TYPE_ONESHOT, NULL);
    exec_add(&h->u->exec_start, oneshot_rows[_i].first);
    exec_add(&h->u->exec_start, "/bin/two");
    h->u->remain_after_exit = oneshot_rows[_i].remain;

    svc_start(&h->s, true);
    assert_sub(h, "start");
    assert_spawns(h, 1);
    ck_assert(h_spawn(h, 0)->is_main);
    ck_assert_str_eq(h_spawn(h, 0)->line, "/bin/one");
    assert_no_timer(h); /* TimeoutStartSec=infinity */
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, oneshot_rows[_i].first_status);

    if (oneshot_rows[_i].spawns == 2) {
        /* Not active before the last command is done. */
        assert_sub(h, "start");
        assert_state(h, "activating");
        assert_spawns(h, 2);
        ck_assert(h_spawn(h, 1)->is_main);
        ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/two");
        h_started(h, &h->s.main);
        h_exit(h, &h->s.main, WS_EXIT(0));
    }
    ck_assert_msg(strcmp(svc_sub_name(h->s.sub), oneshot_rows[_i].sub) == 0, "%s: %s, want %s",
                  oneshot_rows[_i].label, svc_sub_name(h->s.sub), oneshot_rows[_i].sub);
    assert_state(h, oneshot_rows[_i].state);
    assert_result(h, oneshot_rows[_i].result);
    assert_spawns(h, oneshot_rows[_i].spawns);
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* A oneshot without RemainAfterExit= never shows as active. */
START_TEST(test_oneshot_never_active)
{
    struct harness *h = h_new(UNIT_TYPE_ONESHOT, "/bin/one");
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(0));
    assert_sub(h, "dead");
    for (size_t i = 0; i < h->nacts; i++)
        if (h->acts[i].kind == ACT_STATE)
            ck_assert_int_ne(svc_state_of(h->acts[i].sub), SVC_ACTIVE);
    h_free(h);
}
END_TEST

START_TEST(test_oneshot_timeout)
{
    struct harness *h = h_new(UNIT_TYPE_ONESHOT, "/bin/one");
    h->u->timeout_start_usec = SEC(2);
    svc_start(&h->s, true);
    assert_timer(h, SEC(2));
    h_started(h, &h->s.main);
    h_fire(h);
    assert_sub(h, "stop-sigterm");
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    h_free(h);
}
END_TEST

START_TEST(test_oneshot_exited_stop)
{
    struct harness *h = h_new(UNIT_TYPE_ONESHOT, "/bin/one");
    h->u->remain_after_exit = true;
    exec_add(&CMDS(h->u)->exec_stop, "/bin/undo");
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(0));
    assert_sub(h, "exited");

    svc_stop(&h->s);
    assert_sub(h, "stop");
    ck_assert(!h_spawn(h, 1)->is_main);
    ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/undo");
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "dead");
    assert_result(h, "success");
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    h_free(h);
}
END_TEST

/* ---- ExecStartPre= and ExecStartPost= ------------------------------------------ */

START_TEST(test_start_pre_fails)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_pre, "/bin/pre");
    h->u->timeout_start_usec = SEC(9);
    svc_start(&h->s, true);
    assert_sub(h, "start-pre");
    assert_state(h, "activating");
    assert_timer(h, SEC(9));
    assert_spawns(h, 1);
    ck_assert(!h_spawn(h, 0)->is_main);
    ck_assert_str_eq(h_spawn(h, 0)->line, "/bin/pre");

    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(1));
    assert_sub(h, "failed");
    assert_result(h, "exit-code");
    assert_spawns(h, 1); /* ExecStart= never ran */
    assert_no_timer(h);
    h_free(h);
}
END_TEST

START_TEST(test_start_pre_ignored_failure)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_pre, "-/bin/pre1");
    exec_add(&CMDS(h->u)->exec_start_pre, "/bin/pre2");
    svc_start(&h->s, true);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(1));
    assert_sub(h, "start-pre");
    ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/pre2");
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "running");
    assert_spawns(h, 3);
    ck_assert(h_spawn(h, 2)->is_main);
    ck_assert_str_eq(h_spawn(h, 2)->line, "/bin/main");
    assert_result(h, "success");
    h_free(h);
}
END_TEST

START_TEST(test_start_post)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_post, "/bin/post");
    svc_start(&h->s, true);
    assert_sub(h, "start-post");
    assert_state(h, "activating");
    assert_spawns(h, 2);
    ck_assert(h_spawn(h, 0)->is_main);
    ck_assert(!h_spawn(h, 1)->is_main);
    ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/post");
    assert_timer(h, SEC(90));

    h_started(h, &h->s.main);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "running");
    assert_no_timer(h);
    h_free(h);
}
END_TEST

START_TEST(test_start_post_fails)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_post, "/bin/post");
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h_started(h, &h->s.control);
    h->group_alive = true;
    h_exit(h, &h->s.control, WS_EXIT(2));
    assert_sub(h, "stop-sigterm");
    const struct act *k = h_kill_of(h, SIGTERM, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert(k->is_main && k->group);

    h->group_alive = false;
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "failed");
    assert_result(h, "exit-code");
    h_free(h);
}
END_TEST

/* ---- stop ------------------------------------------------------------------------ */

static const struct {
    const char *label;
    int kill_signal;
    bool exec_stop, exec_stop_post;
} stop_rows[] = {
    {"no ExecStop=", SIGTERM, false, false},
    {"ExecStop=", SIGTERM, true, false},
    {"ExecStop= and ExecStopPost=", SIGTERM, true, true},
    {"ExecStopPost= only", SIGTERM, false, true},
    {"KillSignal=SIGINT", SIGINT, true, true},
    /* Not a clean signal, but the exit was asked for: no failure. */
    {"KillSignal=SIGQUIT", SIGQUIT, false, false},
};

START_TEST(test_stop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->kill_signal = stop_rows[_i].kill_signal;
    h->u->timeout_stop_usec = SEC(4);
    h->u->restart = RESTART_ALWAYS; /* a requested stop never restarts */
    if (stop_rows[_i].exec_stop)
        exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    if (stop_rows[_i].exec_stop_post)
        exec_add(&CMDS(h->u)->exec_stop_post, "/bin/stop-post");
    h_run(h);
    pid_t main_pgid = h->s.main.pgid;
    h->group_alive = true;
    size_t spawns = 1;

    size_t mark = h->nacts;
    svc_stop(&h->s);
    assert_state(h, "deactivating");
    if (stop_rows[_i].exec_stop) {
        assert_sub(h, "stop");
        assert_spawns(h, ++spawns);
        ck_assert(!h_spawn(h, 1)->is_main);
        ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/stop");
        assert_timer(h, SEC(4));
        ck_assert_uint_eq(h_count(h, ACT_KILL, mark), 0); /* not before ExecStop= is done */
        h_started(h, &h->s.control);
        h_exit(h, &h->s.control, WS_EXIT(0));
    }
    assert_sub(h, "stop-sigterm");
    const struct act *k = h_kill_of(h, stop_rows[_i].kill_signal, mark);
    ck_assert_ptr_nonnull(k);
    ck_assert(k->is_main);
    ck_assert(k->group);
    ck_assert_int_eq(k->pgid, main_pgid);
    ck_assert_ptr_nonnull(h_kill_of(h, SIGCONT, mark));
    ck_assert_uint_eq(h_kills_of(h, SIGKILL, 0), 0);
    assert_timer(h, SEC(4));

    /* The main is gone but its group is not: keep waiting. */
    h_exit(h, &h->s.main, WS_SIGNAL(stop_rows[_i].kill_signal));
    assert_sub(h, "stop-sigterm");
    h->group_alive = false;
    svc_reaped_other(&h->s);

    if (stop_rows[_i].exec_stop_post) {
        assert_sub(h, "stop-post");
        assert_spawns(h, ++spawns);
        ck_assert(!h_spawn(h, spawns - 1)->is_main);
        ck_assert_str_eq(h_spawn(h, spawns - 1)->line, "/bin/stop-post");
        assert_timer(h, SEC(4));
        h_started(h, &h->s.control);
        h_exit(h, &h->s.control, WS_EXIT(0));
    }
    assert_sub(h, "dead");
    assert_state(h, "inactive");
    assert_result(h, "success");
    assert_spawns(h, spawns);
    assert_no_timer(h);
    ck_assert_uint_eq(h_kills_of(h, SIGKILL, 0), 0);
    h_free(h);
}
END_TEST

/* A failing ExecStop= does not fail the unit; the kill still follows. */
START_TEST(test_stop_exec_stop_fails)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    h_run(h);
    svc_stop(&h->s);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(1));
    assert_sub(h, "stop-sigterm");
    ck_assert_ptr_nonnull(h_kill_of(h, SIGTERM, 0));
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "dead");
    assert_result(h, "success");
    h_free(h);
}
END_TEST

/* ExecStop= made the main exit by itself: no signal is needed. */
START_TEST(test_stop_main_exits_during_exec_stop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    h_run(h);
    svc_stop(&h->s);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.main, WS_EXIT(0));
    assert_sub(h, "stop");
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "dead");
    assert_result(h, "success");
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    h_free(h);
}
END_TEST

START_TEST(test_stop_exec_stop_timeout)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    h->u->timeout_stop_usec = SEC(4);
    h_run(h);
    svc_stop(&h->s);
    h_started(h, &h->s.control);
    size_t mark = h->nacts;
    h_fire(h);
    assert_sub(h, "stop-sigterm");
    assert_result(h, "timeout");
    /* Both the main's and the hung ExecStop='s groups get the signal. */
    bool main_hit = false, control_hit = false;
    for (size_t i = mark; i < h->nacts; i++) {
        const struct act *a = &h->acts[i];
        if (a->kind == ACT_KILL && a->sig == SIGTERM) {
            main_hit |= a->is_main;
            control_hit |= !a->is_main;
        }
    }
    ck_assert(main_hit && control_hit);
    h_exit(h, &h->s.control, WS_SIGNAL(SIGTERM));
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    h_free(h);
}
END_TEST

/* Stop while starting: ExecStop= is skipped, as systemd does. */
START_TEST(test_stop_while_starting)
{
    struct harness *h = h_new(UNIT_TYPE_EXEC, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");
    assert_spawns(h, 1);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "dead");
    assert_result(h, "success");
    h_free(h);
}
END_TEST

START_TEST(test_stop_of_dead_is_noop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    svc_stop(&h->s);
    assert_sub(h, "dead");
    ck_assert_uint_eq(h->nacts, 0);
    h_free(h);
}
END_TEST

/* TimeoutStopSec= runs out in stop-sigterm. */
START_TEST(test_stop_timeout)
{
    bool send_sigkill = _i == 0;
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->send_sigkill = send_sigkill;
    h->u->timeout_stop_usec = SEC(6);
    h_run(h);
    h->group_alive = true;
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");

    size_t mark = h->nacts;
    h_fire(h);
    if (send_sigkill) {
        assert_sub(h, "stop-sigkill");
        const struct act *k = h_kill_of(h, SIGKILL, mark);
        ck_assert_ptr_nonnull(k);
        ck_assert(k->is_main && k->group);
        assert_timer(h, SEC(6));
        h->group_alive = false;
        h_exit(h, &h->s.main, WS_SIGNAL(SIGKILL));
    } else {
        /* Left alone: the final phases time out in turn, never with SIGKILL. */
        while (h->timer_armed)
            h_fire(h);
    }
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    assert_no_timer(h);
    ck_assert_uint_eq(h_kills_of(h, SIGKILL, 0), send_sigkill ? 1 : 0);
    h_free(h);
}
END_TEST

/* SIGKILL does not help either: give up after another TimeoutStopSec=. */
START_TEST(test_stop_sigkill_timeout)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h_run(h);
    h->group_alive = true;
    svc_stop(&h->s);
    h_fire(h);
    assert_sub(h, "stop-sigkill");
    for (int i = 0; i < 10 && h->timer_armed; i++)
        h_fire(h);
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* KillMode=: who gets KillSignal= and who gets SIGKILL. */
static const struct {
    const char *label;
    enum kill_mode mode;
    bool term_sent, term_group, kill_sent, kill_group;
} kill_mode_rows[] = {
    {"control-group", KILL_MODE_CONTROL_GROUP, true, true, true, true},
    {"process", KILL_MODE_PROCESS, true, false, true, false},
    {"mixed", KILL_MODE_MIXED, true, false, true, true},
    {"none", KILL_MODE_NONE, false, false, false, false},
};

START_TEST(test_kill_mode)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->kill_mode = kill_mode_rows[_i].mode;
    h_run(h);
    pid_t pid = h->s.main.pid;
    h->group_alive = true;
    svc_stop(&h->s);

    const struct act *k = h_kill_of(h, SIGTERM, 0);
    ck_assert_msg((k != NULL) == kill_mode_rows[_i].term_sent, "%s: SIGTERM",
                  kill_mode_rows[_i].label);
    if (k) {
        assert_sub(h, "stop-sigterm");
        ck_assert(k->is_main);
        ck_assert_int_eq(k->pid, pid);
        ck_assert_msg(k->group == kill_mode_rows[_i].term_group, "%s: SIGTERM to the group",
                      kill_mode_rows[_i].label);
        h_fire(h);
        k = h_kill_of(h, SIGKILL, 0);
        ck_assert_ptr_nonnull(k);
        ck_assert(k->is_main);
        ck_assert_msg(k->group == kill_mode_rows[_i].kill_group, "%s: SIGKILL to the group",
                      kill_mode_rows[_i].label);
        h->group_alive = false;
        h_exit(h, &h->s.main, WS_SIGNAL(SIGKILL));
        assert_sub(h, "failed");
        assert_result(h, "timeout");
    } else {
        /* systemd: nothing is killed and nothing waited for. */
        ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
        assert_sub(h, "dead");
        assert_result(h, "success");
        assert_no_timer(h);
    }
    h_free(h);
}
END_TEST

/* KillMode=process waits for the main only, not for what it left behind. */
START_TEST(test_kill_mode_process_ignores_group)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->kill_mode = KILL_MODE_PROCESS;
    h_run(h);
    h->group_alive = true;
    svc_stop(&h->s);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "dead");
    assert_result(h, "success");
    h_free(h);
}
END_TEST

/* A pid that arrives after the stop began gets the signal of the phase, as
 * KillMode= says. */
START_TEST(test_pending_pid_gets_signal)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->kill_mode = kill_mode_rows[_i].mode;
    h->u->kill_signal = SIGUSR1;
    svc_start(&h->s, true);
    ck_assert(h->s.main.pending);
    svc_stop(&h->s);
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);

    if (kill_mode_rows[_i].mode == KILL_MODE_NONE) {
        assert_sub(h, "dead");
        h_free(h);
        return;
    }
    assert_sub(h, "stop-sigterm");
    size_t mark = h->nacts;
    pid_t pid = h_started(h, &h->s.main);
    const struct act *k = h_kill_of(h, SIGUSR1, mark);
    ck_assert_ptr_nonnull(k);
    ck_assert(k->is_main);
    ck_assert_int_eq(k->pid, pid);
    ck_assert_msg(k->group == kill_mode_rows[_i].term_group, "%s: to the group",
                  kill_mode_rows[_i].label);

    h_exit(h, &h->s.main, WS_SIGNAL(SIGUSR1));
    assert_sub(h, "dead");
    h_free(h);
}
END_TEST

START_TEST(test_pending_pid_sigkill_phase)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->kill_mode = kill_mode_rows[_i].mode;
    if (kill_mode_rows[_i].mode == KILL_MODE_NONE) {
        h_free(h);
        return;
    }
    svc_start(&h->s, true);
    svc_stop(&h->s);
    h_fire(h);
    assert_sub(h, "stop-sigkill");
    size_t mark = h->nacts;
    h_started(h, &h->s.main);
    const struct act *k = h_kill_of(h, SIGKILL, mark);
    ck_assert_ptr_nonnull(k);
    ck_assert_msg(k->group == kill_mode_rows[_i].kill_group, "%s: to the group",
                  kill_mode_rows[_i].label);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGKILL));
    assert_sub(h, "failed");
    assert_result(h, "timeout");
    h_free(h);
}
END_TEST

/* The spawn never produced a pid (the intermediate died): nothing to kill. */
START_TEST(test_pending_never_started)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    svc_start(&h->s, true);
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");
    h->s.main.pending = false;
    svc_proc_exited(&h->s, &h->s.main, WS_EXIT(127));
    assert_sub(h, "dead");
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    h_free(h);
}
END_TEST

/* ---- Restart= ------------------------------------------------------------------- */

static const struct {
    enum restart_policy restart;
    uint64_t restart_usec, want_timer;
} auto_restart_rows[] = {
    {RESTART_ALWAYS, MSEC(100), MSEC(100)},
    {RESTART_ON_FAILURE, SEC(2), SEC(2)},
    {RESTART_ALWAYS, 0, 1}, /* RestartSec=0: as soon as possible, but through the loop */
};

START_TEST(test_auto_restart)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = auto_restart_rows[_i].restart;
    h->u->restart_usec = auto_restart_rows[_i].restart_usec;
    h_run(h);
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "auto-restart");
    assert_state(h, "activating");
    assert_result(h, "exit-code");
    assert_timer(h, auto_restart_rows[_i].want_timer);
    assert_spawns(h, 1);
    ck_assert(!svc_is_settled(&h->s));

    h_fire(h);
    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 2);
    ck_assert(h_spawn(h, 1)->is_main);
    ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/main");
    ck_assert_uint_eq(h->s.restarts, 1);

    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(1));
    h_fire(h);
    ck_assert_uint_eq(h->s.restarts, 2);

    /* An explicit start resets the counter. */
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(1));
    svc_start(&h->s, true);
    assert_sub(h, "running");
    ck_assert_uint_eq(h->s.restarts, 0);
    h_free(h);
}
END_TEST

/* svc_stop() in auto-restart: no new run; the last result stays. */
START_TEST(test_auto_restart_stop)
{
    bool crashed = _i == 0;
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ALWAYS;
    h_run(h);
    h_exit(h, &h->s.main, crashed ? WS_EXIT(1) : WS_EXIT(0));
    assert_sub(h, "auto-restart");
    svc_stop(&h->s);
    assert_sub(h, crashed ? "failed" : "dead");
    assert_result(h, crashed ? "exit-code" : "success");
    assert_no_timer(h);
    assert_spawns(h, 1);
    h_free(h);
}
END_TEST

START_TEST(test_restart_steps)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ALWAYS;
    h->u->restart_usec = SEC(1);
    h->u->restart_steps = 2;
    h->u->restart_max_delay_usec = SEC(4);
    h->u->start_limit_burst = 0;
    static const uint64_t want[] = {SEC(1), SEC(2), SEC(4), SEC(4)};
    h_run(h);
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        h_exit(h, &h->s.main, WS_EXIT(1));
        assert_timer(h, want[i]);
        h_fire(h);
        h_started(h, &h->s.main);
    }
    h_free(h);
}
END_TEST

/* A start request while stopping runs once the stop is done. */
START_TEST(test_start_while_stopping)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h_run(h);
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");
    svc_start(&h->s, true);
    assert_sub(h, "stop-sigterm");
    assert_spawns(h, 1);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "running");
    assert_spawns(h, 2);
    h_free(h);
}
END_TEST

/* ---- start rate limit ---------------------------------------------------------- */

/* Starts and stops h count times, each time with the main exiting 0. */
static void h_cycle(struct harness *h, int count)
{
    for (int i = 0; i < count; i++) {
        svc_start(&h->s, false);
        assert_sub(h, "running");
        h_started(h, &h->s.main);
        svc_stop(&h->s);
        h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
        assert_sub(h, "dead");
        h->now += SEC(1);
    }
}

START_TEST(test_start_limit)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->start_limit_burst = 3;
    h->u->start_limit_interval_usec = SEC(10);
    h_cycle(h, 3);
    assert_spawns(h, 3);

    svc_start(&h->s, false);
    assert_sub(h, "failed");
    assert_result(h, "start-limit-hit");
    assert_spawns(h, 3);
    assert_no_timer(h);

    /* Still inside the window: refused again. */
    svc_start(&h->s, false);
    assert_sub(h, "failed");
    assert_spawns(h, 3);

    /* Past the window: allowed. */
    h->now += SEC(11);
    svc_start(&h->s, false);
    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 4);
    h_free(h);
}
END_TEST

START_TEST(test_start_limit_explicit_reset)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->start_limit_burst = 3;
    h->u->start_limit_interval_usec = SEC(10);
    h_cycle(h, 3);
    svc_start(&h->s, false);
    assert_sub(h, "failed");
    assert_result(h, "start-limit-hit");

    /* An explicit start is refused too (systemd's start-limit-hit)... */
    svc_start(&h->s, true);
    assert_sub(h, "failed");
    assert_result(h, "start-limit-hit");
    assert_spawns(h, 3);

    /* ... until reset-failed: dead, success, the counter empty. */
    unit_reset_failed(&h->s);
    assert_sub(h, "dead");
    assert_result(h, "success");
    svc_start(&h->s, true);
    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 4);
    h_free(h);
}
END_TEST

/* A crash loop under Restart=always stops at the limit, for good. */
START_TEST(test_start_limit_crash_loop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ALWAYS;
    h->u->start_limit_burst = 3;
    h->u->start_limit_interval_usec = SEC(10);
    h_run(h);
    for (int i = 0; i < 2; i++) {
        h_exit(h, &h->s.main, WS_EXIT(1));
        h->now += MSEC(100);
        h_fire(h);
        h_started(h, &h->s.main);
    }
    assert_spawns(h, 3);
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "auto-restart");
    h_fire(h);
    assert_sub(h, "failed");
    assert_result(h, "start-limit-hit");
    assert_no_timer(h);
    assert_spawns(h, 3);
    h_free(h);
}
END_TEST

START_TEST(test_start_limit_disabled)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->start_limit_interval_usec = 0;
    h_cycle(h, 20);
    assert_spawns(h, 20);
    h_free(h);
}
END_TEST

/* ---- restart requests ------------------------------------------------------------ */

START_TEST(test_restart_running)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    h_run(h);
    pid_t first = h->s.main.pid;
    h->group_alive = true;
    svc_restart(&h->s);
    assert_sub(h, "stop");
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "stop-sigterm");
    const struct act *k = h_kill_of(h, SIGTERM, 0);
    ck_assert_ptr_nonnull(k);
    ck_assert_int_eq(k->pid, first);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "stop-sigterm");
    h->group_alive = false;
    svc_reaped_other(&h->s);

    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 3);
    ck_assert(h_spawn(h, 2)->is_main);
    ck_assert_str_eq(h_spawn(h, 2)->line, "/bin/main");
    pid_t second = h_started(h, &h->s.main);
    ck_assert_int_ne(first, second);
    h_free(h);
}
END_TEST

/* After a restart request the unit is wanted up again: a later crash is
 * restarted by Restart=. */
START_TEST(test_restart_then_crash)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ON_FAILURE;
    h_run(h);
    svc_restart(&h->s);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "running");
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "auto-restart");
    h_free(h);
}
END_TEST

/* Restart of a unit whose stop completes at once (nothing left to kill). */
START_TEST(test_restart_exited)
{
    struct harness *h = h_new(UNIT_TYPE_ONESHOT, "/bin/one");
    h->u->remain_after_exit = true;
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(0));
    assert_sub(h, "exited");
    svc_restart(&h->s);
    assert_sub(h, "start");
    assert_spawns(h, 2);
    ck_assert(!h->s.start_after_stop);
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(0));
    assert_sub(h, "exited");
    h_free(h);
}
END_TEST

START_TEST(test_restart_dead_or_failed)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    svc_restart(&h->s);
    assert_sub(h, "running");
    h_started(h, &h->s.main);
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "failed");
    svc_restart(&h->s);
    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 2);
    h_free(h);
}
END_TEST

/* ---- spawn failures ---------------------------------------------------------------- */

static const struct {
    enum restart_policy restart;
    const char *sub;
} spawn_fail_rows[] = {
    {RESTART_NO, "failed"},
    {RESTART_ON_FAILURE, "auto-restart"},
    {RESTART_ON_ABORT, "failed"},
};

START_TEST(test_spawn_fails)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = spawn_fail_rows[_i].restart;
    h->spawn_fails = true;
    svc_start(&h->s, true);
    assert_sub(h, spawn_fail_rows[_i].sub);
    assert_result(h, "resources");
    assert_spawns(h, 1);
    ck_assert(!h->s.main.pending);
    ck_assert_int_eq(h->s.main.pid, 0);
    ck_assert_uint_eq(h_count(h, ACT_KILL, 0), 0);
    if (h->s.sub == SUB_AUTO_RESTART) {
        h->spawn_fails = false;
        h_fire(h);
        assert_sub(h, "running");
        assert_spawns(h, 2);
    }
    h_free(h);
}
END_TEST

START_TEST(test_spawn_fails_start_pre)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_pre, "/bin/pre");
    h->spawn_fails = true;
    svc_start(&h->s, true);
    assert_sub(h, "failed");
    assert_result(h, "resources");
    assert_spawns(h, 1);
    h_free(h);
}
END_TEST

/* The fork of the service failed after spawn returned (the intermediate's):
 * as a failed spawn, result resources and no exit status; Restart= applies. */
START_TEST(test_spawn_fails_late)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = spawn_fail_rows[_i].restart;
    svc_start(&h->s, true);
    ck_assert(h->s.main.pending);
    h->s.main.pending = false;
    svc_spawn_failed(&h->s, &h->s.main);
    assert_sub(h, spawn_fail_rows[_i].sub);
    assert_result(h, "resources");
    ck_assert(!h->s.have_exit);
    if (h->s.sub == SUB_AUTO_RESTART) {
        h_fire(h);
        h_started(h, &h->s.main);
        assert_sub(h, "running");
        assert_spawns(h, 2);
    }
    h_free(h);
}
END_TEST

/* A '-' command that cannot even be spawned is skipped like one that fails. */
START_TEST(test_spawn_fails_ignored)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_start_pre, "-/bin/pre1");
    exec_add(&CMDS(h->u)->exec_start_pre, "-/bin/pre2");
    h->spawn_fails = true;
    svc_start(&h->s, true);
    /* both pre commands skipped, then ExecStart= fails */
    assert_spawns(h, 3);
    ck_assert_str_eq(h_spawn(h, 2)->line, "/bin/main");
    assert_sub(h, "failed");
    assert_result(h, "resources");
    h_free(h);
}
END_TEST

START_TEST(test_spawn_fails_exec_stop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_stop, "/bin/stop");
    h_run(h);
    h->spawn_fails = true;
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");
    ck_assert_ptr_nonnull(h_kill_of(h, SIGTERM, 0));
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "dead");
    h_free(h);
}
END_TEST

/* ---- Condition*= and Assert*= (through svc_ops.check_conditions) ----------------- */

/* A condition that does not hold skips the unit as systemd does: it stays
 * dead with result success, nothing runs, Restart= does not apply, and the
 * next start asks again. A failed assertion fails the start ("assert"). */
START_TEST(test_condition_not_met)
{
    bool is_assert = _i == 1;
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ALWAYS;
    h->conditions = is_assert ? CONDITION_ASSERT_FAILED : CONDITION_FAILED;
    svc_start(&h->s, true);
    ck_assert_uint_eq(h->condition_checks, 1);
    assert_sub(h, is_assert ? "failed" : "dead");
    assert_result(h, is_assert ? "assert" : "success");
    assert_spawns(h, 0);
    assert_no_timer(h); /* no restart is scheduled */
    ck_assert_uint_eq(h_count(h, ACT_STATE, 0), is_assert ? 1 : 0);

    h->conditions = CONDITION_MET;
    svc_start(&h->s, true);
    ck_assert_uint_eq(h->condition_checks, 2);
    assert_sub(h, "running");
    assert_result(h, "success");
    assert_spawns(h, 1);
    h_free(h);
}
END_TEST

/* Conditions are asked once per run, before ExecCondition= and anything
 * else: not on a stop, and again for an automatic restart. */
START_TEST(test_condition_asked_per_run)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h->u->restart = RESTART_ALWAYS;
    exec_add(&CMDS(h->u)->exec_condition, "/bin/cond");
    svc_start(&h->s, true);
    ck_assert_uint_eq(h->condition_checks, 1);
    assert_sub(h, "condition");
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    h_started(h, &h->s.main);
    assert_sub(h, "running");
    ck_assert_uint_eq(h->condition_checks, 1);

    h->conditions = CONDITION_FAILED; /* the world changed before the restart */
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "auto-restart");
    h_fire(h);
    ck_assert_uint_eq(h->condition_checks, 2);
    assert_sub(h, "dead");
    assert_spawns(h, 2); /* ExecCondition= and ExecStart= of the first run only */
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* ---- reload (ExecReload=) ---------------------------------------------------- */

/* No ExecReload=: refused, and nothing is signalled in its place. */
START_TEST(test_reload_unsupported)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h_run(h);
    size_t mark = h->nacts;
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_UNSUPPORTED);
    ck_assert_uint_eq(h->nacts, mark);
    assert_sub(h, "running");
    h_free(h);
}
END_TEST

START_TEST(test_reload_not_active)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_NOT_ACTIVE);
    assert_spawns(h, 0);
    h_free(h);
}
END_TEST

/* ExecReload= runs as a control process; the unit stays active meanwhile and
 * returns to running with the same main process. */
START_TEST(test_reload_runs_and_returns)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    h->u->timeout_start_usec = SEC(7);
    h_run(h);
    pid_t main_pid = h->s.main.pid;
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_STARTED);
    assert_sub(h, "reload");
    assert_state(h, "active");
    ck_assert(!h_spawn(h, 1)->is_main);
    ck_assert_str_eq(h_spawn(h, 1)->line, "/bin/reload");
    assert_timer(h, SEC(7));
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "running");
    assert_result(h, "success");
    ck_assert_int_eq(h->s.reload_result, RESULT_SUCCESS);
    ck_assert_int_eq(h->s.main.pid, main_pid);
    assert_no_timer(h);
    h_free(h);
}
END_TEST

/* A failing reload fails the reload, not the unit. */
START_TEST(test_reload_fails)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/never");
    h_run(h);
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_STARTED);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.control, WS_EXIT(3));
    assert_sub(h, "running");
    assert_result(h, "success");
    ck_assert_int_eq(h->s.reload_result, RESULT_EXIT_CODE);
    assert_spawns(h, 2); /* the second command did not run */
    h_free(h);
}
END_TEST

/* A reload that hangs is killed at TimeoutStartSec= and ends when reaped. */
START_TEST(test_reload_timeout)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    h_run(h);
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_STARTED);
    h_started(h, &h->s.control);
    size_t mark = h->nacts;
    h_fire(h);
    const struct act *k = h_kill_of(h, SIGKILL, mark);
    ck_assert_ptr_nonnull(k);
    ck_assert(!k->is_main);
    assert_sub(h, "reload");
    h_exit(h, &h->s.control, WS_SIGNAL(SIGKILL));
    assert_sub(h, "running");
    ck_assert_int_eq(h->s.reload_result, RESULT_TIMEOUT);
    h_free(h);
}
END_TEST

/* Stop during a reload: straight to the kill phase (main and reload). */
START_TEST(test_reload_then_stop)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    h->group_alive = true;
    h_run(h);
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_STARTED);
    h_started(h, &h->s.control);
    svc_stop(&h->s);
    assert_sub(h, "stop-sigterm");
    ck_assert_uint_ge(h_kills_of(h, SIGTERM, 0), 2);
    h->group_alive = false;
    h_exit(h, &h->s.control, WS_SIGNAL(SIGTERM));
    h_exit(h, &h->s.main, WS_SIGNAL(SIGTERM));
    assert_sub(h, "dead");
    ck_assert_int_ne(h->s.reload_result, RESULT_SUCCESS);
    h_free(h);
}
END_TEST

/* The main process exits during the reload: the unit then stops as usual. */
START_TEST(test_reload_main_exits)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    exec_add(&CMDS(h->u)->exec_reload, "/bin/reload");
    h_run(h);
    ck_assert_int_eq(svc_reload(&h->s), SVC_RELOAD_STARTED);
    h_started(h, &h->s.control);
    h_exit(h, &h->s.main, WS_EXIT(1));
    assert_sub(h, "reload");
    h_exit(h, &h->s.control, WS_EXIT(0));
    assert_sub(h, "failed");
    assert_result(h, "exit-code");
    h_free(h);
}
END_TEST

static Suite *service_suite(void)
{
    Suite *s = suite_create("service");
    TCase *tc;

    tc = tcase_create("names");
    tcase_add_test(tc, test_state_of);
    tcase_add_test(tc, test_init_is_dead);
    tcase_add_test(tc, test_set_unit);
    suite_add_tcase(s, tc);

    tc = tcase_create("start");
    tcase_add_test(tc, test_simple_start);
    tcase_add_test(tc, test_simple_since);
    tcase_add_loop_test(tc, test_simple_main_exit, 0, (int)ARRAY_SIZE(main_exit_rows));
    tcase_add_test(tc, test_simple_main_exit_leaves_group);
    tcase_add_test(tc, test_exec_waits_for_exec);
    tcase_add_test(tc, test_exec_exec_failed);
    tcase_add_test(tc, test_start_timeout);
    tcase_add_loop_test(tc, test_oneshot, 0, (int)ARRAY_SIZE(oneshot_rows));
    tcase_add_test(tc, test_oneshot_never_active);
    tcase_add_test(tc, test_oneshot_timeout);
    tcase_add_test(tc, test_oneshot_exited_stop);
    tcase_add_test(tc, test_start_pre_fails);
    tcase_add_test(tc, test_start_pre_ignored_failure);
    tcase_add_test(tc, test_start_post);
    tcase_add_test(tc, test_start_post_fails);
    tcase_add_loop_test(tc, test_condition_not_met, 0, 2);
    tcase_add_test(tc, test_condition_asked_per_run);
    suite_add_tcase(s, tc);

    tc = tcase_create("stop");
    tcase_add_loop_test(tc, test_stop, 0, (int)ARRAY_SIZE(stop_rows));
    tcase_add_test(tc, test_stop_exec_stop_fails);
    tcase_add_test(tc, test_stop_main_exits_during_exec_stop);
    tcase_add_test(tc, test_stop_exec_stop_timeout);
    tcase_add_test(tc, test_stop_while_starting);
    tcase_add_test(tc, test_stop_of_dead_is_noop);
    tcase_add_loop_test(tc, test_stop_timeout, 0, 2);
    tcase_add_test(tc, test_stop_sigkill_timeout);
    tcase_add_loop_test(tc, test_kill_mode, 0, (int)ARRAY_SIZE(kill_mode_rows));
    tcase_add_test(tc, test_kill_mode_process_ignores_group);
    tcase_add_loop_test(tc, test_pending_pid_gets_signal, 0, (int)ARRAY_SIZE(kill_mode_rows));
    tcase_add_loop_test(tc, test_pending_pid_sigkill_phase, 0, (int)ARRAY_SIZE(kill_mode_rows));
    tcase_add_test(tc, test_pending_never_started);
    suite_add_tcase(s, tc);

    tc = tcase_create("restart");
    tcase_add_loop_test(tc, test_auto_restart, 0, (int)ARRAY_SIZE(auto_restart_rows));
    tcase_add_loop_test(tc, test_auto_restart_stop, 0, 2);
    tcase_add_test(tc, test_restart_steps);
    tcase_add_test(tc, test_start_while_stopping);
    tcase_add_test(tc, test_restart_running);
    tcase_add_test(tc, test_restart_then_crash);
    tcase_add_test(tc, test_restart_exited);
    tcase_add_test(tc, test_restart_dead_or_failed);
    suite_add_tcase(s, tc);

    tc = tcase_create("start_limit");
    tcase_add_test(tc, test_start_limit);
    tcase_add_test(tc, test_start_limit_explicit_reset);
    tcase_add_test(tc, test_start_limit_crash_loop);
    tcase_add_test(tc, test_start_limit_disabled);
    suite_add_tcase(s, tc);

    tc = tcase_create("spawn_failure");
    tcase_add_loop_test(tc, test_spawn_fails, 0, (int)ARRAY_SIZE(spawn_fail_rows));
    tcase_add_test(tc, test_spawn_fails_start_pre);
    tcase_add_test(tc, test_spawn_fails_ignored);
    tcase_add_loop_test(tc, test_spawn_fails_late, 0, (int)ARRAY_SIZE(spawn_fail_rows));
    tcase_add_test(tc, test_spawn_fails_exec_stop);
    suite_add_tcase(s, tc);

    tc = tcase_create("reload");
    tcase_add_test(tc, test_reload_unsupported);
    tcase_add_test(tc, test_reload_not_active);
    tcase_add_test(tc, test_reload_runs_and_returns);
    tcase_add_test(tc, test_reload_fails);
    tcase_add_test(tc, test_reload_timeout);
    tcase_add_test(tc, test_reload_then_stop);
    tcase_add_test(tc, test_reload_main_exits);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(service_suite());
    int failed;

    /* Spawn failures and timeouts log errors on purpose; keep the run readable. */
    log_set_level(LOG_LEVEL_ERROR);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
