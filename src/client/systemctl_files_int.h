/* systemctl_files_int.h - what systemctl_files.c and
 * systemctl_files_list.c (list-unit-files, cat) share. */
#ifndef PXINIT_SYSTEMCTL_FILES_INT_H
#define PXINIT_SYSTEMCTL_FILES_INT_H

#include "base/strv.h"
#include "client/systemctl.h"
#include "unit/unit_install.h"

/* The search path for s (PXINIT_UNITS or the defaults, systemd's tree,
 * --root). 0, or -1 (told on stderr). */
int sdfiles_scope(const struct systemctl *s, struct install_scope *sc);
/* A name as typed made a unit name, as systemctl does: "web" ->
 * "web.service". malloc'ed; NULL when out of memory. */
char *sdfiles_unit_name(const char *arg);

/* list-unit-files [PATTERN...]: the exit code. */
int sdfiles_list(const struct systemctl *s, const struct install_scope *sc);
/* cat UNIT...: the exit code. */
int sdfiles_cat(const struct systemctl *s, const struct install_scope *sc,
                const struct strv *names);

#endif
