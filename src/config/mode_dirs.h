/* mode_dirs.h - directories the daemon's mode asks for, made or checked
 * before the daemon takes its runtime directory: a user daemon's private
 * runtime directory, and systemd's "booted with systemd" marker. */
#ifndef PXINIT_MODE_DIRS_H
#define PXINIT_MODE_DIRS_H

#include "config/options.h"

/* --user without -R: the runtime directory is made 0700 and must be the
 * user's alone (base/private_dir.h); when it is not, pxinit warns once and
 * sets o->runtime_dir to NULL: no lock, control socket, board or notify
 * socket, as with an unwritable runtime directory.
 * --systemd in system mode: /run/systemd/system is made (0755, parents
 * too), the directory by which deb-systemd-invoke, invoke-rc.d and
 * Ansible's service module tell that systemd runs; a warning when it
 * cannot be. It is left in place at exit, as systemd leaves it. */
void mode_dirs_prepare(struct options *o);

#endif
