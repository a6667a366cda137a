/* check_props.c - the `show` properties (control/props.h) of a service on
 * the fake machine: systemd's names, value shapes and order, -p, the
 * timestamps a state change records (core/unit_stamps.c), the sets of a
 * unit that is not loaded, and the manager's. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "control/props.h"
#include "core/unit_type.h"
#include "svc_fake.h"

/* What props emitted: KEY=VALUE lines. */
struct capture {
    char keys[512][64];
    char values[512][1024];
    size_t n;
};

static void cap_emit(void *ctx, const char *key, const char *value)
{
    struct capture *c = ctx;
    ck_assert_uint_lt(c->n, 512);
    snprintf(c->keys[c->n], sizeof(c->keys[0]), "%s", key);
    snprintf(c->values[c->n], sizeof(c->values[0]), "%s", value);
    c->n++;
}

static const char *cap_get(const struct capture *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i], key) == 0)
            return c->values[i];
    return NULL;
}

static long cap_pos(const struct capture *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i], key) == 0)
            return (long)i;
    return -1;
}

#define assert_prop(c, key, want)                                                    \
    do {                                                                             \
        const char *v_ = cap_get((c), (key));                                        \
        ck_assert_msg(v_ != NULL, "no %s", (key));                                   \
        ck_assert_msg(strcmp(v_, (want)) == 0, "%s=%s, want %s", (key), v_, (want)); \
    } while (0)

static struct capture *show(const struct service *s, char *const *only, size_t nonly)
{
    struct capture *c = calloc(1, sizeof(*c));
    ck_assert_ptr_nonnull(c);
    struct props_out o = {.emit = cap_emit, .ctx = c, .only = only, .nonly = nonly};
    struct props_env env = {.realtime_now = SEC(2000), .monotonic_now = SEC(500)};
    props_unit(&o, s, &env);
    return c;
}

/* The state change as the supervisor notes it (op_changed). */
static void note(struct harness *h)
{
    unit_stamps_changed(&h->s, h->now);
}

START_TEST(test_service_running)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/sleep 1000");
    h->u->description = strdup("The web");
    h->u->timeout_start_usec = SEC(90);
    h->u->restart = RESTART_ON_FAILURE;
    h_run(h);
    pid_t pid = h->s.main.pid;
    struct capture *c = show(&h->s, NULL, 0);
    assert_prop(c, "Type", "simple");
    assert_prop(c, "Restart", "on-failure");
    assert_prop(c, "RestartUSec", "100ms");
    assert_prop(c, "TimeoutStartUSec", "1min 30s");
    assert_prop(c, "NotifyAccess", "none");
    assert_prop(c, "Result", "success");
    assert_prop(c, "NRestarts", "0");
    assert_prop(c, "Id", "x.service");
    assert_prop(c, "Names", "x.service");
    assert_prop(c, "Description", "The web");
    assert_prop(c, "LoadState", "loaded");
    assert_prop(c, "ActiveState", "active");
    assert_prop(c, "SubState", "running");
    assert_prop(c, "UnitFileState", "");
    assert_prop(c, "KillMode", "control-group");
    assert_prop(c, "KillSignal", "15");
    assert_prop(c, "CanStart", "yes");
    assert_prop(c, "CanReload", "no");
    assert_prop(c, "ConditionResult", "yes");
    assert_prop(c, "AssertResult", "yes");
    char want[64];
    snprintf(want, sizeof(want), "%d", (int)pid);
    assert_prop(c, "MainPID", want);
    assert_prop(c, "ExecMainPID", want);
    assert_prop(c, "ExecMainCode", "0");
    snprintf(want, sizeof(want), "%llu", (unsigned long long)SEC(1000));
    assert_prop(c, "ExecMainStartTimestamp", want);
    /* 1000 s of realtime is 500 s before now (2000): monotonic 0. */
    assert_prop(c, "ExecMainStartTimestampMonotonic", "0");
    const char *ex = cap_get(c, "ExecStart");
    ck_assert_ptr_nonnull(ex);
    ck_assert_msg(strncmp(ex,
                          "{ path=/bin/sleep ; argv[]=/bin/sleep 1000 ; ignore_errors=no ; "
                          "start_time=[",
                          66) == 0,
                  "ExecStart=%s", ex);
    snprintf(want, sizeof(want), " ; pid=%d ; code=(null) ; status=0/0 }", (int)pid);
    ck_assert_msg(strstr(ex, want) && strstr(ex, "stop_time=[n/a]"), "ExecStart=%s", ex);
    /* The Service interface first, then the Unit interface. */
    ck_assert_int_eq(cap_pos(c, "Type"), 0);
    ck_assert_int_lt(cap_pos(c, "MainPID"), cap_pos(c, "ExecStart"));
    ck_assert_int_lt(cap_pos(c, "ExecStart"), cap_pos(c, "KillMode"));
    ck_assert_int_lt(cap_pos(c, "KillMode"), cap_pos(c, "Id"));
    ck_assert_int_lt(cap_pos(c, "Id"), cap_pos(c, "Description"));
    ck_assert_int_lt(cap_pos(c, "Description"), cap_pos(c, "LoadState"));
    ck_assert_int_lt(cap_pos(c, "SubState"), cap_pos(c, "StateChangeTimestamp"));
    ck_assert_int_eq(cap_pos(c, "StateChangeTimestamp") + 2, cap_pos(c, "InactiveExitTimestamp"));
    free(c);
    h_free(h);
}
END_TEST

