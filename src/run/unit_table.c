/* unit_table.c - the unit table and its three changes: filled at boot, an
 * instance added on request, replaced by daemon-reload (unit_table.h).
 *
 * Each change goes in two steps. A stage builds the new table aside: the
 * sorted array, the services it adds, the graph (unit_graph.c), room in the
 * owner's per-unit arrays and in the lists of what waits; any failure there
 * undoes only what the stage made. Then the commit installs it with no
 * allocation at all, so it cannot fail half-way.
 */
#include "run/unit_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/unit_type.h"
#include "base/log.h"
#include "run/unit_graph.h"
#include "unit/unit_notice.h"

/* One entry of a table being built: the service and its definition then. */
struct entry {
    struct service *s;
    struct unit *u;
};

/* A table built aside. */
struct stage {
    struct entry *e; /* n entries, sorted by name by stage_build() */
    size_t n;
    struct service **svc;
    struct unit **units;
    struct unit_graph g;
};

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->u->name, ((const struct entry *)b)->u->name);
}

static void stage_free(struct stage *st)
{
    free(st->svc);
    free(st->units);
    unit_graph_free(&st->g);
    st->svc = NULL;
    st->units = NULL;
}

/* Everything the table of st->e needs but the commit; 0 or -1 (ENOMEM). */
static int stage_build(struct unit_table *t, struct stage *st)
{
    size_t n = st->n;
    if (n > 1)
        qsort(st->e, n, sizeof(*st->e), entry_cmp);
    st->svc = malloc((n ? n : 1) * sizeof(*st->svc));
    st->units = malloc((n ? n : 1) * sizeof(*st->units));
    if (st->svc && st->units) {
        for (size_t i = 0; i < n; i++) {
            st->svc[i] = st->e[i].s;
            st->units[i] = st->e[i].u;
        }
        if (unit_graph_build(&st->g, st->svc, st->units, n) == 0 &&
            (!t->ops->reserve || t->ops->reserve(t->ctx, n) == 0))
            return 0;
    }
    stage_free(st);
    errno = ENOMEM;
    return -1;
}

/* The commit's last step: allocates nothing. */
static void stage_install(struct unit_table *t, struct stage *st)
{
    unit_graph_install(&st->g, st->svc);
    free(t->svc);
    free(t->order);
    t->svc = st->svc;
    t->order = st->g.order;
    t->n = st->n;
    st->svc = NULL;
    st->g.order = NULL;
    stage_free(st);
}

void unit_table_init(struct unit_table *t, const struct unit_table_ops *ops, void *ctx)
{
    *t = (struct unit_table){.ops = ops, .ctx = ctx};
}

struct service *unit_table_find(const struct unit_table *t, const char *name)
{
    size_t i = unit_graph_find(t->svc, NULL, t->n, name);
    return i < t->n ? t->svc[i] : NULL;
}

int unit_table_load(struct unit_table *t, struct unit **units, size_t n)
{
    struct stage st = {.e = calloc(n ? n : 1, sizeof(*st.e))};
    size_t made = 0;
    while (st.e && made < n) {
        st.e[made].u = units[made];
        st.e[made].s = t->ops->service_new(t->ctx, units[made]);
        if (!st.e[made].s)
            break;
        made++;
    }
    st.n = made;
    if (!st.e || made < n || stage_build(t, &st) < 0) {
        for (size_t i = 0; st.e && i < made; i++)
            t->ops->service_free(t->ctx, st.e[i].s);
        free(st.e);
        errno = ENOMEM;
        return -1;
    }
    stage_install(t, &st);
    free(st.e);
    return 0;
}

struct service *unit_table_insert(struct unit_table *t, struct unit *u)
{
    struct stage st = {.e = malloc((t->n + 1) * sizeof(*st.e)), .n = t->n + 1};
    struct service *s = st.e ? t->ops->service_new(t->ctx, u) : NULL;
    if (!s) {
        free(st.e);
        errno = ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++)
        st.e[i] = (struct entry){t->svc[i], t->svc[i]->unit};
    st.e[t->n] = (struct entry){s, u};
    if (stage_build(t, &st) < 0) {
        t->ops->service_free(t->ctx, s);
        free(st.e);
        errno = ENOMEM;
        return NULL;
    }
    stage_install(t, &st);
    free(st.e);
    if (t->watch && t->watch->added)
        t->watch->added(t->watch_ctx, s);
    return s;
}

