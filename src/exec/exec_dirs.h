/* exec_dirs.h - RuntimeDirectory=, StateDirectory=, CacheDirectory=,
 * LogsDirectory=, ConfigurationDirectory=: made before a command runs, owned
 * by User=/Group= (except the configuration directory), exported as
 * $RUNTIME_DIRECTORY etc., and the runtime one removed when the unit stops. */
#ifndef PXINIT_EXEC_DIRS_H
#define PXINIT_EXEC_DIRS_H

#include "exec/exec_env.h"
#include "base/strv.h"
#include "unit/unit.h"

/* Creates the unit's directories (parents 0755 root-owned, the innermost
 * with its *DirectoryMode= and owner; a symlink on the way is an error, ENOTDIR)
 * and sets the environment variables in env. Returns 0, or -1 with errno and *bad_path naming the
 * directory. */
int exec_dirs_prepare(const struct unit *u, const struct exec_creds *owner, struct strv *env,
                      char *bad_path, size_t bad_size);

/* Removes the unit's runtime directories (recursively, never following a
 * symlink nor entering another file system; at most 100,000 entries and 64
 * levels each, so PID 1 is not held up). Errors are logged. */
void exec_dirs_remove_runtime(const struct unit *u, const char *unit_name);

#endif