START_TEST(test_exit_status)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "-/bin/false x");
    h_run(h);
    h->now += SEC(5);
    h_exit(h, &h->s.main, WS_EXIT(3));
    struct capture *c = show(&h->s, NULL, 0);
    assert_prop(c, "ExecMainCode", "1"); /* CLD_EXITED */
    assert_prop(c, "ExecMainStatus", "3");
    char want[64];
    snprintf(want, sizeof(want), "%llu", (unsigned long long)SEC(1005));
    assert_prop(c, "ExecMainExitTimestamp", want);
    const char *ex = cap_get(c, "ExecStart");
    ck_assert_msg(strstr(ex, "ignore_errors=yes") && strstr(ex, "code=exited ; status=3 }") &&
                      !strstr(ex, "stop_time=[n/a]"),
                  "ExecStart=%s", ex);
    free(c);
    h_free(h);

    h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    h_run(h);
    h_exit(h, &h->s.main, WS_SIGNAL(SIGKILL));
    c = show(&h->s, NULL, 0);
    assert_prop(c, "ExecMainCode", "2"); /* CLD_KILLED */
    assert_prop(c, "ExecMainStatus", "9");
    ck_assert_msg(strstr(cap_get(c, "ExecStart"), "code=killed ; status=9/KILL }"), "%s",
                  cap_get(c, "ExecStart"));
    free(c);
    h_free(h);
}
END_TEST

START_TEST(test_conditions)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    struct capture *c = show(&h->s, NULL, 0);
    assert_prop(c, "ConditionResult", "no"); /* never checked */
    assert_prop(c, "ConditionTimestamp", "0");
    free(c);
    h->conditions = CONDITION_FAILED;
    svc_start(&h->s, true);
    assert_sub(h, "dead");
    c = show(&h->s, NULL, 0);
    assert_prop(c, "ConditionResult", "no");
    assert_prop(c, "AssertResult", "no");
    char want[32];
    snprintf(want, sizeof(want), "%llu", (unsigned long long)SEC(1000));
    assert_prop(c, "ConditionTimestamp", want);
    assert_prop(c, "AssertTimestamp", "0");
    free(c);
    h->conditions = CONDITION_ASSERT_FAILED;
    svc_start(&h->s, true);
    c = show(&h->s, NULL, 0);
    assert_prop(c, "ConditionResult", "yes");
    assert_prop(c, "AssertResult", "no");
    assert_prop(c, "Result", "assert");
    free(c);
    h_free(h);
}
END_TEST

START_TEST(test_filter)
{
    struct harness *h = h_new(UNIT_TYPE_SIMPLE, "/bin/main");
    char *only[] = {"SubState", "Id", "NoSuchThing", "ActiveState", "MainPID"};
    struct capture *c = show(&h->s, only, 5);
    ck_assert_uint_eq(c->n, 4);
    /* systemd's order, not the order asked. */
    ck_assert_str_eq(c->keys[0], "MainPID");
    ck_assert_str_eq(c->keys[1], "Id");
    ck_assert_str_eq(c->keys[2], "ActiveState");
    ck_assert_str_eq(c->keys[3], "SubState");
    ck_assert_str_eq(c->values[0], "0");
    ck_assert_str_eq(c->values[2], "inactive");
    free(c);
    h_free(h);
}
END_TEST

