/* check_target.c - the target state machine, driven through the unit-type
 * seam (unit_type.h) and the same svc_ops as a service, with fakes that
 * record every state change: a target never spawns, signals or arms a
 * timer. Also the seam itself: which ops a unit's kind selects, and the
 * names a target's record shows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/target.h"
#include "core/unit_type.h"

#define MAX_CHANGES 64

struct harness {
    struct unit *u;
    struct service s;
    enum svc_sub old[MAX_CHANGES], sub[MAX_CHANGES];
    size_t nchanges;
    unsigned effects; /* spawn, kill, group_alive or timer: never for a target */
    uint64_t now;
};

static struct harness *h_of(struct service *s)
{
    return s->ctx;
}

static int fake_spawn(struct service *s, const struct exec_command *cmd, bool is_main)
{
    h_of(s)->effects++;
    return -1;
}

static void fake_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    h_of(s)->effects++;
}

static bool fake_group_alive(struct service *s, struct svc_proc *p)
{
    h_of(s)->effects++;
    return false;
}

static void fake_timer(struct service *s, uint64_t usec)
{
    h_of(s)->effects++;
}

static void fake_changed(struct service *s, enum svc_sub old)
{
    struct harness *h = h_of(s);
    ck_assert_uint_lt(h->nchanges, MAX_CHANGES);
    ck_assert_int_ne(old, s->sub);
    h->old[h->nchanges] = old;
    h->sub[h->nchanges++] = s->sub;
}

static uint64_t fake_now(struct service *s)
{
    return h_of(s)->now;
}

static const struct svc_ops fake_ops = {
    .spawn = fake_spawn,
    .kill = fake_kill,
    .group_alive = fake_group_alive,
    .timer = fake_timer,
    .changed = fake_changed,
    .now = fake_now,
    .check_conditions = condition_check, /* the real one: the paths are real */
};

static struct harness *h_new(const char *name)
{
    struct harness *h = calloc(1, sizeof(*h));
    ck_assert_ptr_nonnull(h);
    h->u = unit_new(name);
    ck_assert_ptr_nonnull(h->u);
    h->now = 1000;
    svc_init(&h->s, h->u, &fake_ops, h);
    return h;
}

static void h_free(struct harness *h)
{
    ck_assert_uint_eq(h->effects, 0);
    svc_release(&h->s);
    unit_free(h->u);
    free(h);
}

static void assert_shown(struct harness *h, const char *state, const char *sub)
{
    ck_assert_str_eq(unit_state_name(unit_state_of(&h->s)), state);
    ck_assert_str_eq(unit_sub_name(unit_sub_of(&h->s)), sub);
}

/* ---- the seam ---------------------------------------------------------------- */

START_TEST(test_kind_selects_ops)
{
    struct harness *t = h_new("multi-user.target"), *s = h_new("web.service");
    ck_assert_int_eq(t->u->kind, UNIT_KIND_TARGET);
    ck_assert_int_eq(s->u->kind, UNIT_KIND_SERVICE);
    ck_assert_ptr_eq(unit_type_of(&t->s), &target_type_ops);
    ck_assert_str_eq(unit_type_of(&t->s)->suffix, ".target");
    ck_assert_str_eq(unit_type_of(&s->s)->suffix, ".service");
    ck_assert(unit_type_of(&t->s)->pulls_deps);
    ck_assert(!unit_type_of(&s->s)->pulls_deps);
    /* The short name keeps a target's suffix, drops a service's. */
    ck_assert_str_eq(t->s.name, "multi-user.target");
    ck_assert_str_eq(s->s.name, "web");
    ck_assert_int_eq(unit_kind_of_name("x.timer"), UNIT_KIND_TIMER);
    ck_assert_int_eq(unit_kind_of_name("x.mount"), -1);
    ck_assert_int_eq(unit_kind_of_name(".target"), -1);
    h_free(t);
    h_free(s);
}
END_TEST

/* ---- start, stop, restart ------------------------------------------------------ */

START_TEST(test_start_waits_for_deps)
{
    struct harness *h = h_new("app.target");
    assert_shown(h, "inactive", "dead");
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->nchanges, 1);
    ck_assert_int_eq(h->sub[0], SUB_START);
    assert_shown(h, "activating", "start");
    ck_assert(svc_is_busy_starting(&h->s));
    /* A second start while starting changes nothing. */
    unit_start(&h->s, true);
    ck_assert_uint_eq(h->nchanges, 1);
    h->now = 2000;
    target_deps_done(&h->s, false);
    ck_assert_uint_eq(h->nchanges, 2);
    assert_shown(h, "active", "active");
    ck_assert_uint_eq(h->s.since_usec, 2000);
    ck_assert(!svc_is_settled(&h->s));
    h_free(h);
}
END_TEST

