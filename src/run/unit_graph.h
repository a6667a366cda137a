/* unit_graph.h - the start order of a unit table and the links between its
 * services: ordering edges from After=/Before= (cycles reported and broken)
 * and the requirements Requires=, Requisite=, BindsTo=, PartOf= and
 * Conflicts=, kept on both ends.
 *
 * Computed aside, touching no service, so that a table is built completely
 * before it replaces the one in force (unit_table.c); installing it then
 * allocates nothing and cannot fail. */
#ifndef PXINIT_UNIT_GRAPH_H
#define PXINIT_UNIT_GRAPH_H

#include <stddef.h>

#include "core/service.h"
#include "unit/unit.h"

struct unit_graph {
    size_t *order;            /* n indexes into the table, in start order */
    struct svc_links **links; /* n entries: service i's new links, NULL for none */
    size_t n;
};

/* Computes g for the services svc[0..n), sorted by name, whose definitions
 * are units[0..n) (units[i] may be a definition about to replace
 * svc[i]->unit). Names of units not in the set are ignored. 0, or -1 with
 * errno ENOMEM and g empty. */
int unit_graph_build(struct unit_graph *g, struct service *const *svc, struct unit *const *units,
                     size_t n);

/* Gives each svc[i] (the same n as built) its links from g, freeing the old
 * ones, and its index i. g->order is left to the caller; the rest of g is
 * emptied. */
void unit_graph_install(struct unit_graph *g, struct service *const *svc);

/* Frees what g holds (a graph never installed). */
void unit_graph_free(struct unit_graph *g);

/* The index of the unit named name ("web" or "web.service") or with that
 * alias among n units sorted by name: units[0..n), or with units NULL the
 * definitions of svc[0..n). n when there is none. */
size_t unit_graph_find(struct service *const *svc, struct unit *const *units, size_t n,
                       const char *name);

#endif
