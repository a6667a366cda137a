/* unit_stamps.c - the times `show` tells of a unit (systemd's
 * StateChangeTimestamp, ActiveEnterTimestamp, ... ExecMainExitTimestamp),
 * kept in s->stamps as the unit's state changes: the generic record, the
 * same for every type. Times are ops->now()'s, the loop's wall clock.
 * The main process's own (ExecMain*) are svc_stamps.c's. */
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