int unit_table_remove(struct unit_table *t, struct service *s)
{
    size_t at = t->n;
    for (size_t i = 0; i < t->n; i++)
        if (t->svc[i] == s)
            at = i;
    if (at == t->n)
        return 0; /* removed already */
    struct service **r = realloc(t->retired, (t->nretired + 1) * sizeof(*r));
    if (!r) {
        errno = ENOMEM;
        return -1;
    }
    t->retired = r;
    struct stage st = {.e = malloc((t->n ? t->n : 1) * sizeof(*st.e)), .n = t->n - 1};
    for (size_t i = 0, k = 0; st.e && i < t->n; i++)
        if (i != at)
            st.e[k++] = (struct entry){t->svc[i], t->svc[i]->unit};
    if (!st.e || stage_build(t, &st) < 0) {
        free(st.e);
        errno = ENOMEM;
        return -1;
    }
    stage_install(t, &st);
    free(st.e);
    t->retired[t->nretired++] = s;
    if (t->watch && t->watch->removed)
        t->watch->removed(t->watch_ctx, s);
    return 0;
}

bool unit_table_pending(const struct unit_table *t)
{
    return t->nretired || t->nswaps;
}

/* Nothing runs for s and nothing is about to. */
static bool is_idle(const struct service *s)
{
    return svc_is_settled(s) && !s->in_kill_list && !s->main.pending && !s->control.pending &&
           s->main.pid == 0 && s->control.pid == 0 && !s->main.job && !s->control.job;
}

/* The links and order again, after definitions changed under the same
 * services. Without memory the ones of before stay: they name only
 * services of the table, so they are stale, never dangling. */
static void table_regraph(struct unit_table *t)
{
    struct stage st = {.e = malloc((t->n ? t->n : 1) * sizeof(*st.e)), .n = t->n};
    for (size_t i = 0; st.e && i < t->n; i++)
        st.e[i] = (struct entry){t->svc[i], t->svc[i]->unit};
    if (!st.e || stage_build(t, &st) < 0)
        log_warnx("out of memory ordering units: the dependencies of before stay");
    else
        stage_install(t, &st);
    free(st.e);
}

bool unit_table_settle(struct unit_table *t, bool spawning)
{
    bool wait = false;
    for (size_t i = t->nretired; i-- > 0;) {
        struct service *s = t->retired[i];
        /* A spawn report still in flight may name the service; its end
         * changes no state, so the caller looks again a little later. */
        if (!is_idle(s) || spawning) {
            wait = wait || svc_is_settled(s);
            continue;
        }
        if (t->watch && t->watch->forget)
            t->watch->forget(t->watch_ctx, s);
        struct unit *u = s->unit;
        log_unit_debug(s->name, "removed");
        t->ops->service_free(t->ctx, s);
        unit_free(u);
        t->retired[i] = t->retired[--t->nretired];
    }
    /* New definitions first, then the graph they make, then the starts. */
    bool swapped = false;
    for (size_t i = 0; i < t->nswaps; i++) {
        struct unit_swap *w = &t->swaps[i];
        if (!is_idle(w->s)) {
            wait = wait || svc_is_settled(w->s);
            continue;
        }
        struct unit *old = w->s->unit;
        svc_set_unit(w->s, w->u);
        unit_free(old);
        w->u = NULL; /* applied */
        swapped = true;
    }
    if (!swapped)
        return wait;
    table_regraph(t);
    for (size_t i = t->nswaps; i-- > 0;) {
        struct unit_swap w = t->swaps[i];
        if (w.u)
            continue;
        t->swaps[i] = t->swaps[--t->nswaps];
        if (w.start)
            unit_start(w.s, true);
    }
    return wait;
}

void unit_table_free(struct unit_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct unit *u = t->svc[i]->unit;
        t->ops->service_free(t->ctx, t->svc[i]);
        unit_free(u);
    }
    for (size_t i = 0; i < t->nretired; i++) {
        struct unit *u = t->retired[i]->unit;
        t->ops->service_free(t->ctx, t->retired[i]);
        unit_free(u);
    }
    for (size_t i = 0; i < t->nswaps; i++)
        unit_free(t->swaps[i].u);
    free(t->svc);
    free(t->order);
    free(t->retired);
    free(t->swaps);
    unit_table_init(t, t->ops, t->ctx);
}

