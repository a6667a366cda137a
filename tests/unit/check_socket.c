/* check_socket.c - the socket machine (core/socket.c) driven through fake
 * socket ops: start and stop, a trigger, its service's end, the trigger
 * limit, a failed open, a service that cannot start, Accept=yes; and
 * unit_table_remove() for an instance that ended (run/unit_table.c).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/timespan.h"
#include "core/socket.h"
#include "core/unit_type.h"
#include "run/unit_table.h"
#include "wire/unit_state.h"

#define SEC USEC_PER_SEC

struct harness {
    struct unit *u;
    struct unit_socket conf;
    struct service s;
    struct socket_rt rt;
    uint64_t now;
    bool open_fails, active, trigger_fails, service_stays_down;
    bool open, watching;
    unsigned opens, closes, triggers, accepts, changes;
    enum service_result trigger_why;
};

static struct harness *h_of(struct service *s)
{
    return s->ctx;
}

static int f_open(struct service *s)
{
    struct harness *h = h_of(s);
    h->opens++;
    if (h->open_fails)
        return -1;
    h->open = true;
    return 0;
}

static void f_close(struct service *s)
{
    h_of(s)->closes++;
    h_of(s)->open = false;
}

static int f_watch(struct service *s, bool on)
{
    h_of(s)->watching = on;
    return 0;
}

static bool f_active(struct service *s)
{
    return h_of(s)->active;
}

static int f_trigger(struct service *s, enum service_result *why)
{
    struct harness *h = h_of(s);
    h->triggers++;
    if (h->trigger_fails) {
        *why = h->trigger_why;
        return -1;
    }
    if (h->service_stays_down) {
        /* as the supervisor reports a service failing inside its start */
        socket_service_changed(s, false, false);
        socket_service_changed(s, true, false);
        return 0;
    }
    h->active = true;
    socket_service_changed(s, false, false);
    return 0;
}

static void f_accept(struct service *s)
{
    struct harness *h = h_of(s);
    h->accepts++;
    socket_conn_allowed(s);
}

static const struct socket_ops fops = {
    .open = f_open,
    .close = f_close,
    .watch = f_watch,
    .service_active = f_active,
    .trigger = f_trigger,
    .accept = f_accept,
};

static void f_changed(struct service *s, enum svc_sub old)
{
    h_of(s)->changes++;
}

static uint64_t f_now(struct service *s)
{
    return h_of(s)->now;
}

static unsigned spawns;
static const char *last_cmd;

static int f_spawn(struct service *s, const struct exec_command *cmd, bool is_main)
{
    ck_assert(!is_main);
    spawns++;
    last_cmd = cmd->line;
    s->control.pid = 100 + (pid_t)spawns;
    return 0;
}

static int last_kill;
static uint64_t armed;

static void f_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    last_kill = sig;
}

static void f_timer(struct service *s, uint64_t usec)
{
    armed = usec == USEC_INFINITY ? 0 : usec;
}

static const struct svc_ops sops = {
    .changed = f_changed, .now = f_now, .spawn = f_spawn, .kill = f_kill, .timer = f_timer};

static struct harness *h_new(bool accept)
{
    struct harness *h = calloc(1, sizeof(*h));
    ck_assert_ptr_nonnull(h);
    h->u = unit_new("web.socket");
    ck_assert_ptr_nonnull(h->u);
    h->u->kind = UNIT_KIND_SOCKET;
    h->conf = unit_socket_default;
    h->conf.accept = accept;
    h->conf.trigger_limit_interval_usec = 2 * SEC;
    h->conf.trigger_limit_burst = 20;
    h->u->socket = &h->conf;
    svc_init(&h->s, h->u, &sops, h);
    ck_assert_int_eq(socket_rt_init(&h->rt, h->u, &fops), 0);
    h->s.socket_rt = &h->rt;
    h->now = 1000 * SEC;
    return h;
}

static void h_free(struct harness *h)
{
    h->u->socket = NULL; /* ours, not the unit's */
    socket_rt_release(&h->rt);
    svc_release(&h->s);
    unit_free(h->u);
    free(h);
}

static const char *sub_of(struct harness *h)
{
    return unit_sub_name(unit_sub_of(&h->s));
}

static const char *state_of(struct harness *h)
{
    return unit_state_name(unit_state_of(&h->s));
}

