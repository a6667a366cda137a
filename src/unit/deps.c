/* deps.c - start order of a unit set from After=/Before=.
 *
 * Owns nothing past the call: a name->index hash table, the deduplicated
 * ordering edges (kept both as predecessor lists and successor lists) and a
 * min-heap of ready units are built per call and freed before returning.
 *
 * Kahn's algorithm picking the lowest input index among ready units keeps the
 * input order wherever the edges allow it: O((n + edges) log n). When no unit
 * is ready but some are left, every one left waits for another one left, so
 * walking "waits for" links (from the lowest-indexed unit left, or on from the
 * previous walk) must come back on itself: that loop is an ordering cycle. Its
 * member latest in the input order loses its ordering dependency on the next
 * member, and Kahn goes on. Cycles cost about the sum of their lengths, which
 * reporting their names costs anyway. Nothing recurses, so a 10,000-unit chain
 * costs no stack.
 *
 * Cycle report: names[0] -> names[1] -> ... -> names[count-1] -> names[0],
 * where each unit is ordered after the next one ("After" direction); the unit
 * latest in the input order is names[count-1], and the dependency dropped is
 * names[count-1] after names[0] (written either as its After= or as the other
 * unit's Before=).
 */
#include "unit/deps.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One ordering constraint: units[from] starts before units[to]. */
struct deps_edge {
    size_t from;
    size_t to;
};

struct deps_graph {
    size_t n;
    size_t nedges;
    struct deps_edge *edges; /* sorted by (to, from), unique: to's predecessors */
    size_t *pred_off;        /* n + 1 offsets into edges, by to */
    size_t *succ;            /* edge ids grouped by from */
    size_t *succ_off;        /* n + 1 offsets into succ, by from */
    size_t *indeg;           /* live predecessors: not yet started, edge not dropped */
    bool *dropped;           /* per edge: removed to break a cycle */
    bool *done;              /* per unit: already placed in order[] */
};

/* calloc that never returns NULL for an empty array, and that fails with
 * ENOMEM rather than wrapping when count * size overflows. */
static void *deps_alloc(size_t count, size_t size)
{
    if (count == 0)
        count = 1;
    return calloc(count, size);
}

/* FNV-1a: cheap and good enough to spread unit names. */
static uint64_t deps_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* An open-addressing table of index + 1 (0 = empty slot). */
struct deps_names {
    size_t *slots;
    size_t mask;
};

static int deps_names_build(struct deps_names *t, struct unit *const *units, size_t n)
{
    size_t cap = 16;

    while (cap / 2 < n) {
        if (cap > SIZE_MAX / 4) {
            errno = ENOMEM;
            return -1;
        }
        cap *= 2;
    }
    t->slots = deps_alloc(cap, sizeof(*t->slots));
    if (!t->slots)
        return -1;
    t->mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = units[i]->name;
        if (!name)
            continue;
        size_t h = (size_t)deps_hash(name) & t->mask;
        for (;; h = (h + 1) & t->mask) {
            if (t->slots[h] == 0) {
                t->slots[h] = i + 1;
                break;
            }
            /* A duplicate name keeps its first unit, as a lookup would. */
            if (strcmp(units[t->slots[h] - 1]->name, name) == 0)
                break;
        }
    }
    return 0;
}

/* Returns the index of the unit called name, or SIZE_MAX when not in the set. */
static size_t deps_names_find(const struct deps_names *t, struct unit *const *units,
                              const char *name)
{
    size_t h = (size_t)deps_hash(name) & t->mask;

    for (; t->slots[h] != 0; h = (h + 1) & t->mask)
        if (strcmp(units[t->slots[h] - 1]->name, name) == 0)
            return t->slots[h] - 1;
    return SIZE_MAX;
}

static int deps_edge_compare(const void *a, const void *b)
{
    const struct deps_edge *x = a, *y = b;

    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return 0;
}