START_TEST(test_stamps)
{
    struct harness *h = h_new(UNIT_TYPE_NOTIFY, "/bin/main");
    h->now = SEC(100);
    svc_start(&h->s, true); /* activating (start) until READY=1 */
    note(h);
    h_started(h, &h->s.main);
    assert_state(h, "activating");
    h->now = SEC(101);
    svc_notify_ready(&h->s);
    note(h); /* running: active */
    h->now = SEC(102);
    h_exit(h, &h->s.main, WS_EXIT(1)); /* failed */
    note(h);
    const struct svc_stamps *t = &h->s.stamps;
    ck_assert_uint_eq(t->inactive_exit, SEC(100));
    ck_assert_uint_eq(t->active_enter, SEC(101));
    ck_assert_uint_eq(t->active_exit, SEC(102));
    ck_assert_uint_eq(t->inactive_enter, SEC(102));
    ck_assert_uint_eq(t->state_change, SEC(102));
    assert_sub(h, "failed");

    /* reset-failed: dead, success, and the record notes the change. */
    h->now = SEC(103);
    unit_reset_failed(&h->s);
    note(h);
    assert_sub(h, "dead");
    assert_result(h, "success");
    ck_assert_uint_eq(t->state_change, SEC(103));
    ck_assert_uint_eq(t->inactive_enter, SEC(102)); /* failed to dead: still inactive */
    h_free(h);
}
END_TEST

START_TEST(test_monotonic)
{
    struct capture c = {0};
    struct props_out o = {.emit = cap_emit, .ctx = &c};
    struct props_env env = {.realtime_now = SEC(2000), .monotonic_now = SEC(500)};
    props_stamp(&o, "FooTimestamp", SEC(1900), &env);
    props_stamp(&o, "BarTimestamp", 0, &env);
    props_stamp(&o, "OldTimestamp", SEC(1000), &env); /* before boot: no monotonic */
    ck_assert_uint_eq(c.n, 6);
    ck_assert_str_eq(c.keys[1], "FooTimestampMonotonic");
    ck_assert_str_eq(c.values[0], "1900000000");
    ck_assert_str_eq(c.values[1], "400000000");
    ck_assert_str_eq(c.values[2], "0");
    ck_assert_str_eq(c.values[3], "0");
    ck_assert_str_eq(c.values[5], "0");
}
END_TEST

START_TEST(test_unloaded)
{
    struct capture c = {0};
    struct props_out o = {.emit = cap_emit, .ctx = &c};
    props_unloaded(&o, "nosuch.service", false);
    assert_prop(&c, "Id", "nosuch.service");
    assert_prop(&c, "Names", "nosuch.service");
    assert_prop(&c, "LoadState", "not-found");
    assert_prop(&c, "ActiveState", "inactive");
    assert_prop(&c, "SubState", "dead");
    assert_prop(&c, "Description", "nosuch.service");
    assert_prop(&c, "FragmentPath", "");
    assert_prop(&c, "LoadError",
                "org.freedesktop.systemd1.NoSuchUnit \"Unit nosuch.service not found.\"");
    ck_assert_int_lt(cap_pos(&c, "Type"), cap_pos(&c, "Id")); /* a service's set */

    memset(&c, 0, sizeof(c));
    props_unloaded(&o, "hidden.timer", true);
    assert_prop(&c, "LoadState", "masked");
    assert_prop(&c, "CanStart", "no");
    ck_assert_int_eq(cap_pos(&c, "Type"), -1);

    memset(&c, 0, sizeof(c));
    props_unloaded(&o, "home.mount", false);
    assert_prop(&c, "Id", "home.mount");
    assert_prop(&c, "LoadState", "not-found");
    ck_assert_int_eq(cap_pos(&c, "Type"), -1); /* no service's set */
}
END_TEST

START_TEST(test_manager)
{
    struct capture c = {0};
    struct props_out o = {.emit = cap_emit, .ctx = &c};
    struct props_manager m = {.version = "1.2",
                              .system_state = "degraded",
                              .unit_path = "/a:/b",
                              .environment = "",
                              .n_names = 7,
                              .n_failed_units = 1,
                              .n_jobs = 0};
    props_manager(&o, &m);
    assert_prop(&c, "Version", "1.2");
    assert_prop(&c, "SystemState", "degraded");
    assert_prop(&c, "UnitPath", "/a:/b");
    assert_prop(&c, "NNames", "7");
    assert_prop(&c, "NFailedUnits", "1");
    assert_prop(&c, "NJobs", "0");
    ck_assert_int_eq(cap_pos(&c, "Version"), 0);
    ck_assert_int_lt(cap_pos(&c, "NNames"), cap_pos(&c, "UnitPath"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("props");
    TCase *tc = tcase_create("props");
    tcase_add_test(tc, test_service_running);
    tcase_add_test(tc, test_exit_status);
    tcase_add_test(tc, test_conditions);
    tcase_add_test(tc, test_filter);
    tcase_add_test(tc, test_stamps);
    tcase_add_test(tc, test_monotonic);
    tcase_add_test(tc, test_unloaded);
    tcase_add_test(tc, test_manager);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
