/* pull.c - starting what a target pulls in, in order (pull.h).
 *
 * Two short lists, allocated on first use: units pulled in but not started
 * yet, because a unit they are ordered after (After=) is still starting or
 * waiting itself; and targets in "start" until what they pulled in is up.
 * Both are looked at after every state change, through a loop (never by
 * recursion: a start changes states, which calls back here and returns at
 * once while the loop runs). A boot pulls nothing: its queue starts every
 * unit once, in order (supervisor.c), and a target started there only
 * waits for its predecessors.
 */
#include "run/pull.h"

#include <stdlib.h>

#include "base/log.h"
#include "core/target.h"
#include "core/unit_type.h"

struct svc_vec {
    struct service **v;
    size_t n, cap;
};

struct pull {
    struct svc_vec waiting; /* pulled in, not started yet */
    struct svc_vec targets; /* targets in "start" */
    bool running;
};

#define PULL_KINDS (DEP_WANTS | DEP_REQUIRES | DEP_BINDS_TO)

static bool vec_has(const struct svc_vec *v, const struct service *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == s)
            return true;
    return false;
}

static int vec_add(struct svc_vec *v, struct service *s)
{
    if (vec_has(v, s))
        return 0;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        struct service **nv = realloc(v->v, cap * sizeof(*nv));
        if (!nv)
            return -1;
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = s;
    return 0;
}

static void vec_del(struct svc_vec *v, size_t i)
{
    v->v[i] = v->v[--v->n];
}

static struct pull *pull_get(struct pxinit *px)
{
    if (!px->pull)
        px->pull = calloc(1, sizeof(*px->pull));
    return px->pull;
}

/* Not up yet, as far as a unit ordered after s is concerned. */
static bool still_starting(const struct pull *p, const struct service *s)
{
    return s->queued || svc_is_busy_starting(s) || vec_has(&p->waiting, s);
}

/* s may start: no unit it is ordered after is still on its way up. */
static bool order_allows(const struct pull *p, const struct service *s)
{
    for (unsigned i = 0; i < s->links->npred; i++)
        if (still_starting(p, s->links->pred[i]))
            return false;
    return true;
}

/* t's pulled units are up (0), still coming (-1), or one it requires
 * failed (1). Only units t is ordered after count, as in systemd. */
static int target_progress(const struct pull *p, const struct service *t)
{
    int r = 0;
    for (unsigned i = 0; i < t->links->npred; i++) {
        const struct service *d = t->links->pred[i];
        if (still_starting(p, d))
            return -1;
        for (unsigned k = 0; k < t->links->ndeps; k++)
            if (t->links->deps[k].s == d &&
                (t->links->deps[k].kinds & (DEP_REQUIRES | DEP_BINDS_TO)) &&
                svc_state_of(d->sub) != SVC_ACTIVE && d->result != RESULT_SUCCESS)
                r = 1;
    }
    return r;
}

static void pull_deps_of(struct pxinit *px, struct pull *p, struct service *t)
{
    if (vec_add(&p->targets, t) < 0) {
        log_unit_warn(t->name, "out of memory: not waiting for what it wants");
        target_deps_done(t, false);
        return;
    }
    /* At boot the queue starts every unit once, the target after what it
     * wants: a oneshot that ran and exited must not run again for it. */
    for (unsigned i = 0; px->phase == PHASE_RUNNING && i < t->links->ndeps; i++) {
        struct service *d = t->links->deps[i].s;
        if (!(t->links->deps[i].kinds & PULL_KINDS) || d->queued)
            continue; /* not pulled, or a boot job starts it */
        if (svc_state_of(d->sub) == SVC_ACTIVE || svc_is_busy_starting(d) ||
            d->sub == SUB_AUTO_RESTART)
            continue;
        if (vec_add(&p->waiting, d) < 0)
            log_unit_warn(d->name, "out of memory: %s does not start it", t->name);
    }
}

/* Still in the unit table: a daemon-reload retires removed units at once
 * and frees them later (pull_forget()). */
static bool in_table(const struct pxinit *px, const struct service *s)
{
    return s->idx < px->table.n && px->table.svc[s->idx] == s;
}

/* One pass: starts a waiting unit or settles a target; false when there
 * was nothing to do. */
static bool pull_step(struct pxinit *px, struct pull *p)
{
    for (size_t i = 0; i < p->waiting.n; i++) {
        struct service *d = p->waiting.v[i];
        if (in_table(px, d) && !order_allows(p, d))
            continue;
        vec_del(&p->waiting, i);
        if (in_table(px, d))
            unit_start(d, true);
        return true;
    }
    for (size_t i = 0; i < p->targets.n; i++) {
        struct service *t = p->targets.v[i];
        int r = t->sub == SUB_START ? target_progress(p, t) : 0;
        if (r < 0)
            continue;
        vec_del(&p->targets, i);
        target_deps_done(t, r > 0);
        return true;
    }
    return false;
}

void pull_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old)
{
    bool pulls = s->sub == SUB_START && old != SUB_START && unit_type_of(s)->pulls_deps;
    struct pull *p = pulls ? pull_get(px) : px->pull;
    if (!p) {
        if (pulls) {
            log_unit_warn(s->name, "out of memory: not waiting for what it wants");
            target_deps_done(s, false);
        }
        return;
    }
    if (px->phase >= PHASE_STOPPING) {
        p->waiting.n = 0; /* a shutdown stops everything: start nothing more */
        p->targets.n = 0;
        return;
    }
    if (pulls)
        pull_deps_of(px, p, s);
    if (p->running)
        return; /* the loop below is on it */
    p->running = true;
    while (pull_step(px, p))
        ;
    p->running = false;
}

void pull_forget(struct pxinit *px, struct service *s)
{
    struct pull *p = px->pull;
    struct svc_vec *lists[2] = {p ? &p->waiting : NULL, p ? &p->targets : NULL};
    for (int k = 0; p && k < 2; k++)
        for (size_t i = lists[k]->n; i-- > 0;)
            if (lists[k]->v[i] == s)
                vec_del(lists[k], i);
}

void pull_free(struct pxinit *px)
{
    if (!px->pull)
        return;
    free(px->pull->waiting.v);
    free(px->pull->targets.v);
    free(px->pull);
    px->pull = NULL;
}
