/* paths.h - where pxinit's files are, for the system daemon and for a
 * user's (--user, as systemd --user): the runtime directory, the unit
 * directories, the state directory, and systemd's unit tree. The daemon's
 * options, the client and the systemctl personality all ask here, so a
 * client finds the daemon started with the same options.
 *
 * System: /run/pxinit (PXINIT_RUNTIME_DIR), /etc/pxinit/units,
 * /var/lib/pxinit; systemd's /etc/systemd/system, /run/systemd/system,
 * /lib/systemd/system, /usr/lib/systemd/system.
 * User: $XDG_RUNTIME_DIR/pxinit (else /tmp/pxinit-UID),
 * $XDG_CONFIG_HOME/pxinit/units (else ~/.config/pxinit/units),
 * $XDG_STATE_HOME/pxinit (else ~/.local/state/pxinit); systemd's
 * $XDG_CONFIG_HOME/systemd/user, $XDG_RUNTIME_DIR/systemd/user,
 * /etc/systemd/user, /usr/lib/systemd/user.
 *
 * PXINIT_UNITS=DIR[:DIR...] names the unit directories for the client's
 * offline verbs (systemctl enable, ...), as -u does for the daemon.
 */
#ifndef PXINIT_PATHS_H
#define PXINIT_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"

/* The runtime directory: system: PXINIT_RUNTIME_DIR or the default; user:
 * as above. 0, or -1 (errno ENAMETOOLONG, or ENOENT when the user has no
 * home to find). */
int paths_runtime_dir(bool user, char *buf, size_t size);
/* For a client of a user daemon (--user without -R): NULL when dir, the
 * user's runtime directory, may be trusted -- missing (no daemon runs
 * there), or a directory of the caller's with mode 0700 -- else why not
 * ("another user owns it", "it is a symlink", ...). A client must not
 * talk to a control socket another local user planted (/tmp/pxinit-UID). */
const char *paths_runtime_dir_refused(const char *dir);
/* Appends the default unit directories (PXINIT_UNITS when set and
 * from_env). 0, or -1 with errno. */
int paths_unit_dirs(bool user, bool from_env, struct strv *dirs);
/* The state directory. 0, or -1 with errno. */
int paths_state_dir(bool user, char *buf, size_t size);
/* Appends systemd's unit search path, most important first; the first is
 * where systemctl writes links (/etc/systemd/system, or the user's
 * ~/.config/systemd/user). 0, or -1 with errno. */
int paths_systemd_dirs(bool user, struct strv *dirs);

#endif
