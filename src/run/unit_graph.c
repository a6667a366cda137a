/* unit_graph.c - builds a table's start order and its services' links aside
 * (unit_graph.h), from After=/Before= and the requirement keys. */
#include "run/unit_graph.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "unit/deps.h"

static const struct unit *unit_at(struct service *const *svc, struct unit *const *units, size_t i)
{
    return units ? units[i] : svc[i]->unit;
}

size_t unit_graph_find(struct service *const *svc, struct unit *const *units, size_t n,
                       const char *name)
{
    char *norm = NULL;
    if (!strchr(name, '.'))
        name = norm = unit_name_normalize(name);
    if (!name)
        return n;
    size_t lo = 0, hi = n, found = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(unit_at(svc, units, mid)->name, name);
        if (c == 0) {
            found = mid;
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Aliases (symlinks, [Install] Alias=) are few: a scan will do. */
    for (size_t i = 0; i < n && found == n; i++)
        if (strv_contains(&unit_deps(unit_at(svc, units, i))->aliases, name))
            found = i;
    free(norm);
    return found;
}

static void on_cycle(void *ctx, const char *const *names, size_t count)
{
    char buf[1024];
    size_t len = 0;
    for (size_t i = 0; i < count && len < sizeof(buf); i++) {
        int n = snprintf(buf + len, sizeof(buf) - len, "%s -> ", names[i]);
        if (n > 0)
            len += (size_t)n;
    }
    if (count && len < sizeof(buf))
        snprintf(buf + len, sizeof(buf) - len, "%s", names[0]);
    log_msg(LOG_LEVEL_WARNING, NULL, "ordering cycle: %s; breaking it at %s", buf,
            names[count - 1]);
}

static struct svc_links *links_of(struct unit_graph *g, size_t i)
{
    if (!g->links[i])
        g->links[i] = calloc(1, sizeof(*g->links[i]));
    return g->links[i];
}

/* Calls fn for every ordering edge first -> then that agrees with the
 * order (the edge a cycle was broken at does not). */
static int for_each_edge(struct unit_graph *g, struct service *const *svc,
                         struct unit *const *units, const size_t *pos,
                         int (*fn)(struct unit_graph *g, struct service *const *svc, size_t first,
                                   size_t then))
{
    for (size_t i = 0; i < g->n; i++) {
        const struct unit_deps *u = unit_deps(units[i]);
        for (int dir = 0; dir < 2; dir++) {
            const struct strv *l = dir == 0 ? &u->after : &u->before;
            for (size_t k = 0; k < l->n; k++) {
                size_t o = unit_graph_find(svc, units, g->n, l->v[k]);
                if (o == g->n || o == i)
                    continue;
                size_t first = dir == 0 ? o : i, then = dir == 0 ? i : o;
                if (pos[first] > pos[then])
                    continue;
                if (fn(g, svc, first, then) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static int edge_count(struct unit_graph *g, struct service *const *svc, size_t first, size_t then)
{
    struct svc_links *fl = links_of(g, first), *tl = links_of(g, then);
    if (!fl || !tl)
        return -1;
    fl->nsucc++;
    tl->npred++;
    return 0;
}

static int edge_fill(struct unit_graph *g, struct service *const *svc, size_t first, size_t then)
{
    struct svc_links *fl = g->links[first], *tl = g->links[then];
    fl->succ[fl->nsucc++] = svc[then];
    tl->pred[tl->npred++] = svc[first];
    return 0;
}

/* succ/pred from After=/Before=: counted, allocated, then filled. */
static int build_edges(struct unit_graph *g, struct service *const *svc, struct unit *const *units)
{
    size_t *pos = calloc(g->n ? g->n : 1, sizeof(*pos));
    if (!pos)
        return -1;
    for (size_t i = 0; i < g->n; i++)
        pos[g->order[i]] = i;
    int r = for_each_edge(g, svc, units, pos, edge_count);
    for (size_t i = 0; r == 0 && i < g->n; i++) {
        struct svc_links *l = g->links[i];
        if (!l)
            continue;
        l->succ = l->nsucc ? calloc(l->nsucc, sizeof(*l->succ)) : NULL;
        l->pred = l->npred ? calloc(l->npred, sizeof(*l->pred)) : NULL;
        if ((l->nsucc && !l->succ) || (l->npred && !l->pred))
            r = -1;
        l->nsucc = l->npred = 0;
    }
    if (r == 0)
        r = for_each_edge(g, svc, units, pos, edge_fill);
    free(pos);
    return r;
}

static int dep_add(struct svc_dep **v, unsigned *n, struct service *s, unsigned kind)
{
    for (unsigned i = 0; i < *n; i++) {
        if ((*v)[i].s == s) {
            (*v)[i].kinds |= kind;
            return 0;
        }
    }
    struct svc_dep *nv = realloc(*v, (*n + 1) * sizeof(**v));
    if (!nv)
        return -1;
    *v = nv;
    nv[(*n)++] = (struct svc_dep){s, kind};
    return 0;
}

/* a's dependency of kind on b, recorded on both ends. */
static int link_pair(struct unit_graph *g, struct service *const *svc, size_t a, size_t b,
                     unsigned kind)
{
    struct svc_links *al = links_of(g, a), *bl = links_of(g, b);
    if (!al || !bl || dep_add(&al->deps, &al->ndeps, svc[b], kind) < 0 ||
        dep_add(&bl->rdeps, &bl->nrdeps, svc[a], kind) < 0)
        return -1;
    /* Conflicts= works both ways. */
    if (kind == DEP_CONFLICTS && (dep_add(&bl->deps, &bl->ndeps, svc[a], DEP_CONFLICTS) < 0 ||
                                  dep_add(&al->rdeps, &al->nrdeps, svc[b], DEP_CONFLICTS) < 0))
        return -1;
    return 0;
}

/* Requires=, Requisite=, BindsTo=, PartOf=, Conflicts= between units of the
 * set; names not in it are ignored, as for ordering. */
static int build_requirements(struct unit_graph *g, struct service *const *svc,
                              struct unit *const *units)
{
    static const struct {
        size_t offset;
        unsigned kind;
    } lists[] = {
        {offsetof(struct unit_deps, requires), DEP_REQUIRES},
        {offsetof(struct unit_deps, requisite), DEP_REQUISITE},
        {offsetof(struct unit_deps, binds_to), DEP_BINDS_TO},
        {offsetof(struct unit_deps, part_of), DEP_PART_OF},
        {offsetof(struct unit_deps, conflicts), DEP_CONFLICTS},
        {offsetof(struct unit_deps, wants), DEP_WANTS},
    };
    for (size_t a = 0; a < g->n; a++) {
        for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
            const struct strv *names =
                (const struct strv *)(const void *)((const char *)unit_deps(units[a]) +
                                                    lists[l].offset);
            for (size_t k = 0; k < names->n; k++) {
                size_t b = unit_graph_find(svc, units, g->n, names->v[k]);
                if (b == g->n || b == a) {
                    log_debug("%s: %s is not loaded here, ignoring the dependency",
                              unit_name_short(units[a]), names->v[k]);
                    continue;
                }
                if (link_pair(g, svc, a, b, lists[l].kind) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

int unit_graph_build(struct unit_graph *g, struct service *const *svc, struct unit *const *units,
                     size_t n)
{
    *g = (struct unit_graph){.n = n};
    g->order = calloc(n ? n : 1, sizeof(*g->order));
    g->links = calloc(n ? n : 1, sizeof(*g->links));
    if (!g->order || !g->links || deps_start_order(units, n, g->order, on_cycle, NULL) < 0 ||
        build_edges(g, svc, units) < 0 || build_requirements(g, svc, units) < 0) {
        unit_graph_free(g);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

static void links_free(struct svc_links *l)
{
    if (!l)
        return;
    free(l->succ);
    free(l->pred);
    free(l->rdeps);
    free(l->deps);
    free(l);
}

void unit_graph_install(struct unit_graph *g, struct service *const *svc)
{
    for (size_t i = 0; i < g->n; i++) {
        struct service *s = svc[i];
        svc_links_free(s);
        s->links = g->links[i] ? g->links[i] : &svc_links_none;
        s->idx = (unsigned)i;
    }
    free(g->links);
    g->links = NULL;
    g->n = 0;
}

void unit_graph_free(struct unit_graph *g)
{
    for (size_t i = 0; g->links && i < g->n; i++)
        links_free(g->links[i]);
    free(g->links);
    free(g->order);
    *g = (struct unit_graph){0};
}
