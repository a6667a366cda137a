/* exec_dirs.c - the per-unit directories systemd.exec(5) defines: made,
 * chowned and removed through descriptors, one path component at a time
 * and never through a symlink, since the service owns what it may swap. */
#include "exec/exec_dirs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

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

/* Opens the next component under dir without following a symlink: a
 * service owning a directory on the way can swap what is below it for a
 * link, and root must not be led along it (issue: a RuntimeDirectory=app/x/y
 * removed through app/x -> / elsewhere). */
static int open_below(int dir, const char *name)
{
    return openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Splits rel at the next '/' (in place): the component, or NULL at the end.
 * Empty and "." components are skipped (".." is refused at parse). */
static char *next_component(char **rest)
{
    char *c;
    do {
        c = strsep(rest, "/");
    } while (c && (!*c || strcmp(c, ".") == 0));
    return c;
}

/* Walks rel below base (copied into buf) to the directory that holds its
 * last component, one component at a time through descriptors, never
 * following a symlink; with make, missing parents are made 0755 and root's.
 * Returns that directory's fd and sets *last (NULL when rel has no
 * component: the fd is then base's copy), or -1 with errno (ENOTDIR or
 * ELOOP: a symlink where a directory should be). */
static int walk_to_parent(int base, const char *rel, char *buf, size_t size, bool make, char **last)
{
    if (snprintf(buf, size, "%s", rel) >= (int)size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *rest = buf, *c = next_component(&rest);
    int fd = fcntl(base, F_DUPFD_CLOEXEC, 3);
    while (fd >= 0 && c) {
        char *next = next_component(&rest);
        if (!next)
            break;
        int sub = -1;
        if (!make || mkdirat(fd, c, 0755) == 0 || errno == EEXIST)
            sub = open_below(fd, c);
        int saved = errno;
        close(fd);
        errno = saved;
        fd = sub;
        c = next;
    }
    *last = c;
    return fd;
}

/* mkdir -p rel under base: missing parents 0755 and root's, the innermost
 * with mode and (when chown_it) owner's. Mode and owner are set on the open
 * directory, so nothing swapped in meanwhile is changed instead. */
static int make_dir(int base, const char *rel, mode_t mode, const struct exec_creds *owner,
                    bool chown_it)
{
    char buf[4096], *last;
    int parent = walk_to_parent(base, rel, buf, sizeof(buf), true, &last);
    int fd = -1;
    if (parent >= 0 && !last)
        errno = EINVAL; /* never base itself */
    else if (parent >= 0 && (mkdirat(parent, last, mode) == 0 || errno == EEXIST))
        fd = open_below(parent, last);
    int saved = errno;
    if (parent >= 0)
        close(parent);
    errno = saved;
    if (fd < 0)
        return -1;
    int r = 0;
    if (chown_it && owner && owner->set && fchown(fd, owner->uid, owner->gid) < 0)
        r = -1;
    /* chmod after chown: chown may clear set-id bits. */
    if (r == 0 && fchmod(fd, mode) < 0)
        r = -1;
    saved = errno;
    close(fd);
    errno = saved;
    return r;
}

/* The base (/run, /var/lib...), made when missing: root's own paths, where a
 * symlink (/var/run, an image's /var/log) is followed as systemd does. */
static int open_base(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = strchr(buf + 1, '/');; p = strchr(p + 1, '/')) {
        if (p)
            *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        if (!p)
            break;
        *p = '/';
    }
    return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
        int base = -1;
        for (size_t i = 0; i < l->n; i++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", dir_kinds[d].base, l->v[i]);
            if (base < 0)
                base = open_base(dir_kinds[d].base);
            if (base < 0 || make_dir(base, l->v[i], unit_dirs(u)->mode[d], owner,
                                     d != EXEC_DIR_CONFIGURATION) < 0) {
                int saved = errno;
                if (base >= 0)
                    close(base);
                snprintf(bad_path, bad_size, "%s", path);
                free(value);
                errno = saved;
                return -1;
            }
            len += (size_t)snprintf(value + len, cap - len, "%s%s", i ? ":" : "", path);
        }
        if (base >= 0)
            close(base);
        int r = env_set(env, value);
        free(value);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* Removal is done by PID 1 on a tree the service wrote: bounded, so that a
 * service cannot stall pxinit with millions of files or a deep chain of
 * directories (what is left is logged, and reused by the next start). */
#define REMOVE_MAX_DEPTH 64
#define REMOVE_MAX_ENTRIES 100000

struct remove_walk {
    dev_t dev;        /* the base's file system: never descend into a mount */
    unsigned entries; /* removed so far */
    bool incomplete;
};

/* Removes name (a directory or not) under dir, never following a symlink. */
static void remove_at(int dir, const char *name, unsigned depth, struct remove_walk *w)
{
    if (w->entries >= REMOVE_MAX_ENTRIES) {
        w->incomplete = true;
        return;
    }
    int fd = open_below(dir, name);
    if (fd < 0) {
        /* Not a directory, or a symlink (ENOTDIR, ELOOP): unlink the name
         * itself. */
        if ((errno == ENOTDIR || errno == ELOOP) && unlinkat(dir, name, 0) == 0)
            w->entries++;
        else if (errno != ENOENT)
            w->incomplete = true;
        return;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_dev != w->dev || depth >= REMOVE_MAX_DEPTH) {
        close(fd);
        w->incomplete = true;
        return;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        w->incomplete = true;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) && w->entries < REMOVE_MAX_ENTRIES) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN)
            remove_at(dirfd(d), de->d_name, depth + 1, w);
        else if (unlinkat(dirfd(d), de->d_name, 0) == 0)
            w->entries++;
        else if (errno != ENOENT)
            w->incomplete = true;
    }
    closedir(d);
    if (unlinkat(dir, name, AT_REMOVEDIR) == 0)
        w->entries++;
    else if (errno != ENOENT)
        w->incomplete = true;
}

/* Removes base/rel, reached without following a symlink on the way. */
static int remove_dir(int base, const char *rel, struct remove_walk *w)
{
    char buf[4096], *last;
    int parent = walk_to_parent(base, rel, buf, sizeof(buf), false, &last);
    if (parent < 0)
        return errno == ENOENT ? 0 : -1; /* ENOTDIR: swapped for a symlink, left alone */
    if (last)
        remove_at(parent, last, 0, w);
    close(parent);
    return 0;
}

void exec_dirs_remove_runtime(const struct unit *u, const char *unit_name)
{
    const struct strv *l = &unit_dirs(u)->paths[EXEC_DIR_RUNTIME];
    if (l->n == 0)
        return;
    const char *base_path = dir_kinds[EXEC_DIR_RUNTIME].base;
    int base = open(base_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (base < 0 || fstat(base, &st) < 0) {
        log_unit_warn(unit_name, "removing RuntimeDirectory: %s: %s", base_path, strerror(errno));
        if (base >= 0)
            close(base);
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        struct remove_walk w = {.dev = st.st_dev};
        if (remove_dir(base, l->v[i], &w) < 0)
            log_unit_warn(unit_name, "not removing RuntimeDirectory %s/%s: %s", base_path, l->v[i],
                          strerror(errno));
        else if (w.incomplete)
            log_unit_warn(unit_name,
                          "RuntimeDirectory %s/%s not removed completely (a mount, an "
                          "error, or more than %d entries or %d levels)",
                          base_path, l->v[i], REMOVE_MAX_ENTRIES, REMOVE_MAX_DEPTH);
    }
    close(base);
}
