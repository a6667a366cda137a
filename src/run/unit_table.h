/* unit_table.h - the unit table: every loaded service, sorted by name, each
 * with its definition (s->unit), and the start order. Its owner's one API to
 * fill it (boot), add to it (an instance made on request), and replace it
 * (daemon-reload), so nothing else keeps a view of it in step by hand.
 *
 * Every change is built completely aside (the new array, new services, the
 * graph, room in what the owner keeps per unit) before anything in force is
 * touched: a failed allocation at any point leaves the running set and the
 * table as they were. Services never move (they embed live watchers and
 * are named by pids, spawn jobs and waiting clients): only the array of
 * pointers is replaced.
 *
 * Knows nothing of the loop or struct pxinit: services come from ops, so
 * unit tests drive it with the state machine's fake ops (check_unit_table.c).
 */
#ifndef PXINIT_UNIT_TABLE_H
#define PXINIT_UNIT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"
#include "core/service.h"
#include "unit/unit.h"

/* The owner's (supervisor.c): where services come from. */
struct unit_table_ops {
    /* A service for u (s->unit = u), allocated on its own; NULL without memory. */
    struct service *(*service_new)(void *ctx, struct unit *u);
    /* Frees a settled, idle service; not its unit. */
    void (*service_free)(void *ctx, struct service *s);
    /* Makes room for n units in what the owner keeps per unit (its job
     * queue), before a table of n is installed. 0, or -1 (nothing is
     * installed then). May be NULL. */
    int (*reserve)(void *ctx, size_t n);
    /* True when s starts only when something triggers it (a timer): a
     * reload that adds it does not start it. May be NULL. */
    bool (*triggered_only)(void *ctx, struct service *s);
};

/* The control plane's (it shows the table); every member may be NULL. */
struct unit_table_watch {
    void (*added)(void *ctx, struct service *s);   /* joined the table, before it starts */
    void (*removed)(void *ctx, struct service *s); /* left it; stopping, freed once idle */
    void (*forget)(void *ctx, struct service *s);  /* about to be freed: drop references */
};

/* A new definition of a running unit, applied once the unit has stopped. */
struct unit_swap {
    struct service *s;
    struct unit *u;
    bool start; /* it was running: start it with the new definition */
};

struct unit_table {
    struct service **svc; /* n services sorted by unit name */
    size_t n;
    size_t *order; /* start order: n indexes into svc; NULL while empty */
    /* Left behind by daemon-reload until they settle (unit_table_settle()). */
    struct service **retired; /* removed: stopping, not in svc */
    size_t nretired;
    struct unit_swap *swaps;
    size_t nswaps;
    const struct unit_table_ops *ops;
    void *ctx;
    const struct unit_table_watch *watch;
    void *watch_ctx;
};

/* An empty table whose services come from ops. */
void unit_table_init(struct unit_table *t, const struct unit_table_ops *ops, void *ctx);

/* Fills an empty table with units[0..n) (sorted by name; the table takes
 * them on success). 0, or -1 with errno ENOMEM: t stays empty, the units
 * are the caller's. */
int unit_table_load(struct unit_table *t, struct unit **units, size_t n);

/* The service named name ("web", "web.service") or with that alias; NULL. */
struct service *unit_table_find(const struct unit_table *t, const char *name);

/* Adds a service for u, a unit not in the table (an instance made from its
 * template); watch->added hears of it. The service, or NULL with errno
 * ENOMEM: then nothing changed and u is still the caller's. */
struct service *unit_table_insert(struct unit_table *t, struct unit *u);

/* Takes s, an instance made on request that has ended (inactive or
 * failed), out of the table: watch->removed hears of it now; it waits
 * with the units a reload removed until it is idle, then watch->forget
 * hears of it and it is freed (unit_table_settle()). 0, or -1 with errno
 * ENOMEM (then it stays). */
int unit_table_remove(struct unit_table *t, struct service *s);

/* What a daemon-reload did to one unit, in the order it reports them. */
enum unit_change {
    UNIT_CHANGED,     /* new definition applied at once (it was not running) */
    UNIT_RESTARTING,  /* changed while running: stops, restarts on the new one */
    UNIT_KEPT_BROKEN, /* its new file is broken: the previous definition stays */
    UNIT_REMOVED,     /* its file is gone: stops, then is freed */
    UNIT_NOT_LOADED,  /* a new file that is broken: nothing loaded */
    UNIT_ADDED,       /* a new unit: starts */
};
typedef void unit_change_fn(void *ctx, const char *name, enum unit_change what);

/* daemon-reload: units[0..n) (sorted by name, the table takes them all) is
 * what the unit directories hold now, failed the names whose files did not
 * load. Units not in it are removed (but instances made on request and
 * units whose new file failed stay), new ones added and started, changed
 * ones get their new definition (a running one once it stopped: it is
 * stopped, then started again); report hears each change, after the new
 * table is in force and before anything is started or stopped. 0, or -1
 * with errno ENOMEM: nothing changed, nothing was reported. */
int unit_table_reload(struct unit_table *t, struct unit **units, size_t n,
                      const struct strv *failed, unit_change_fn *report, void *ctx);

/* True while removed units or new definitions wait (unit_table_settle()). */
bool unit_table_pending(const struct unit_table *t);

/* Frees the removed services that are idle, and gives stopped units the
 * definitions that wait for them (starting those that ran). spawning: a
 * spawn's report is still in flight and may name a service, so none is freed
 * yet. True when something settled waits only for that or for its processes
 * to be reaped: look again a little later. */
bool unit_table_settle(struct unit_table *t, bool spawning);

/* Frees everything: services (ops->service_free), units, what waits. */
void unit_table_free(struct unit_table *t);

#endif
