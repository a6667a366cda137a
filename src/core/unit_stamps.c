/* unit_stamps.c - the times `show` tells of a unit (systemd's
 * StateChangeTimestamp, ActiveEnterTimestamp, ... ExecMainExitTimestamp),
 * kept in s->stamps as the unit's state changes: the generic record, the
 * same for every type. Times are ops->now()'s, the loop's wall clock. */
#include <signal.h>
#include <sys/wait.h>

#include "core/unit_type.h"

static bool inactive_or_failed(uint8_t st)
{
    return st == UNIT_STATE_INACTIVE || st == UNIT_STATE_FAILED;
}

/* systemd counts reloading as active; pxinit's reload sub-state is active. */
static bool active(uint8_t st)
{
    return st == UNIT_STATE_ACTIVE;
}

void unit_stamps_changed(struct service *s, uint64_t now)
{
    struct svc_stamps *t = &s->stamps;
    uint8_t os = t->last_state, ns = unit_state_of(s);
    t->state_change = now;
    if (inactive_or_failed(os) && !inactive_or_failed(ns))
        t->inactive_exit = now;
    else if (!inactive_or_failed(os) && inactive_or_failed(ns))
        t->inactive_enter = now;
    if (!active(os) && active(ns))
        t->active_enter = now;
    else if (active(os) && !active(ns))
        t->active_exit = now;
    t->last_state = ns;
}

void svc_stamps_main_start(struct service *s)
{
    struct svc_stamps *t = &s->stamps;
    t->exec_main_start = s->ops->now(s);
    t->exec_main_exit = 0;
    t->exec_main_pid = s->main.pid;
    t->exec_main_code = 0;
    t->exec_main_status = 0;
}

void svc_stamps_main_exit(struct service *s, int status)
{
    struct svc_stamps *t = &s->stamps;
    t->exec_main_exit = s->ops->now(s);
    if (WIFEXITED(status)) {
        t->exec_main_code = CLD_EXITED;
        t->exec_main_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        t->exec_main_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
        t->exec_main_status = WTERMSIG(status);
    }
}
