/* pull.h - what a started unit pulls in: a target's Wants=/Requires= (and
 * BindsTo=) are started when it starts, each once its ordering
 * predecessors are up, and the target is active once they all are. */
#ifndef PXINIT_PULL_H
#define PXINIT_PULL_H

#include "run/pxinit.h"

/* Every state change (supervisor's op_changed): a target that began to
 * start pulls its units in; waiting units whose predecessors are up start;
 * targets whose units are up become active. */
void pull_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old);
/* s is about to be freed (daemon-reload): it waits for nothing any more. */
void pull_forget(struct pxinit *px, struct service *s);
void pull_free(struct pxinit *px);

#endif
