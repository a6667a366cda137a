/* group_pin.h - a unit's process group is signalled only while its id is
 * pinned: while pxinit holds an unreaped child in that group or in the
 * session of that id (doc/DESIGN.md, "Signals never reach a reused id").
 * supervisor_signal() (supervisor.h) is built on it. */
#ifndef PXINIT_GROUP_PIN_H
#define PXINIT_GROUP_PIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/pxinit.h"

/* Releases p's pin (its index entry, unless the other proc shares it). */
void group_pin_drop(struct pxinit *px, struct service *s, struct svc_proc *p);
/* pid, perhaps p's pin, was reaped: an empty group is forgotten at once,
 * before its id can be reused; one with members left gets a new pin. */
void group_pin_reaped(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pid);
/* p's group takes pgid, pinned by pin (a child of pxinit; 0: find one). */
void group_pin_adopt(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pgid,
                     pid_t pin);
/* True while p's group id is pinned and so still names the unit's group. */
bool group_pin_held(struct pxinit *px, struct service *s, struct svc_proc *p);

#endif
