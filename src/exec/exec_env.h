/* exec_env.h - the environment and credentials a unit's command runs with. */
#ifndef PXINIT_EXEC_ENV_H
#define PXINIT_EXEC_ENV_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/strv.h"
#include "unit/unit.h"

/* Reads an EnvironmentFile=: KEY=VALUE lines, '#' and ';' comments, values in
 * single or double quotes, backslash continuation; entries are env_set() into
 * env. Only a regular file of at most FILE_READ_ENV_MAX bytes is read (PID 1
 * reads it: file_read.h). Returns 0, or -1 with errno (ENOENT when missing;
 * file_read_strerror() words EINVAL and EFBIG). */
int envfile_load(const char *path, struct strv *env);

/* User=/Group=/SupplementaryGroups= resolved to numbers. */
struct exec_creds {
    bool set;
    uid_t uid;
    gid_t gid;
    gid_t groups[64];
    size_t ngroups;
    char home[256];
    char shell[256];
    char user[64];
};

/* Resolves names (or numbers) through the system's user database.
 * Returns 0, or -1 with *err pointing at a static reason. */
int exec_creds_resolve(const struct unit *u, struct exec_creds *c, const char **err);

/* Builds the environment of a command: base, then Environment=, then the
 * EnvironmentFile= contents (they override, as in systemd), then USER, LOGNAME,
 * HOME and SHELL when User= is set, and MAINPID when mainpid > 0.
 * A missing EnvironmentFile= without '-' fails with errno ENOENT and *bad_file
 * set to its path. Returns 0 or -1. */
int exec_env_build(const struct unit *u, const struct strv *base, const struct exec_creds *c,
                   pid_t mainpid, struct strv *env, const char **bad_file);

#endif