/* The service the socket started ends. */
static void h_service_ends(struct harness *h)
{
    h->active = false;
    socket_service_changed(&h->s, true, false);
}

START_TEST(test_start_stop)
{
    struct harness *h = h_new(false);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert_str_eq(socket_activates(&h->s), "web.service");
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "listening");
    ck_assert_str_eq(state_of(h), "active");
    ck_assert(h->open && h->watching);
    ck_assert_int_eq(h->s.sub, SUB_RUNNING);
    unit_start(&h->s, true); /* started already: nothing */
    ck_assert_uint_eq(h->opens, 1);
    unit_stop(&h->s);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert_str_eq(state_of(h), "inactive");
    ck_assert(!h->open && !h->watching);
    ck_assert_uint_eq(h->closes, 1);
    unit_stop(&h->s);
    ck_assert_uint_eq(h->closes, 1);
    h_free(h);
}
END_TEST

START_TEST(test_trigger_and_back)
{
    struct harness *h = h_new(false);
    unit_start(&h->s, true);
    socket_readable(&h->s);
    ck_assert_uint_eq(h->triggers, 1);
    ck_assert_str_eq(sub_of(h), "running");
    ck_assert(h->open && !h->watching);
    socket_readable(&h->s); /* not watched: a stray event does nothing */
    ck_assert_uint_eq(h->triggers, 1);
    /* About to restart: the service keeps the fds. */
    socket_service_changed(&h->s, false, true);
    ck_assert_str_eq(sub_of(h), "running");
    h_service_ends(h);
    ck_assert_str_eq(sub_of(h), "listening");
    ck_assert(h->open && h->watching);
    socket_readable(&h->s);
    ck_assert_uint_eq(h->triggers, 2);
    ck_assert_str_eq(sub_of(h), "running");
    struct socket_view v;
    ck_assert(socket_view_of(&h->s, &v));
    ck_assert_uint_eq(v.n_triggers, 2);
    ck_assert_str_eq(v.activates, "web.service");
    h_free(h);
}
END_TEST

START_TEST(test_service_started_by_hand)
{
    struct harness *h = h_new(false);
    h->active = true; /* up before the socket */
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "running");
    ck_assert(h->open && !h->watching);
    h_service_ends(h);
    ck_assert_str_eq(sub_of(h), "listening");
    /* Started by other means while listening: it has the fds now. */
    h->active = true;
    socket_service_changed(&h->s, false, false);
    ck_assert_str_eq(sub_of(h), "running");
    ck_assert(!h->watching);
    ck_assert_uint_eq(h->triggers, 0);
    h_free(h);
}
END_TEST

START_TEST(test_service_down_at_once)
{
    struct harness *h = h_new(false);
    h->service_stays_down = true;
    unit_start(&h->s, true);
    socket_readable(&h->s);
    ck_assert_uint_eq(h->triggers, 1);
    ck_assert_str_eq(sub_of(h), "listening");
    ck_assert(h->watching);
    h_free(h);
}
END_TEST

START_TEST(test_trigger_limit)
{
    struct harness *h = h_new(false);
    h->conf.trigger_limit_burst = 3;
    unit_start(&h->s, true);
    for (int i = 0; i < 3; i++) {
        socket_readable(&h->s);
        ck_assert_str_eq(sub_of(h), "running");
        h->now += SEC / 10;
        h_service_ends(h);
    }
    socket_readable(&h->s);
    ck_assert_uint_eq(h->triggers, 3);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(state_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "trigger-limit-hit");
    ck_assert(!h->open && !h->watching);
    /* A new interval after a start: triggers again. */
    h->now += 10 * SEC;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "listening");
    ck_assert_int_eq(h->s.result, RESULT_SUCCESS);
    socket_readable(&h->s);
    ck_assert_uint_eq(h->triggers, 4);
    h_free(h);
}
END_TEST

START_TEST(test_trigger_limit_window_passes)
{
    struct harness *h = h_new(false);
    h->conf.trigger_limit_burst = 2;
    unit_start(&h->s, true);
    for (int i = 0; i < 6; i++) {
        socket_readable(&h->s);
        ck_assert_str_eq(sub_of(h), "running");
        h->now += SEC + SEC / 10; /* two per interval at most */
        h_service_ends(h);
    }
    ck_assert_uint_eq(h->triggers, 6);
    h_free(h);
}
END_TEST

