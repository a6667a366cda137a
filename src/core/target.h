/* target.h - a target's state machine: a unit with no process of its own
 * that groups others (systemd.target(5)).
 *
 * Pure, like service.c: it runs on the generic runtime record (struct
 * service: name, links, sub-state, board slot) and reaches the world only
 * through s->ops (changed, now). Its sub-states are three of a service's:
 *   dead (inactive) --start--> start (activating) --deps_done--> running,
 * shown as "active" (target_sub_code()); stop goes back to dead at once.
 * A start of an active target enters start again: the job waits while
 * what it wants and was stopped starts again. While activating, the supervisor starts what it
 * Wants=/Requires= (run/pull.c) and reports back with target_deps_done().
 */
#ifndef PXINIT_TARGET_H
#define PXINIT_TARGET_H

#include <stdbool.h>

#include "core/service.h"

void target_start(struct service *t, bool explicit_request);
void target_stop(struct service *t);
/* Down and up again, without stopping what is PartOf= it (unit_restart()
 * restarts those). */
void target_restart(struct service *t);
/* What it pulled in is up (failed: a unit it Requires= failed to start). */
void target_deps_done(struct service *t, bool failed);
/* "dead", "start", "active", "failed": systemd's words for a target. */
uint8_t target_sub_code(const struct service *t);

#endif
