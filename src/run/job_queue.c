/* job_queue.c - the boot and shutdown jobs in dependency order
 * (job_queue.h). */
#include "run/job_queue.h"

#include <errno.h>
#include <stdlib.h>

#include "core/unit_type.h"
#include "base/log.h"
#include "run/pxinit.h"
#include "run/socket_run.h"
#include "run/timer_run.h"

int job_queue_reserve(struct job_queue *q, size_t n)
{
    if (n <= q->cap)
        return 0;
    struct service **v = realloc(q->v, n * sizeof(*v));
    if (!v) {
        errno = ENOMEM;
        return -1;
    }
    q->v = v;
    q->cap = n;
    return 0;
}

static void queue_push(struct job_queue *q, struct service *s)
{
    /* Each unit is queued at most once per phase, and the table never
     * outgrows cap (unit_table_ops.reserve). */
    if (q->tail < q->cap)
        q->v[q->tail++] = s;
}

static void boot_job_done(struct pxinit *px, struct service *s);
static void stop_job_done(struct pxinit *px, struct service *s);

/* Requires=/BindsTo= after a failed unit, or Requisite= on one not up:
 * the start is refused (the unit stays inactive, as systemd's job fails
 * with "dependency"). */
static bool start_allowed(struct service *s)
{
    if (s->dep_failed) {
        s->dep_failed = false;
        log_unit_error(s->name, "dependency failed, not starting");
        return false;
    }
    for (unsigned i = 0; i < s->links->ndeps; i++) {
        struct service *d = s->links->deps[i].s;
        if ((s->links->deps[i].kinds & DEP_REQUISITE) && svc_is_settled(d)) {
            log_unit_error(s->name, "Requisite=%s is not active, not starting", d->unit->name);
            return false;
        }
    }
    return true;
}

static void queue_drain(struct pxinit *px)
{
    struct job_queue *q = &px->jobq;
    if (q->draining)
        return;
    q->draining = true;
    while (q->head < q->tail) {
        struct service *s = q->v[q->head++];
        s->job_started = true;
        if ((px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) && !start_allowed(s)) {
            boot_job_done(px, s);
        } else if (px->phase == PHASE_BOOT &&
                   (timer_run_activates(px, s) || socket_run_activates(px, s))) {
            boot_job_done(px, s); /* its timer or socket starts it (SPEC) */
        } else if (px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) {
            unit_start(s, false);
            if (s->queued && !svc_is_busy_starting(s))
                boot_job_done(px, s);
        } else if (px->phase == PHASE_STOPPING) {
            unit_stop(s);
            if (s->queued && svc_is_settled(s))
                stop_job_done(px, s);
        }
    }
    q->head = q->tail = 0;
    q->draining = false;
    /* boot_pending or stop_pending at 0 ends a phase: phase_step() looks. */
}

static void boot_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->jobq.boot_pending--;
    /* A failed start fails the units that require it and wait for it. */
    if (s->sub == SUB_FAILED || s->sub == SUB_AUTO_RESTART) {
        for (unsigned i = 0; i < s->links->nrdeps; i++) {
            if (!(s->links->rdeps[i].kinds & (DEP_REQUIRES | DEP_REQUISITE | DEP_BINDS_TO)))
                continue;
            for (unsigned k = 0; k < s->links->nsucc; k++)
                if (s->links->succ[k] == s->links->rdeps[i].s)
                    s->links->rdeps[i].s->dep_failed = true;
        }
    }
    for (unsigned i = 0; i < s->links->nsucc; i++) {
        struct service *n = s->links->succ[i];
        /* A socket waited for nothing (its count is 0 already). */
        if (n->wait_count && --n->wait_count == 0 && n->queued)
            queue_push(&px->jobq, n);
    }
}

static void stop_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->jobq.stop_pending--;
    for (unsigned i = 0; i < s->links->npred; i++) {
        struct service *p = s->links->pred[i];
        if (--p->wait_count == 0 && p->queued)
            queue_push(&px->jobq, p);
    }
}

void job_queue_changed(struct pxinit *px, struct service *s)
{
    if (!s->queued || !s->job_started)
        return;
    if ((px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) && !svc_is_busy_starting(s))
        boot_job_done(px, s);
    else if (px->phase == PHASE_STOPPING && svc_is_settled(s))
        stop_job_done(px, s);
    queue_drain(px);
}

void job_queue_boot(struct pxinit *px)
{
    struct unit_table *t = &px->table;
    px->jobq.boot_pending = t->n;
    px->jobq.head = px->jobq.tail = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct service *s = t->svc[i];
        s->wait_count = s->links->npred;
        s->queued = true;
        s->job_started = false;
    }
    /* Sockets first, waiting for nothing: they are open before any
     * service starts (SPEC). Then, in start order, so independent units
     * start in a deterministic order. */
    for (size_t k = 0; k < t->n; k++) {
        struct service *s = t->svc[t->order[k]];
        if (s->unit->kind == UNIT_KIND_SOCKET) {
            s->wait_count = 0;
            queue_push(&px->jobq, s);
        }
    }
    for (size_t k = 0; k < t->n; k++) {
        struct service *s = t->svc[t->order[k]];
        if (s->wait_count == 0 && s->unit->kind != UNIT_KIND_SOCKET)
            queue_push(&px->jobq, s);
    }
    queue_drain(px);
}

void job_queue_stop_all(struct pxinit *px)
{
    struct unit_table *t = &px->table;
    px->jobq.stop_pending = t->n;
    px->jobq.head = px->jobq.tail = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct service *s = t->svc[i];
        s->wait_count = s->links->nsucc;
        s->queued = true;
        s->job_started = false;
    }
    /* In reverse start order. */
    for (size_t k = t->n; k-- > 0;) {
        struct service *s = t->svc[t->order[k]];
        if (s->wait_count == 0)
            queue_push(&px->jobq, s);
    }
    queue_drain(px);
}

void job_queue_free(struct job_queue *q)
{
    free(q->v);
    *q = (struct job_queue){0};
}