START_TEST(test_open_fails)
{
    struct harness *h = h_new(false);
    h->open_fails = true;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "resources");
    ck_assert(!h->watching);
    ck_assert_uint_eq(h->closes, 1);
    h->open_fails = false;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "listening");
    h_free(h);
}
END_TEST

START_TEST(test_service_cannot_start)
{
    struct harness *h = h_new(false);
    h->trigger_fails = true;
    h->trigger_why = RESULT_SERVICE_START_LIMIT;
    unit_start(&h->s, true);
    socket_readable(&h->s);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "service-start-limit-hit");
    ck_assert(!h->open && !h->watching);
    h_free(h);
}
END_TEST

START_TEST(test_stop_while_running)
{
    struct harness *h = h_new(false);
    unit_start(&h->s, true);
    socket_readable(&h->s);
    unit_stop(&h->s);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert(!h->open);
    /* Its service ending later changes nothing. */
    h_service_ends(h);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert(!h->watching);
    h_free(h);
}
END_TEST

START_TEST(test_accept_yes)
{
    struct harness *h = h_new(true);
    ck_assert_str_eq(socket_activates(&h->s), "web@.service");
    h->conf.trigger_limit_burst_set = true;
    h->conf.trigger_limit_burst = 2;
    unit_start(&h->s, true);
    socket_readable(&h->s);
    socket_readable(&h->s);
    ck_assert_uint_eq(h->accepts, 2);
    ck_assert_str_eq(sub_of(h), "listening"); /* instances do not change it */
    ck_assert(h->watching);
    socket_service_changed(&h->s, false, false); /* not for Accept=yes */
    ck_assert_str_eq(sub_of(h), "listening");
    socket_readable(&h->s); /* the third connection in the interval */
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "trigger-limit-hit");
    h_free(h);
}
END_TEST

START_TEST(test_service_name)
{
    struct harness *h = h_new(false);
    h->conf.service = "other.service";
    ck_assert_str_eq(socket_activates(&h->s), "other.service");
    h_free(h);
}
END_TEST

static struct exec_command pre_cmd = {.line = (char *)"pre"};
static struct exec_command post_cmd = {.line = (char *)"stoppost"};
static struct exec_command stoppre_cmd = {.line = (char *)"stoppre"};

/* The control process that runs exits with status code. */
static void h_exit(struct harness *h, int code)
{
    ck_assert_int_gt(h->s.control.pid, 0);
    socket_proc_exited(&h->s, &h->s.control, code << 8);
}

START_TEST(test_commands)
{
    struct harness *h = h_new(false);
    struct unit_cmds cmds = {0};
    cmds.exec_start_pre = (struct exec_list){.v = &pre_cmd, .n = 1};
    cmds.exec_stop = (struct exec_list){.v = &stoppre_cmd, .n = 1};
    cmds.exec_stop_post = (struct exec_list){.v = &post_cmd, .n = 1};
    h->u->cmds = &cmds;
    spawns = 0;
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "start-pre");
    ck_assert_str_eq(state_of(h), "activating");
    ck_assert_str_eq(last_cmd, "pre");
    ck_assert_uint_eq(h->opens, 0); /* ExecStartPre= runs before the fds are made */
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "listening");
    ck_assert_uint_eq(h->opens, 1);
    unit_stop(&h->s);
    ck_assert_str_eq(sub_of(h), "stop-pre");
    ck_assert_str_eq(state_of(h), "deactivating");
    ck_assert(h->open); /* ExecStopPre= runs with the fds open */
    ck_assert_str_eq(last_cmd, "stoppre");
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "stop-post");
    ck_assert(!h->open);
    ck_assert_str_eq(last_cmd, "stoppost");
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert_uint_eq(spawns, 3);

    /* ExecStartPre= fails: no fds, ExecStopPost= runs, the socket fails. */
    unit_start(&h->s, true);
    h_exit(h, 1);
    ck_assert_str_eq(sub_of(h), "stop-post");
    ck_assert_uint_eq(h->opens, 1);
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "exit-code");

    /* A stop during start-pre: its end takes the socket down. */
    unit_start(&h->s, true);
    ck_assert_str_eq(sub_of(h), "start-pre");
    unit_stop(&h->s);
    ck_assert_str_eq(sub_of(h), "start-pre");
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "stop-post");
    ck_assert_uint_eq(h->opens, 1);
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "dead");
    ck_assert_uint_eq(armed, 0);

    /* A command past its timeout is killed and fails the socket. */
    h->u->timeout_start_usec = 5 * SEC;
    unit_start(&h->s, true);
    ck_assert_uint_eq(armed, 5 * SEC);
    socket_timer_fired(&h->s);
    ck_assert_int_eq(last_kill, SIGKILL);
    socket_proc_exited(&h->s, &h->s.control, SIGKILL); /* killed by it */
    ck_assert_str_eq(sub_of(h), "stop-post");
    h_exit(h, 0);
    ck_assert_str_eq(sub_of(h), "failed");
    ck_assert_str_eq(service_result_name(h->s.result), "timeout");
    ck_assert_uint_eq(armed, 0);
    h->u->cmds = NULL;
    h_free(h);
}
END_TEST

