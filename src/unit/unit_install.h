/* unit_install.h - a unit file's [Install] section and the links it names,
 * as systemctl reads and writes them: enable, disable, mask, unmask and
 * is-enabled, over a search path of unit directories. Pure file work, no
 * daemon: the systemctl personality uses it offline (client/systemctl_files.c)
 * and to fill UnitFileState for show/status.
 *
 * The search path: pxinit's own unit directories (-u, PXINIT_UNITS, or the
 * user's), where every unit starts at boot (is-enabled says "enabled"), then
 * systemd's tree (config/paths.h: paths_systemd_dirs()) when the daemon
 * reads it (--systemd). Links go beside the unit's file: in the pxinit
 * directory that holds it, or in systemd's first directory
 * (/etc/systemd/system) for a unit of systemd's tree.
 */
#ifndef PXINIT_UNIT_INSTALL_H
#define PXINIT_UNIT_INSTALL_H

#include <stdbool.h>
#include <stdio.h>

#include "base/strv.h"

/* systemctl is-enabled's words (systemd's unit_file_state). */
enum unit_file_state {
    UFS_ENABLED,
    UFS_ENABLED_RUNTIME,
    UFS_LINKED,
    UFS_LINKED_RUNTIME,
    UFS_ALIAS,
    UFS_MASKED,
    UFS_MASKED_RUNTIME,
    UFS_STATIC,
    UFS_DISABLED,
    UFS_INDIRECT,
    UFS_GENERATED,
    UFS_TRANSIENT,
    UFS_BAD,
    UFS_NOT_FOUND, /* no file: is-enabled says so on stderr, exit 1 */
};

struct install_scope {
    struct strv own;     /* pxinit's unit directories */
    struct strv systemd; /* systemd's tree, first = where its links go; empty without --systemd */
};

/* The scope a daemon started with these options reads: own = unit_dirs,
 * systemd = paths_systemd_dirs(user) when systemd_tree. 0, or -1 with errno. */
int install_scope_init(struct install_scope *sc, const struct strv *unit_dirs, bool user,
                       bool systemd_tree);
void install_scope_free(struct install_scope *sc);

const char *unit_file_state_name(enum unit_file_state s);
/* name's state ("web.service"). */
enum unit_file_state install_state(const struct install_scope *sc, const char *name);

/* What a change did, one line each, as systemctl prints them:
 * "Created symlink LINK → TARGET." and "Removed \"LINK\"." */
struct install_changes {
    struct strv lines;
};

/* enable/disable/mask/unmask one unit. 0, or -1 with a message for the user
 * in err (systemctl's wording where it has one). */
int install_enable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize);
int install_disable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                    char *err, size_t errsize);
int install_mask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                 char *err, size_t errsize);
int install_unmask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize);

#endif
