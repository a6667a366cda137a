/* propagate.h - requirement dependencies between units as they change
 * state: Conflicts= (starting one stops the other), BindsTo= (a unit stops
 * when the one it is bound to stops for any reason), Requires=/PartOf= (it
 * stops when that one is stopped on request).
 *
 * Through a queue, never by recursion: a change that matters is queued, the
 * first one drains the queue, and the changes its stops cause are queued
 * behind it (breadth first), so a BindsTo= chain of any length is stopped
 * in constant stack. Knows nothing of the loop: check_supervisor.c drives it
 * with fake service ops.
 */
#ifndef PXINIT_PROPAGATE_H
#define PXINIT_PROPAGATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/service.h"

struct propagate_change {
    struct service *s;
    enum svc_sub old, now;
};

struct propagate_queue {
    struct propagate_change *v; /* [head, tail) waits; grows by doubling */
    size_t head, tail, cap;
    bool draining;
    bool stopping; /* shutdown: units stop in order, not through their dependencies */
};

/* s changed from old to s->sub (svc_ops.changed): stops what that change
 * requires, now or, while the queue drains, once the changes queued before
 * it are done. Without memory to queue it, it is applied at once. */
void propagate_changed(struct propagate_queue *q, struct service *s, enum svc_sub old);

void propagate_free(struct propagate_queue *q);

#endif
