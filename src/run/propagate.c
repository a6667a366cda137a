/* propagate.c - requirement dependencies applied through a queue
 * (propagate.h). */
#include "run/propagate.h"

#include <stdlib.h>

#include "core/unit_type.h"
#include "base/log.h"

static bool is_settled(enum svc_state st)
{
    return st == SVC_INACTIVE || st == SVC_FAILED;
}

/* Whether c can stop anything: most changes cannot, and are not queued. */
static bool matters(const struct propagate_change *c)
{
    enum svc_state was = svc_state_of(c->old), now = svc_state_of(c->now);
    if (is_settled(was) && now == SVC_ACTIVATING)
        return c->s->links->ndeps > 0;
    return is_settled(now) && !is_settled(was) && c->s->links->nrdeps > 0;
}

static void apply(struct propagate_queue *q, const struct propagate_change *c)
{
    struct service *s = c->s;
    const struct svc_links *l = s->links;
    enum svc_state was = svc_state_of(c->old), now = svc_state_of(c->now);

    if (is_settled(was) && now == SVC_ACTIVATING) {
        for (unsigned i = 0; i < l->ndeps; i++) {
            struct service *d = l->deps[i].s;
            if ((l->deps[i].kinds & DEP_CONFLICTS) && !svc_is_settled(d)) {
                log_unit_info(d->name, "stopping: %s conflicts with it", s->name);
                unit_stop(d);
            }
        }
    }
    if (!is_settled(now) || is_settled(was) || q->stopping)
        return;
    for (unsigned i = 0; i < l->nrdeps; i++) {
        struct service *a = l->rdeps[i].s;
        unsigned k = l->rdeps[i].kinds;
        if (svc_is_settled(a) || a->stop_wanted)
            continue;
        if (k & DEP_BINDS_TO) {
            log_unit_info(a->name, "stopping: it is bound to %s, which stopped", s->name);
            unit_stop(a);
        } else if ((k & (DEP_REQUIRES | DEP_PART_OF)) && s->stop_wanted) {
            log_unit_info(a->name, "stopping: it %s %s, which was stopped",
                          k & DEP_PART_OF ? "is part of" : "requires", s->name);
            unit_stop(a);
        }
    }
}

static bool push(struct propagate_queue *q, const struct propagate_change *c)
{
    if (q->head == q->tail)
        q->head = q->tail = 0;
    if (q->tail == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        struct propagate_change *v = realloc(q->v, cap * sizeof(*v));
        if (!v)
            return false;
        q->v = v;
        q->cap = cap;
    }
    q->v[q->tail++] = *c;
    return true;
}

void propagate_changed(struct propagate_queue *q, struct service *s, enum svc_sub old)
{
    struct propagate_change c = {s, old, s->sub};
    if (!matters(&c))
        return;
    if (!push(q, &c)) {
        apply(q, &c); /* out of memory: at once, in this stack */
        return;
    }
    if (q->draining)
        return; /* the drain below in the stack takes it in turn */
    q->draining = true;
    while (q->head < q->tail) {
        struct propagate_change next = q->v[q->head++]; /* v may move meanwhile */
        apply(q, &next);
    }
    q->head = q->tail = 0;
    q->draining = false;
}

void propagate_free(struct propagate_queue *q)
{
    free(q->v);
    *q = (struct propagate_queue){0};
}
