/* unit_load.h - reading unit directories: the loader returns a loaded set
 * of units; installing it in the daemon (services, order) is run/'s. */
#ifndef PXINIT_UNIT_LOAD_H
#define PXINIT_UNIT_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"
#include "unit/unit.h"
#include "unit/unit_parse.h"

/* Reads every unit (.service, .target, .timer, .socket) of dirs (the
 * first directory wins for a name) with its drop-ins (NAME.service.d/\*.conf,
 * a template's first), with systemd also the services, timers and sockets
 * enabled in systemd's tree (unit_systemd_tree_set(): /etc/systemd/system/
 * \*.target.wants/, or the user's), and then the units the
 * loaded ones activate or name (a timer's Unit=, an Accept=no socket's
 * service, a service's Sockets=) that neither brought in; an Accept=yes
 * socket whose template NAME@.service has no file fails to load; systemd's
 * implicit dependencies between sockets and services are added;
 * reports problems through the log, and returns the units that loaded,
 * sorted by name. Units that fail to load are reported and left out; links
 * to other units become aliases, links to /dev/null mask. */
int unit_load_dirs(const struct strv *dirs, bool systemd, struct unit ***units, size_t *n);

/* The same, also telling rep (daemon-reload) every diagnostic and every unit
 * whose file failed to load. */
struct unit_load_report {
    void (*diag)(void *ctx, enum diag_level level, const char *message);
    void (*failed)(void *ctx, const char *name, const char *path);
    void *ctx;
};
int unit_load_dirs_report(const struct strv *dirs, bool systemd, struct unit ***units, size_t *n,
                          const struct unit_load_report *rep);

/* An instance "name@inst.service" made from its template "name@.service"
 * found in dirs (and systemd's directories with systemd); NULL when there
 * is no template or it failed to load (reported). A plain name
 * ("web.service") is loaded from its own file there, as systemd loads any
 * unit of its path on demand. Either way u->instantiated is set: made on
 * request, kept by daemon-reload. */
struct unit *unit_load_instance(const struct strv *dirs, bool systemd, const char *name);
/* The same, telling rep (may be NULL) every diagnostic: a client that
 * started the instance hears why it did not load. */
struct unit *unit_load_instance_report(const struct strv *dirs, bool systemd, const char *name,
                                       const struct unit_load_report *rep);

/* True when the unit named name ("web.service", "getty@tty1.service") is
 * masked in dirs (and systemd's directories with systemd): its first file,
 * or its template's, is empty or a link to /dev/null. */
bool unit_masked(const struct strv *dirs, bool systemd, const char *name);

/* systemd's unit tree that `systemd` means in the calls above (config/
 * paths.h: paths_systemd_dirs()); its first directory holds the
 * *.target.wants/ links read. Copied; NULL or never called: the system's
 * (/etc/systemd/system, /run/..., /lib/..., /usr/lib/systemd/system). The
 * daemon sets it once, before loading (--user: the user's tree). */
void unit_systemd_tree_set(const struct strv *tree);

/* `pxinit check FILE`: FILE as the daemon would load it, with the drop-ins
 * beside it (FILE.d/\*.conf, an instance's template's first) and
 * unit_finalize(); problems go to sink. NULL when FILE is masked (*masked
 * set) or out of memory; otherwise a unit to free, u->loaded false when it
 * would fail to load. */
struct unit *unit_load_file(const char *path, struct diag_sink *sink, bool *masked);

#endif
