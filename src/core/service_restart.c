/* service_restart.c - an explicit restart of one service (service.h); the
 * units that Requires=/PartOf= it are restarted with it by unit_restart()
 * (unit_type.c), whatever their type. */
#include "core/service.h"

/* A restart is a stop, then a start once the stop is done (the machine's
 * start_after_stop); a unit that is not running just starts. */
static void restart_one(struct service *s)
{
    if (svc_state_of(s->sub) == SVC_INACTIVE || s->sub == SUB_FAILED ||
        s->sub == SUB_AUTO_RESTART) {
        svc_start(s, true);
        return;
    }
    svc_stop(s);
    s->restarts = 0;
    if (svc_is_settled(s)) {
        /* Nothing was left to stop (a oneshot in exited): start right away,
         * or it would stay dead with start_after_stop pending. */
        svc_start(s, false);
        return;
    }
    s->start_after_stop = true;
}

/* This unit alone: the units that Requires=/PartOf= it, of any type, are
 * restarted with it by unit_restart() (unit_type.c). */
void svc_restart(struct service *s)
{
    restart_one(s);
}