/* Collects every After=/Before= between two distinct units of the set. */
static int deps_collect_edges(struct deps_graph *g, struct unit *const *units,
                              const struct deps_names *names)
{
    size_t max = 0;

    for (size_t i = 0; i < g->n; i++) {
        size_t k = unit_deps(units[i])->after.n + unit_deps(units[i])->before.n;
        if (k > SIZE_MAX / sizeof(struct deps_edge) - max) {
            errno = ENOMEM;
            return -1;
        }
        max += k;
    }
    g->edges = deps_alloc(max, sizeof(*g->edges));
    if (!g->edges)
        return -1;
    for (size_t i = 0; i < g->n; i++) {
        const struct unit_deps *u = unit_deps(units[i]);
        for (size_t k = 0; k < u->after.n; k++) {
            size_t j = deps_names_find(names, units, u->after.v[k]);
            if (j != SIZE_MAX && j != i)
                g->edges[g->nedges++] = (struct deps_edge){.from = j, .to = i};
        }
        for (size_t k = 0; k < u->before.n; k++) {
            size_t j = deps_names_find(names, units, u->before.v[k]);
            if (j != SIZE_MAX && j != i)
                g->edges[g->nedges++] = (struct deps_edge){.from = i, .to = j};
        }
    }
    /* Sorting makes duplicates adjacent (A After=B plus B Before=A is one
     * constraint, and dropping it must drop both) and leaves each unit's
     * predecessors in input order, which the cycle walk relies on. */
    qsort(g->edges, g->nedges, sizeof(*g->edges), deps_edge_compare);
    size_t w = 0;
    for (size_t r = 0; r < g->nedges; r++)
        if (w == 0 || deps_edge_compare(&g->edges[w - 1], &g->edges[r]) != 0)
            g->edges[w++] = g->edges[r];
    g->nedges = w;
    return 0;
}

static int deps_graph_build(struct deps_graph *g, struct unit *const *units, size_t n)
{
    struct deps_names names = {0};
    int r;

    g->n = n;
    if (deps_names_build(&names, units, n) < 0)
        return -1;
    r = deps_collect_edges(g, units, &names);
    free(names.slots);
    if (r < 0)
        return -1;

    g->pred_off = deps_alloc(n + 1, sizeof(*g->pred_off));
    g->succ_off = deps_alloc(n + 1, sizeof(*g->succ_off));
    g->succ = deps_alloc(g->nedges, sizeof(*g->succ));
    g->indeg = deps_alloc(n, sizeof(*g->indeg));
    g->dropped = deps_alloc(g->nedges, sizeof(*g->dropped));
    g->done = deps_alloc(n, sizeof(*g->done));
    if (!g->pred_off || !g->succ_off || !g->succ || !g->indeg || !g->dropped || !g->done)
        return -1;

    for (size_t e = 0; e < g->nedges; e++) {
        g->indeg[g->edges[e].to]++;
        g->succ_off[g->edges[e].from + 1]++;
    }
    for (size_t i = 0; i < n; i++) {
        g->pred_off[i + 1] = g->pred_off[i] + g->indeg[i];
        g->succ_off[i + 1] += g->succ_off[i];
    }
    /* succ_off[from] doubles as the fill cursor of from's list; afterwards
     * each offset sits one list further and is shifted back. */
    for (size_t e = 0; e < g->nedges; e++)
        g->succ[g->succ_off[g->edges[e].from]++] = e;
    for (size_t i = n; i > 0; i--)
        g->succ_off[i] = g->succ_off[i - 1];
    g->succ_off[0] = 0;
    return 0;
}

static void deps_graph_free(struct deps_graph *g)
{
    free(g->edges);
    free(g->pred_off);
    free(g->succ);
    free(g->succ_off);
    free(g->indeg);
    free(g->dropped);
    free(g->done);
}

/* A binary min-heap of unit indexes: the ready unit first in input order. */
struct deps_heap {
    size_t *v;
    size_t n;
};

static void deps_heap_push(struct deps_heap *h, size_t x)
{
    size_t i = h->n++;

    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->v[parent] <= x)
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = x;
}

static size_t deps_heap_pop(struct deps_heap *h)
{
    size_t top = h->v[0];
    size_t last = h->v[--h->n];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (last <= h->v[c])
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n > 0)
        h->v[i] = last;
    return top;
}

/* The "waits for" walk that finds cycles. It persists across cycles: after
 * a break the walk resumes from the unit that lost its dependency instead of
 * starting over, so long tails leading into cycles are walked once. */
struct deps_walk {
    size_t *path; /* path[k] waits for path[k+1] through a live edge */
    size_t len;
    size_t *pos;    /* where each unit sits in path, SIZE_MAX when not on it */
    size_t *cursor; /* per unit: first predecessor edge not yet seen dead */
    const char **names;
};

/* The first live predecessor edge of unit i, lowest index first. Edges only
 * ever die (their source starts or they are dropped), so the cursor never
 * moves back and all walks together scan each edge at most once. */
static size_t deps_live_pred(const struct deps_graph *g, struct deps_walk *w, size_t i)
{
    size_t e = w->cursor[i];

    while (e < g->pred_off[i + 1] && (g->dropped[e] || g->done[g->edges[e].from]))
        e++;
    w->cursor[i] = e;
    return e < g->pred_off[i + 1] ? e : SIZE_MAX;
}

