/* supervisor.h - applies the service state machine to the real world:
 * loads units, spawns their commands, routes reaped pids back to services,
 * runs the boot and shutdown queues in dependency order. */
#ifndef PXINIT_SUPERVISOR_H
#define PXINIT_SUPERVISOR_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/pxinit.h"

/* Reads every *.service of the unit directories (first directory wins for a
 * name), reports problems, and builds the services and their order.
 * Units that fail to load are reported and left out; the rest run. */
int supervisor_load(struct pxinit *px);

/* Starts every loaded unit, in parallel where After=/Before= allow. */
void supervisor_boot(struct pxinit *px);

/* Stops every unit in reverse order; px->jobq.stop_pending reaches 0 when
 * done (phase_step() looks). */
void supervisor_stop_all(struct pxinit *px);

/* A child was reaped (reap.c). Returns true when the
 * pid belonged to a service or a spawn. */
bool supervisor_child_exited(struct pxinit *px, pid_t pid, int status);

struct svc_proc;
/* Sends sig to p's process group (group) or to its pid: the group only while
 * its id is pinned (supervisor.c), the pid only while unreaped. 0, or -1 with
 * errno (ESRCH when there is nothing to signal). */
int supervisor_signal(struct pxinit *px, struct service *s, struct svc_proc *p, int sig,
                      bool group);

/* Any reap: services waiting for their groups to empty re-check. */
void supervisor_reaped_any(struct pxinit *px);

struct notify_msg;
struct ucred;
/* An sd_notify(3) message from sender (its kernel-checked credentials),
 * attributed to s (NotifyAccess= checked). */
void supervisor_notify(struct pxinit *px, struct service *s, const struct ucred *sender,
                       const struct notify_msg *m);
/* One service for u (the unit table's ops): allocated on its own, never
 * moved. NULL without memory. */
struct service *supervisor_service_new(struct pxinit *px, struct unit *u);
/* Frees a settled service (not its unit); its watchers are stopped here. */
void supervisor_service_free(struct pxinit *px, struct service *s);

/* Tears down everything at exit (frees services and units). */
void supervisor_free(struct pxinit *px);

#endif
