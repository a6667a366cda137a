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
    /* systemctl --root=DIR: every directory above is under it (install_scope_set_root()); the
     * links' targets are written without it, as systemctl writes them. NULL: "/". */
    char *root;
};

/* The scope a daemon started with these options reads: own = unit_dirs,
 * systemd = paths_systemd_dirs(user) when systemd_tree. 0, or -1 with errno. */
int install_scope_init(struct install_scope *sc, const struct strv *unit_dirs, bool user,
                       bool systemd_tree);
void install_scope_free(struct install_scope *sc);
/* Puts every directory of sc under root (systemctl --root=DIR). 0, or -1 with errno. */
int install_scope_set_root(struct install_scope *sc, const char *root);

const char *unit_file_state_name(enum unit_file_state s);
/* name's state ("web.service"). */
enum unit_file_state install_state(const struct install_scope *sc, const char *name);
/* True for the states is-enabled answers 0 for: enabled, enabled-runtime,
 * static, alias, indirect, generated. */
bool unit_file_state_is_enabled(enum unit_file_state s);

/* Every unit file name in the search path (the first directory holding a
 * name wins), appended to names in systemctl's order (by type, then name). 0, or -1 with errno. */
int install_list(const struct install_scope *sc, struct strv *names);
/* The files systemctl cat shows for name: its unit file, then its drop-ins
 * in the order they apply (paths on disk). 0, 1 when masked (paths holds
 * the mask), or -1 with errno (ENOENT: no file). */
int install_files(const struct install_scope *sc, const char *name, struct strv *paths);

/* What a change did, one line each, as systemctl prints them:
 * "Created symlink LINK → TARGET." and "Removed \"LINK\"." */
struct install_changes {
    struct strv lines;
    /* enable: some unit named had [Install] rules. When none had, systemctl
     * prints its "The unit files have no installation config" notice. */
    bool carries_install_info;
};
void install_changes_free(struct install_changes *ch);

/* enable/disable/mask/unmask one unit. 0, or -1 with a message for the user
 * in err (systemctl's wording where it has one). */
int install_enable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize);
/* What enable checks before it writes anything: the unit is there, not
 * masked, not a linked unit file. 0, or -1 with systemctl's message. */
int install_enable_check(const struct install_scope *sc, const char *name, char *err,
                         size_t errsize);
int install_disable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                    char *err, size_t errsize);
int install_mask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                 char *err, size_t errsize);
int install_unmask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize);

/* systemd.preset(5) (unit_preset.c): true when the preset files of the
 * system's (user: the user's) preset directories, under sc->root, say
 * "enable" for name, or none names it (systemd's default); false for
 * "disable". */
bool install_preset_enabled(const struct install_scope *sc, bool user, const char *name);

#endif
