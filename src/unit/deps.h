/* deps.h - start order of a set of units from After=/Before=. As in systemd,
 * Requires=/Wants= pull units in but do not order them.
 *
 * Pure: works on names only, so it can be tested without a loop.
 */
#ifndef PXINIT_DEPS_H
#define PXINIT_DEPS_H

#include <stddef.h>

#include "unit/unit.h"

/* Computes a start order for units[0..n-1]: a permutation written to order[]
 * (indexes into units) such that whenever A has After=B or B has Before=A (both
 * loaded in the set), B comes before A. Names that are not in the set
 * (network.target, ...) are ignored. Ties keep the input order (callers sort
 * units by name first, so the order is deterministic).
 * A cycle is broken deterministically: the ordering edge that closes the cycle
 * from the unit latest in the input order is dropped, and on_cycle (if not NULL)
 * is called once per cycle with the names of the units involved, in cycle order,
 * so the caller can log "ordering cycle: a -> b -> c -> a; dropping c's After=a".
 * Returns 0, or -1 with errno ENOMEM. Stopping uses the reverse order. */
int deps_start_order(struct unit *const *units, size_t n, size_t *order,
                     void (*on_cycle)(void *ctx, const char *const *names, size_t count),
                     void *ctx);

#endif