START_TEST(test_stop_is_immediate)
{
    struct harness *h = h_new("app.target");
    unit_start(&h->s, true);
    target_deps_done(&h->s, false);
    unit_stop(&h->s);
    assert_shown(h, "inactive", "dead");
    ck_assert(h->s.stop_wanted); /* what is PartOf= it follows (supervisor) */
    ck_assert(svc_is_settled(&h->s));
    size_t n = h->nchanges;
    unit_stop(&h->s); /* stopping a stopped target: nothing */
    ck_assert_uint_eq(h->nchanges, n);
    /* A stop while starting ends the start; a late report is ignored. */
    unit_start(&h->s, true);
    unit_stop(&h->s);
    target_deps_done(&h->s, false);
    assert_shown(h, "inactive", "dead");
    h_free(h);
}
END_TEST

START_TEST(test_required_dep_failed)
{
    struct harness *h = h_new("app.target");
    unit_start(&h->s, true);
    target_deps_done(&h->s, true);
    assert_shown(h, "inactive", "dead");
    ck_assert_int_ne(h->s.result, RESULT_SUCCESS); /* the start job fails */
    unit_start(&h->s, true);
    ck_assert_int_eq(h->s.result, RESULT_SUCCESS);
    assert_shown(h, "activating", "start");
    h_free(h);
}
END_TEST

/* Start of an active target starts again what it pulls in: it waits in
 * "start" once more. */
START_TEST(test_start_when_active)
{
    struct harness *h = h_new("app.target");
    unit_start(&h->s, true);
    target_deps_done(&h->s, false);
    unit_start(&h->s, true);
    assert_shown(h, "activating", "start");
    target_deps_done(&h->s, false);
    assert_shown(h, "active", "active");
    h_free(h);
}
END_TEST

START_TEST(test_restart_keeps_part_of)
{
    struct harness *h = h_new("app.target");
    unit_start(&h->s, true);
    target_deps_done(&h->s, false);
    size_t n = h->nchanges;
    unit_restart(&h->s);
    /* Down and up without stop_wanted: the PartOf= units are restarted by
     * unit_restart(), not stopped on the way. */
    ck_assert_uint_eq(h->nchanges, n + 2);
    ck_assert_int_eq(h->sub[n], SUB_DEAD);
    ck_assert_int_eq(h->sub[n + 1], SUB_START);
    ck_assert(!h->s.stop_wanted);
    h_free(h);
}
END_TEST

START_TEST(test_reload_unsupported)
{
    struct harness *h = h_new("app.target");
    unit_start(&h->s, true);
    target_deps_done(&h->s, false);
    ck_assert_int_eq(unit_reload(&h->s), SVC_RELOAD_UNSUPPORTED);
    assert_shown(h, "active", "active");
    h_free(h);
}
END_TEST

/* ConditionPathExists= (table: a path that is missing; one that is there,
 * negated): the target is skipped, not failed. */
START_TEST(test_condition_not_met)
{
    struct harness *h = h_new("app.target");
    struct unit_cmds *c = unit_part(h->u, UNIT_PART_CMDS);
    ck_assert_ptr_nonnull(c);
    c->conditions.v = calloc(1, sizeof(*c->conditions.v));
    ck_assert_ptr_nonnull(c->conditions.v);
    c->conditions.v[0].path = strdup(_i == 0 ? "/nonexistent/pxinit-test" : "/");
    c->conditions.v[0].negate = _i == 1;
    c->conditions.n = 1;
    unit_start(&h->s, true);
    assert_shown(h, "inactive", "dead");
    ck_assert_int_eq(h->s.result, RESULT_SUCCESS);
    ck_assert_uint_eq(h->nchanges, 0);
    h_free(h);
}
END_TEST

START_TEST(test_assert_failed)
{
    struct harness *h = h_new("app.target");
    struct unit_cmds *c = unit_part(h->u, UNIT_PART_CMDS);
    ck_assert_ptr_nonnull(c);
    c->conditions.v = calloc(1, sizeof(*c->conditions.v));
    ck_assert_ptr_nonnull(c->conditions.v);
    c->conditions.v[0].path = strdup("/nonexistent/pxinit-test");
    c->conditions.v[0].is_assert = true;
    c->conditions.n = 1;
    unit_start(&h->s, true);
    assert_shown(h, "failed", "failed");
    ck_assert_int_eq(h->s.result, RESULT_ASSERT);
    h_free(h);
}
END_TEST

static Suite *target_suite(void)
{
    Suite *s = suite_create("target");
    TCase *tc = tcase_create("target");
    tcase_add_test(tc, test_kind_selects_ops);
    tcase_add_test(tc, test_start_waits_for_deps);
    tcase_add_test(tc, test_stop_is_immediate);
    tcase_add_test(tc, test_required_dep_failed);
    tcase_add_test(tc, test_start_when_active);
    tcase_add_test(tc, test_restart_keeps_part_of);
    tcase_add_test(tc, test_reload_unsupported);
    tcase_add_loop_test(tc, test_condition_not_met, 0, 2);
    tcase_add_test(tc, test_assert_failed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(target_suite());
    log_set_level(LOG_LEVEL_ERROR);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
