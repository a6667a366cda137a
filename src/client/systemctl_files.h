/* systemctl_files.h - systemctl's unit-file verbs, offline: enable,
 * disable, reenable, mask, unmask, is-enabled, list-unit-files, cat. They
 * read and write the links beside the unit files (unit/unit_install.h) and
 * need no daemon; with --now, enable/disable also start/stop through it. */
#ifndef PXINIT_SYSTEMCTL_FILES_H
#define PXINIT_SYSTEMCTL_FILES_H

#include <stdbool.h>

#include "client/systemctl.h"

/* True when verb is one of them. */
bool systemctl_files_verb(const char *verb);
/* Runs it: systemctl's exit code. */
int systemctl_files_run(struct systemctl *sc);

#endif