/* --- daemon-reload ------------------------------------------------------------- */

/* One unit's change, in report order. */
struct item {
    enum unit_change what;
    struct service *s;
    struct unit *u;   /* the new definition (changed, restarting) */
    const char *name; /* UNIT_NOT_LOADED: it has no service */
};

enum fate {
    FATE_NEW,   /* no unit in force has its name: a service is made for it */
    FATE_DROP,  /* equal to the one in force: freed */
    FATE_TAKEN, /* the new definition of a unit in force, or of a swap */
};

/* A reload built aside. */
struct plan {
    struct stage st;
    struct item *items;
    size_t nitems;
    unsigned char *fate; /* per new unit */
};

static size_t find_exact(struct unit *const *units, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(units[mid]->name, name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return n;
}

static struct unit_swap *swap_of(const struct unit_table *t, const struct service *s)
{
    for (size_t i = 0; i < t->nswaps; i++)
        if (t->swaps[i].s == s)
            return &t->swaps[i];
    return NULL;
}

static void plan_item(struct plan *p, enum unit_change what, struct service *s, struct unit *u,
                      const char *name)
{
    p->items[p->nitems++] = (struct item){what, s, u, name};
}

static void plan_keep(struct plan *p, struct service *s, struct unit *u)
{
    p->st.e[p->st.n++] = (struct entry){s, u};
}

/* Where each unit in force goes: the table (as it is, or with its new
 * definition) or the retired list. */
static void plan_existing(struct unit_table *t, struct plan *p, struct unit **units, size_t n,
                          const struct strv *failed)
{
    for (size_t i = 0; i < t->n; i++) {
        struct service *s = t->svc[i];
        struct unit *ou = s->unit;
        size_t j = find_exact(units, n, ou->name);
        if (j < n && unit_equal(ou, units[j])) {
            p->fate[j] = FATE_DROP;
            unit_notes_take(ou, units[j]); /* descriptive only: kept if the plan is not */
            plan_keep(p, s, ou);
        } else if (j < n && svc_is_settled(s) && !swap_of(t, s)) {
            p->fate[j] = FATE_TAKEN; /* not running: the new definition applies at once */
            plan_keep(p, s, units[j]);
            plan_item(p, UNIT_CHANGED, s, units[j], NULL);
        } else if (j < n) {
            p->fate[j] = FATE_TAKEN;
            plan_keep(p, s, ou);
            plan_item(p, UNIT_RESTARTING, s, units[j], NULL);
        } else if (ou->instantiated) {
            plan_keep(p, s, ou); /* made on request: in no directory */
        } else if (strv_contains(failed, ou->name)) {
            plan_keep(p, s, ou);
            plan_item(p, UNIT_KEPT_BROKEN, s, NULL, NULL);
        } else {
            plan_item(p, UNIT_REMOVED, s, NULL, NULL);
        }
    }
    for (size_t i = 0; i < failed->n; i++)
        if (find_exact(units, n, failed->v[i]) == n &&
            unit_graph_find(t->svc, NULL, t->n, failed->v[i]) == t->n)
            plan_item(p, UNIT_NOT_LOADED, NULL, NULL, failed->v[i]);
}

/* Room for the swaps and retired services the plan adds: the same entries
 * in a larger array, so a later failure leaves them as they were. */
static int plan_room(struct unit_table *t, const struct plan *p)
{
    size_t swaps = 0, retired = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        swaps += p->items[i].what == UNIT_RESTARTING;
        retired += p->items[i].what == UNIT_REMOVED;
    }
    if (swaps) {
        struct unit_swap *v = realloc(t->swaps, (t->nswaps + swaps) * sizeof(*v));
        if (!v)
            return -1;
        t->swaps = v;
    }
    if (retired) {
        struct service **v = realloc(t->retired, (t->nretired + retired) * sizeof(*v));
        if (!v)
            return -1;
        t->retired = v;
    }
    return 0;
}

