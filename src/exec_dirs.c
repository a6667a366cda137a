/* exec_dirs.c - the per-unit directories systemd.exec(5) defines. */
#include "exec_dirs.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static const struct {
    const char *base;
    const char *env;
} dir_kinds[EXEC_DIR_MAX] = {
    [EXEC_DIR_RUNTIME] = {"/run", "RUNTIME_DIRECTORY"},
    [EXEC_DIR_STATE] = {"/var/lib", "STATE_DIRECTORY"},
    [EXEC_DIR_CACHE] = {"/var/cache", "CACHE_DIRECTORY"},
    [EXEC_DIR_LOGS] = {"/var/log", "LOGS_DIRECTORY"},
    [EXEC_DIR_CONFIGURATION] = {"/etc", "CONFIGURATION_DIRECTORY"},
};

/* mkdir -p for the parents of path (not path itself). */
static int make_parents(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int r = mkdir(path, 0755);
        *p = '/';
        if (r < 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static int make_dir(const char *path, mode_t mode, const struct exec_creds *owner, bool chown_it)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (make_parents(buf) < 0)
        return -1;
    if (mkdir(path, mode) < 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (lstat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    if (chown_it && owner && owner->set && chown(path, owner->uid, owner->gid) < 0)
        return -1;
    /* chmod after chown: chown may clear set-id bits. */
    return chmod(path, mode);
}

int exec_dirs_prepare(const struct unit *u, const struct exec_creds *owner, struct strv *env,
                      char *bad_path, size_t bad_size)
{
    for (int d = 0; d < EXEC_DIR_MAX; d++) {
        const struct strv *l = &unit_dirs(u)->paths[d];
        if (l->n == 0)
            continue;
        size_t cap = strlen(dir_kinds[d].env) + 2;
        for (size_t i = 0; i < l->n; i++)
            cap += strlen(dir_kinds[d].base) + strlen(l->v[i]) + 2;
        char *value = malloc(cap);
        if (!value)
            return -1;
        size_t len = (size_t)snprintf(value, cap, "%s=", dir_kinds[d].env);
        for (size_t i = 0; i < l->n; i++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", dir_kinds[d].base, l->v[i]);
            if (make_dir(path, unit_dirs(u)->mode[d], owner, d != EXEC_DIR_CONFIGURATION) < 0) {
                int saved = errno;
                snprintf(bad_path, bad_size, "%s", path);
                free(value);
                errno = saved;
                return -1;
            }
            len += (size_t)snprintf(value + len, cap - len, "%s%s", i ? ":" : "", path);
        }
        int r = env_set(env, value);
        free(value);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
        log_warn("removing %s", path);
    return 0;
}

void exec_dirs_remove_runtime(const struct unit *u, const char *unit_name)
{
    const struct strv *l = &unit_dirs(u)->paths[EXEC_DIR_RUNTIME];
    for (size_t i = 0; i < l->n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "/run/%s", l->v[i]);
        /* FTW_PHYS: a symlink inside is removed, never followed. */
        if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
            log_unit_warn(unit_name, "removing RuntimeDirectory %s: %s", path, strerror(errno));
    }
}