static void deps_walk_truncate(struct deps_walk *w, size_t len)
{
    while (w->len > len)
        w->pos[w->path[--w->len]] = SIZE_MAX;
}

static void deps_walk_push(struct deps_walk *w, size_t i)
{
    w->pos[i] = w->len;
    w->path[w->len++] = i;
}

/* Called when no unit is ready, so every unit left waits for another unit
 * left: walking "waits for" links must come back on itself. Drops one edge of
 * the loop found, reports it, and returns the unit that became ready, if any,
 * else SIZE_MAX. */
static size_t deps_break_cycle(struct deps_graph *g, struct deps_walk *w, struct unit *const *units,
                               size_t *scan,
                               void (*on_cycle)(void *ctx, const char *const *names, size_t count),
                               void *ctx)
{
    size_t cur, e;

    /* Units placed since the last break can only be at the top of the path:
     * a unit cannot start before the one it waits for. */
    while (w->len > 0 && g->done[w->path[w->len - 1]])
        deps_walk_truncate(w, w->len - 1);
    if (w->len == 0) {
        while (g->done[*scan])
            (*scan)++;
        deps_walk_push(w, *scan);
    }
    for (;;) {
        cur = w->path[w->len - 1];
        e = deps_live_pred(g, w, cur);
        if (e == SIZE_MAX) {
            /* Cannot happen while indeg is consistent; free the unit rather
             * than loop forever. */
            g->indeg[cur] = 0;
            return cur;
        }
        cur = g->edges[e].from;
        if (w->pos[cur] != SIZE_MAX)
            break;
        deps_walk_push(w, cur);
    }

    /* path[first..len-1] is the cycle: each member waits for the next, the
     * last one for path[first]. */
    size_t first = w->pos[cur], count = w->len - first, latest = first;
    for (size_t k = first + 1; k < w->len; k++)
        if (w->path[k] > w->path[latest])
            latest = k;

    /* Report it rotated so the latest unit comes last: the wrap-around link
     * is then exactly the one dropped. */
    for (size_t k = 0; k < count; k++) {
        size_t at = latest + 1 + k;
        if (at >= w->len)
            at = first + (at - w->len);
        w->names[k] = units[w->path[at]]->name;
    }

    /* Nothing died since the walk left victim, so its first live
     * predecessor edge is still the link to the next member. */
    size_t victim = w->path[latest];
    e = deps_live_pred(g, w, victim);
    g->dropped[e] = true;
    g->indeg[victim]--;
    deps_walk_truncate(w, latest + 1);
    if (on_cycle)
        on_cycle(ctx, w->names, count);
    return g->indeg[victim] == 0 ? victim : SIZE_MAX;
}

int deps_start_order(struct unit *const *units, size_t n, size_t *order,
                     void (*on_cycle)(void *ctx, const char *const *names, size_t count), void *ctx)
{
    struct deps_graph g = {0};
    struct deps_heap heap = {0};
    struct deps_walk w = {0};
    size_t placed = 0, scan = 0;
    int ret = -1;

    if (n == 0)
        return 0;
    if (deps_graph_build(&g, units, n) < 0)
        goto out;
    heap.v = deps_alloc(n, sizeof(*heap.v));
    w.path = deps_alloc(n, sizeof(*w.path));
    w.pos = deps_alloc(n, sizeof(*w.pos));
    w.cursor = deps_alloc(n, sizeof(*w.cursor));
    w.names = deps_alloc(n, sizeof(*w.names));
    if (!heap.v || !w.path || !w.pos || !w.cursor || !w.names)
        goto out;
    for (size_t i = 0; i < n; i++) {
        w.cursor[i] = g.pred_off[i];
        w.pos[i] = SIZE_MAX;
        if (g.indeg[i] == 0)
            deps_heap_push(&heap, i);
    }

    while (placed < n) {
        if (heap.n == 0) {
            size_t ready = deps_break_cycle(&g, &w, units, &scan, on_cycle, ctx);
            if (ready != SIZE_MAX)
                deps_heap_push(&heap, ready);
            continue;
        }
        size_t u = deps_heap_pop(&heap);
        g.done[u] = true;
        order[placed++] = u;
        for (size_t k = g.succ_off[u]; k < g.succ_off[u + 1]; k++) {
            size_t e = g.succ[k];
            if (g.dropped[e])
                continue;
            size_t v = g.edges[e].to;
            if (--g.indeg[v] == 0)
                deps_heap_push(&heap, v);
        }
    }
    ret = 0;

out:
    if (ret < 0)
        errno = ENOMEM;
    deps_graph_free(&g);
    free(heap.v);
    free(w.path);
    free(w.pos);
    free(w.cursor);
    free(w.names);
    return ret;
}
