/* unit_sched.c - the parsers of how a service's processes are scheduled
 * (systemd.exec(5)): CPUSchedulingPolicy=, CPUSchedulingPriority=,
 * CPUSchedulingResetOnFork=, IOSchedulingClass=, IOSchedulingPriority=,
 * Nice= and OOMScoreAdjust=; exec_sched.c applies them. An empty
 * value restores the key's default; a unit with none of them leaves the
 * scheduling it inherits.
 */
#include "unit/unit_values.h"

#include <sched.h>

static const struct value_name policy_names[] = {
    {"other", SCHED_OTHER}, {"batch", SCHED_BATCH}, {"idle", SCHED_IDLE},
    {"fifo", SCHED_FIFO},   {"rr", SCHED_RR},       {NULL, 0},
};

static const struct value_name ioprio_class_names[] = {
    {"none", IO_CLASS_NONE},
    {"realtime", IO_CLASS_REALTIME},
    {"best-effort", IO_CLASS_BEST_EFFORT},
    {"idle", IO_CLASS_IDLE},
    {NULL, 0},
};

int value_parse_sched(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_exec *x = ctx->u->exec;
    unsigned long long n;
    int v, b;

    switch (k->arg) {
    case KEY_SCHED_POLICY:
        if (!*value)
            v = SCHED_OTHER;
        else if (!value_lookup(policy_names, value, &v))
            return unit_key_invalid(ctx, "want other, batch, idle, fifo or rr");
        x->cpu_sched_policy = v;
        x->cpu_sched_set = true;
        return 0;
    case KEY_SCHED_PRIORITY:
        /* The range depends on the policy, which may come later: 1..99 for
         * fifo and rr, 0 for the others (exec_sched_of() clamps). */
        if (!*value)
            n = 0;
        else if (value_parse_ull(value, 10, 99, &n) < 0)
            return unit_key_invalid(ctx, "not a priority from 0 to 99");
        x->cpu_sched_priority = (int)n;
        x->cpu_sched_set = true;
        return 0;
    case KEY_SCHED_RESET_ON_FORK:
        b = *value ? value_parse_bool(value) : 0;
        if (b < 0)
            return unit_key_invalid(ctx, "not a boolean");
        x->cpu_sched_reset_on_fork = b;
        x->cpu_sched_set = true;
        return 0;
    case KEY_IOPRIO_CLASS:
        if (!*value)
            v = IO_CLASS_BEST_EFFORT;
        else if (!value_lookup(ioprio_class_names, value, &v))
            return unit_key_invalid(ctx, "want realtime, best-effort, idle or none");
        /* "none" is best-effort at level 4, what a process has by default. */
        if (v == IO_CLASS_NONE) {
            v = IO_CLASS_BEST_EFFORT;
            x->ioprio_level = 4;
        }
        x->ioprio_class = (int8_t)v;
        x->ioprio_set = true;
        return 0;
    case KEY_IOPRIO_LEVEL:
        if (!*value)
            n = 4;
        else if (value_parse_ull(value, 10, 7, &n) < 0)
            return unit_key_invalid(ctx, "not a priority from 0 to 7");
        x->ioprio_level = (int8_t)n;
        x->ioprio_set = true;
        return 0;
    }
    return unit_key_invalid(ctx, "unknown scheduling key");
}

int value_parse_oom_score_adjust(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                 const char *value)
{
    long long v;
    if (!*value) {
        ctx->u->exec->oom_score_adjust_set = false;
        return 0;
    }
    if (value_parse_ll(value, -1000, 1000, &v) < 0)
        return unit_key_invalid(ctx, "not a number from -1000 to 1000");
    ctx->u->exec->oom_score_adjust = (int)v;
    ctx->u->exec->oom_score_adjust_set = true;
    return 0;
}

int value_parse_nice(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    long long v;

    if (!*value) {
        ctx->u->exec->nice_set = false;
        ctx->u->exec->nice = 0;
        return 0;
    }
    if (value_parse_ll(value, -20, 19, &v) < 0)
        return unit_key_invalid(ctx, "not a nice level between -20 and 19");
    ctx->u->exec->nice = (int)v;
    ctx->u->exec->nice_set = true;
    return 0;
}
