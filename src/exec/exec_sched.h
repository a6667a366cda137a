/* exec_sched.h - a service's scheduling, applied in the child between fork
 * and exec: OOMScoreAdjust=, CPUSchedulingPolicy=/Priority=/ResetOnFork=,
 * Nice=, IOSchedulingClass=/Priority=; and the setgroups() a user namespace
 * denies. What a container lacks is tolerated as systemd tolerates it: an
 * OOM adjustment it may not make is skipped, a nice level it may not reach
 * becomes the closest it may; CPU and I/O scheduling fail the start (214,
 * 211) as in systemd. Everything here is async-signal-safe. */
#ifndef PXINIT_EXEC_SCHED_H
#define PXINIT_EXEC_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "unit/unit.h"

struct exec_sched {
    int nice;
    int oom_score_adjust;
    int cpu_policy;   /* SCHED_* */
    int cpu_priority; /* in the policy's range */
    int ioprio;       /* the kernel's class << 13 | level */
    bool nice_set;
    bool oom_score_adjust_set;
    bool cpu_set;
    bool cpu_reset_on_fork;
    bool ioprio_set;
};

/* What failed in exec_sched_apply() (errno says why). */
enum exec_sched_step {
    EXEC_SCHED_OK,
    EXEC_SCHED_OOM,
    EXEC_SCHED_CPU,
    EXEC_SCHED_NICE,
    EXEC_SCHED_IOPRIO,
};

/* The unit's settings, with systemd's defaults and ranges applied. */
struct exec_sched exec_sched_of(const struct unit_exec *x);

/* In the child, in systemd's order (the CPU policy before the nice level,
 * which some policies would reset). */
enum exec_sched_step exec_sched_apply(const struct exec_sched *s);

/* After setgroups(groups) failed with errno err: true when the start may go
 * on without it. That is when the user namespace forbids setgroups() to
 * everyone (/proc/self/setgroups says "deny") and the process already has
 * exactly those groups, the primary group gid aside (a container's init
 * usually has none, and a service's list is its primary group): nothing is
 * gained or kept that should not be. Also when the process already runs as
 * uid and gid (pxinit without privileges: its groups are that user's), as
 * systemd lets initgroups() fail then. errno is err again afterwards. */
bool exec_groups_denied_ok(int err, const gid_t *groups, size_t ngroups, uid_t uid, gid_t gid);

#endif