static void plan_free(struct unit_table *t, struct plan *p, bool made_services)
{
    for (size_t i = 0; made_services && i < p->nitems; i++)
        if (p->items[i].what == UNIT_ADDED)
            t->ops->service_free(t->ctx, p->items[i].s);
    stage_free(&p->st);
    free(p->st.e);
    free(p->items);
    free(p->fate);
}

/* Everything the reload needs but the commit. */
static int plan_build(struct unit_table *t, struct plan *p, struct unit **units, size_t n,
                      const struct strv *failed)
{
    p->st.e = malloc((t->n + n + 1) * sizeof(*p->st.e));
    p->items = malloc((t->n + failed->n + n + 1) * sizeof(*p->items));
    p->fate = calloc(n + 1, sizeof(*p->fate));
    if (!p->st.e || !p->items || !p->fate)
        return -1;
    plan_existing(t, p, units, n, failed);
    for (size_t j = 0; j < n; j++) {
        if (p->fate[j] != FATE_NEW)
            continue;
        struct service *s = t->ops->service_new(t->ctx, units[j]);
        if (!s)
            return -1;
        p->fate[j] = FATE_TAKEN;
        plan_keep(p, s, units[j]);
        plan_item(p, UNIT_ADDED, s, units[j], NULL);
    }
    return plan_room(t, p) < 0 ? -1 : stage_build(t, &p->st);
}

/* Installs the plan; allocates nothing. */
static void plan_commit(struct unit_table *t, struct plan *p, struct unit **units, size_t n)
{
    for (size_t i = 0; i < p->nitems; i++) {
        struct item *it = &p->items[i];
        struct unit_swap *w = it->s ? swap_of(t, it->s) : NULL;
        if (it->what == UNIT_CHANGED) {
            unit_free(it->s->unit);
            svc_set_unit(it->s, it->u);
        } else if (it->what == UNIT_RESTARTING && w) {
            unit_free(w->u); /* a newer definition replaces the waiting one */
            w->u = it->u;
            w->start = true;
        } else if (it->what == UNIT_RESTARTING) {
            t->swaps[t->nswaps++] = (struct unit_swap){it->s, it->u, true};
        } else if (it->what == UNIT_REMOVED) {
            if (w) {
                unit_free(w->u);
                *w = t->swaps[--t->nswaps];
            }
            svc_links_free(it->s); /* they name services that may go first */
            t->retired[t->nretired++] = it->s;
        }
    }
    for (size_t j = 0; j < n; j++)
        if (p->fate[j] == FATE_DROP)
            unit_free(units[j]);
    stage_install(t, &p->st);
}

int unit_table_reload(struct unit_table *t, struct unit **units, size_t n,
                      const struct strv *failed, unit_change_fn *report, void *ctx)
{
    struct plan p = {.nitems = 0};
    if (plan_build(t, &p, units, n, failed) < 0) {
        plan_free(t, &p, true);
        for (size_t j = 0; j < n; j++)
            unit_free(units[j]);
        free(units);
        errno = ENOMEM;
        return -1;
    }
    plan_commit(t, &p, units, n);
    free(units);
    for (size_t i = 0; i < p.nitems; i++)
        if (report)
            report(ctx, p.items[i].s ? p.items[i].s->name : p.items[i].name, p.items[i].what);
    /* As before the table changed: removed units stop, new ones start,
     * changed running ones stop (and start again from the swap). */
    for (size_t i = 0; i < p.nitems; i++) {
        struct service *s = p.items[i].s;
        if (p.items[i].what == UNIT_REMOVED) {
            if (t->watch && t->watch->removed)
                t->watch->removed(t->watch_ctx, s);
            unit_stop(s);
        }
    }
    for (size_t i = 0; i < p.nitems; i++) {
        struct service *s = p.items[i].s;
        if (p.items[i].what == UNIT_ADDED) {
            if (t->watch && t->watch->added)
                t->watch->added(t->watch_ctx, s);
            if (!t->ops->triggered_only || !t->ops->triggered_only(t->ctx, s))
                unit_start(s, true);
        }
    }
    for (size_t i = 0; i < p.nitems; i++)
        if (p.items[i].what == UNIT_RESTARTING)
            unit_stop(p.items[i].s);
    plan_free(t, &p, false);
    return 0;
}
