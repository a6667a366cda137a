/* unit_load_triggers.h - what the loaded units bring along: the units that
 * timers and sockets activate and the sockets services name (loaded even
 * when no directory scan found them), the template an Accept=yes socket
 * needs, and systemd's implicit dependencies between sockets and services.
 * The loader (unit_load.c) calls these; internal to src/unit/. */
#ifndef PXINIT_UNIT_LOAD_TRIGGERS_H
#define PXINIT_UNIT_LOAD_TRIGGERS_H

#include <stddef.h>

#include "base/strv.h"
#include "unit/unit.h"

/* Adds to want the names the units v (sorted by name) activate or name
 * and that are not among them: a timer's Unit=, an Accept=no socket's
 * service, the sockets of a service's Sockets=. Names in skip (looked for
 * already) and names with a file in dirs (loaded, failed or masked there)
 * are left out. 0, or -1 with ENOMEM. */
int unit_triggers_wanted(struct unit *const *v, size_t n, const struct strv *dirs,
                         const struct strv *skip, struct strv *want);

/* For an Accept=yes socket whose template (NAME@.service) has no file in
 * search, or only a masked one: the template's name, in buf. NULL when it
 * has one, or u is no such socket. */
const char *unit_triggers_missing_template(const struct unit *u, const struct strv *search,
                                           char *buf, size_t size);

/* systemd's implicit dependencies, added to the Before=/After=/Wants= of
 * the units v (sorted by name): an Accept=no socket is Before= the service
 * it activates, which is After= it; a service Wants= and is After= each
 * socket of its Sockets=, which is Before= it. 0, or -1 with ENOMEM. */
int unit_triggers_add_deps(struct unit *const *v, size_t n);

#endif
