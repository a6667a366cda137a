/* reload.h - daemon-reload as the running daemon does it: re-reads the unit
 * directories, hands what they hold to the unit table (unit_table_reload()),
 * and settles from the loop what a reload leaves waiting (removed units
 * until they are idle, new definitions until their unit has stopped). The
 * control plane only asks and reports (control_reload.c). */
#ifndef PXINIT_RELOAD_H
#define PXINIT_RELOAD_H

#include "run/pxinit.h"
#include "run/unit_table.h"
#include "unit/unit_parse.h"

/* Who asked hears what happened; every member may be NULL. */
struct reload_report {
    /* A problem in a unit file (also logged). */
    void (*diag)(void *ctx, enum diag_level level, const char *message);
    /* What happened to one unit (not logged: the caller words it). */
    unit_change_fn *change;
    void *ctx;
};

/* Sets up the settling watchers (supervisor_load()). */
void reload_init(struct pxinit *px);

/* Re-reads the unit directories and applies them. 0, or -1 with errno:
 * EBUSY while booting or shutting down, ENOTSUP with --no-units, ENOMEM
 * (then nothing changed). */
int reload_units(struct pxinit *px, const struct reload_report *rep);

/* s changed (svc_ops.changed): what waits for it may be settled. */
void reload_unit_changed(struct pxinit *px, struct service *s);

/* At exit: stops the watchers (the table frees what waits). */
void reload_stop(struct pxinit *px);

#endif
