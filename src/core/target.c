/* target.c - the target state machine (target.h). A target runs nothing:
 * starting it checks its conditions and waits, in "start", until the
 * supervisor has brought up what it pulls in; stopping it is immediate. The
 * generic effects of a change (the board, the job queue, BindsTo=/PartOf=
 * propagation) are the supervisor's, reached through ops->changed. */
#include "core/target.h"

#include "base/log.h"
#include "core/unit_type.h"
#include "wire/unit_state.h"

static void target_set(struct service *t, enum svc_sub sub)
{
    enum svc_sub old = t->sub;
    t->sub = sub;
    t->since_usec = t->ops->now(t);
    if (old != sub)
        t->ops->changed(t, old);
}

/* Condition*=/Assert*= as for a service (through the ops: they read the
 * file system): a condition not met leaves it dead, an assertion failed
 * leaves it failed. */
static bool target_conditions_met(struct service *t)
{
    const struct path_condition *c = NULL;
    enum condition_result r = svc_conditions_check(t, &c);
    if (r == CONDITION_MET)
        return true;
    svc_condition_log(t, c, r);
    if (r == CONDITION_ASSERT_FAILED)
        t->result = RESULT_ASSERT;
    target_set(t, r == CONDITION_ASSERT_FAILED ? SUB_FAILED : SUB_DEAD);
    return false;
}

void target_start(struct service *t, bool explicit_request)
{
    t->stop_wanted = false;
    if (t->sub == SUB_START)
        return;
    if (t->sub == SUB_RUNNING) {
        /* As systemctl's start of an active target: what it wants is
         * started again where it was stopped, and the job waits for it. */
        target_set(t, SUB_START);
        return;
    }
    if (explicit_request)
        t->restarts = 0;
    t->result = RESULT_SUCCESS;
    if (!target_conditions_met(t))
        return;
    target_set(t, SUB_START);
}

void target_deps_done(struct service *t, bool failed)
{
    if (t->sub != SUB_START)
        return;
    if (failed) {
        /* systemd's job result "dependency": the target stays inactive. */
        log_unit_error(t->name, "a unit it requires failed to start");
        t->result = RESULT_RESOURCES;
        target_set(t, SUB_DEAD);
        return;
    }
    t->started_ok = true;
    target_set(t, SUB_RUNNING);
}

void target_stop(struct service *t)
{
    t->stop_wanted = true;
    if (t->sub != SUB_DEAD && t->sub != SUB_FAILED)
        target_set(t, SUB_DEAD);
}

void target_restart(struct service *t)
{
    t->stop_wanted = false;
    if (t->sub != SUB_DEAD && t->sub != SUB_FAILED)
        target_set(t, SUB_DEAD);
    target_start(t, true);
}

uint8_t target_sub_code(const struct service *t)
{
    return t->sub == SUB_RUNNING ? UNIT_SUB_ACTIVE : (uint8_t)t->sub;
}

static void target_reset_failed(struct service *t)
{
    if (t->sub == SUB_FAILED)
        target_set(t, SUB_DEAD);
}

const struct unit_type_ops target_type_ops = {
    .suffix = ".target",
    .start = target_start,
    .stop = target_stop,
    .restart = target_restart,
    .sub_code = target_sub_code,
    .reset_failed = target_reset_failed,
    .pulls_deps = true,
};