/* --- unit_table_remove -------------------------------------------------------- */

struct table_ctx {
    unsigned freed, removed, forgotten;
};

static void nop_changed(struct service *s, enum svc_sub old)
{
}

static uint64_t nop_now(struct service *s)
{
    return 0;
}

static const struct svc_ops table_sops = {.changed = nop_changed, .now = nop_now};

static struct service *t_new(void *ctx, struct unit *u)
{
    struct service *s = calloc(1, sizeof(*s));
    svc_init(s, u, &table_sops, ctx);
    return s;
}

static void t_free(void *ctx, struct service *s)
{
    ((struct table_ctx *)ctx)->freed++;
    svc_release(s);
    free(s);
}

static void w_removed(void *ctx, struct service *s)
{
    ((struct table_ctx *)ctx)->removed++;
}

static void w_forget(void *ctx, struct service *s)
{
    ((struct table_ctx *)ctx)->forgotten++;
}

static const struct unit_table_ops tops = {.service_new = t_new, .service_free = t_free};
static const struct unit_table_watch twatch = {.removed = w_removed, .forget = w_forget};

START_TEST(test_table_remove)
{
    struct table_ctx x = {0};
    struct unit_table t;
    unit_table_init(&t, &tops, &x);
    t.watch = &twatch;
    t.watch_ctx = &x;
    struct unit *units[1] = {unit_new("a.service")};
    ck_assert_int_eq(unit_table_load(&t, units, 1), 0);
    struct service *inst = unit_table_insert(&t, unit_new("web@1.service"));
    ck_assert_ptr_nonnull(inst);
    ck_assert_ptr_eq(unit_table_find(&t, "web@1.service"), inst);
    inst->main.pending = true; /* a spawn report may still name it */
    ck_assert_int_eq(unit_table_remove(&t, inst), 0);
    ck_assert_ptr_null(unit_table_find(&t, "web@1.service"));
    ck_assert_uint_eq(t.n, 1);
    ck_assert_uint_eq(x.removed, 1);
    ck_assert(unit_table_pending(&t));
    ck_assert_int_eq(unit_table_remove(&t, inst), 0); /* not in it: nothing */
    ck_assert_uint_eq(x.removed, 1);
    unit_table_settle(&t, false);
    ck_assert_uint_eq(x.freed, 0); /* not idle yet */
    inst->main.pending = false;
    unit_table_settle(&t, true);
    ck_assert_uint_eq(x.freed, 0); /* a report in flight */
    unit_table_settle(&t, false);
    ck_assert_uint_eq(x.forgotten, 1);
    ck_assert_uint_eq(x.freed, 1);
    ck_assert(!unit_table_pending(&t));
    unit_table_free(&t);
    ck_assert_uint_eq(x.freed, 2);
}
END_TEST

static Suite *socket_suite(void)
{
    Suite *s = suite_create("socket");
    TCase *tc = tcase_create("machine");
    tcase_add_test(tc, test_start_stop);
    tcase_add_test(tc, test_trigger_and_back);
    tcase_add_test(tc, test_service_started_by_hand);
    tcase_add_test(tc, test_service_down_at_once);
    tcase_add_test(tc, test_trigger_limit);
    tcase_add_test(tc, test_trigger_limit_window_passes);
    tcase_add_test(tc, test_open_fails);
    tcase_add_test(tc, test_service_cannot_start);
    tcase_add_test(tc, test_stop_while_running);
    tcase_add_test(tc, test_accept_yes);
    tcase_add_test(tc, test_service_name);
    tcase_add_test(tc, test_commands);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("table");
    tcase_add_test(tt, test_table_remove);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(socket_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
