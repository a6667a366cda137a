/* unit_install_state.c - is-enabled's answer for a unit, and the names
 * list-unit-files shows, as systemctl finds them: a unit of systemd's tree
 * is enabled when a link to it sits in a .wants/ or .requires/ directory
 * (or as an alias) of /etc/systemd/system, enabled-runtime when only in
 * /run/systemd/system. Links in the vendor directories (/usr/lib/...) do not
 * count, as in systemctl. In pxinit's own directories every unit starts at
 * boot: enabled.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/unit_install.h"
#include "unit/unit_install_int.h"

const char *install_base(const char *text)
{
    const char *s = strrchr(text, '/');
    return s ? s + 1 : text;
}

static bool is_link_dir(const char *name)
{
    size_t n = strlen(name);
    static const char *const sfx[] = {".wants", ".requires", ".upholds"};
    for (size_t k = 0; k < 3; k++) {
        size_t m = strlen(sfx[k]);
        if (n > m && strcmp(name + n - m, sfx[k]) == 0)
            return true;
    }
    return false;
}

/* One directory's links (sub NULL: the top, whose link subdirectories are
 * walked too). */
static int walk_dir(int dfd, const char *path, const char *sub, install_link_fn fn, void *ctx,
                    bool *removed)
{
    int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        struct stat st;
        if (de->d_name[0] == '.' || fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            char text[4096];
            ssize_t n = readlinkat(dfd, de->d_name, text, sizeof(text) - 1);
            if (n <= 0)
                continue;
            text[n] = '\0';
            char *lp;
            if (asprintf(&lp, "%s/%s", path, de->d_name) < 0) {
                rc = -1;
                break;
            }
            int r = fn(ctx, dfd, lp, sub, de->d_name, text);
            free(lp);
            if (r == 2)
                *removed = true;
            else
                rc = r;
        } else if (!sub && S_ISDIR(st.st_mode) && is_link_dir(de->d_name)) {
            int sfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            char *sp;
            if (sfd < 0)
                continue;
            if (asprintf(&sp, "%s/%s", path, de->d_name) < 0) {
                close(sfd);
                rc = -1;
                break;
            }
            bool sub_removed = false;
            rc = walk_dir(sfd, sp, de->d_name, fn, ctx, &sub_removed);
            close(sfd);
            free(sp);
            /* Emptied by a removal: gone too, as systemctl leaves it. */
            if (rc == 0 && sub_removed && unlinkat(dfd, de->d_name, AT_REMOVEDIR) < 0 &&
                errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT)
                rc = -1;
        }
    }
    closedir(d);
    return rc;
}

int install_walk(const struct install_scope *sc, size_t i, install_link_fn fn, void *ctx)
{
    const char *dir = install_dir(sc, i);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    bool removed = false;
    int rc = walk_dir(dfd, dir, NULL, fn, ctx, &removed);
    close(dfd);
    return rc;
}

/* What makes a link enable the unit asked for. */
struct enabling {
    const struct install_info *info;
    const char *asked;
    char *instance; /* the instance asked for, or NULL */
    struct strv aliases;
    bool indirect; /* a link leads to it under another name */
};

static bool same_instance(const char *name, const char *instance)
{
    char *i = install_instance_of(name);
    bool same = i && strcmp(i, instance) == 0;
    free(i);
    return same;
}

/* 1: a link that enables it: in a .wants/ or .requires/ directory under
 * its name, or an Alias= link. A link to its file under another name only
 * makes it "indirect". */
static int match_enabling(void *ctx, int dfd, const char *path, const char *sub, const char *name,
                          const char *text)
{
    struct enabling *e = ctx;
    const char *base = install_base(text);
    (void)dfd;
    (void)path;
    if (strcmp(text, "/dev/null") == 0)
        return 0;
    if (!sub) {
        if (strcmp(name, e->info->name) == 0 || strcmp(base, e->info->name) != 0)
            return 0;
        if (e->instance)
            return 0; /* an instance is enabled by its .wants/ links only */
        if (strv_contains(&e->aliases, name))
            return 1;
        e->indirect = true;
        return 0;
    }
    if (strcmp(base, e->info->name) != 0 && strcmp(base, name) != 0)
        return 0;
    if (e->instance)
        return strcmp(name, e->asked) == 0;
    if (strcmp(name, e->info->name) == 0)
        return 1;
    /* A template is enabled through its DefaultInstance=; other instances
     * only make it indirect. */
    if (e->info->default_instance && strchr(name, '@') &&
        same_instance(name, e->info->default_instance))
        return 1;
    if (strcmp(base, e->info->name) == 0)
        e->indirect = true;
    return 0;
}

/* The Alias= names as links carry them for the unit asked for. */
static int alias_names(const struct install_info *info, const char *asked, const char *instance,
                       struct strv *out)
{
    const char *self = instance ? asked : info->name;
    for (size_t k = 0; k < info->aliases.n; k++) {
        char *a = install_expand(self, info->aliases.v[k]);
        if (a && instance && strchr(a, '@') && strchr(a, '@')[1] == '.') {
            char *ai = install_instantiate(a, instance);
            free(a);
            a = ai;
        }
        if (!a || strv_push_owned(out, a) < 0)
            return -1;
    }
    return 0;
}

/* UFS_ENABLED, UFS_ENABLED_RUNTIME, UFS_INDIRECT, or UFS_BAD when no link
 * leads to it. */
static enum unit_file_state enabling_links(const struct install_scope *sc,
                                           const struct install_info *info, const char *asked)
{
    struct enabling e = {.info = info, .asked = asked, .instance = install_instance_of(asked)};
    enum unit_file_state s = UFS_BAD;
    if (alias_names(info, asked, e.instance, &e.aliases) < 0)
        s = UFS_BAD;
    for (size_t i = sc->own.n; i < install_ndirs(sc) && s == UFS_BAD; i++) {
        if (!install_dir_writable(sc, i))
            continue;
        if (install_walk(sc, i, match_enabling, &e) == 1)
            s = install_dir_runtime(sc, i) ? UFS_ENABLED_RUNTIME : UFS_ENABLED;
    }
    if (s == UFS_BAD && e.indirect)
        s = UFS_INDIRECT;
    free(e.instance);
    strv_clear(&e.aliases);
    return s;
}

static bool dir_is_runtime(const struct install_scope *sc, const char *dir)
{
    for (size_t i = 0; i < install_ndirs(sc); i++)
        if (strcmp(install_dir(sc, i), dir) == 0)
            return install_dir_runtime(sc, i);
    return false;
}

enum unit_file_state install_state(const struct install_scope *sc, const char *name)
{
    struct install_info info;
    if (install_find(sc, name, &info) < 0)
        return errno == ENOENT ? UFS_NOT_FOUND : UFS_BAD;
    bool runtime = dir_is_runtime(sc, info.dir);
    char *inst = install_instance_of(name);
    /* An instance of an alias is judged as the instance of the unit. */
    char *real = inst && info.alias ? install_instantiate(info.name, inst) : NULL;
    enum unit_file_state s;
    if (info.masked)
        s = runtime ? UFS_MASKED_RUNTIME : UFS_MASKED;
    else if (info.alias && !inst)
        s = UFS_ALIAS;
    else if (info.own)
        s = UFS_ENABLED;
    else if ((s = enabling_links(sc, &info, real ? real : name)) != UFS_BAD)
        ;
    else if (info.linked)
        s = runtime ? UFS_LINKED_RUNTIME : UFS_LINKED;
    else if (install_info_has_rules(&info))
        s = UFS_DISABLED;
    else if (info.also.n)
        s = UFS_INDIRECT;
    else
        s = UFS_STATIC;
    free(real);
    free(inst);
    install_info_free(&info);
    return s;
}

/* systemd's unit types: list-unit-files shows nothing else. */
static bool unit_file_name(const char *name)
{
    static const char *const types[] = {".service", ".socket",    ".target", ".device",
                                        ".mount",   ".automount", ".swap",   ".timer",
                                        ".path",    ".slice",     ".scope"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || strlen(name) > 255)
        return false;
    for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
        if (strcmp(dot, types[k]) == 0)
            return true;
    return false;
}

/* systemctl's order: by type ("service" before "socket"), then by name. */
static int cmp_unit_file(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int r = strcasecmp(strrchr(x, '.'), strrchr(y, '.'));
    return r ? r : strcasecmp(x, y);
}

int install_list(const struct install_scope *sc, struct strv *names)
{
    size_t first = names->n;
    for (size_t i = 0; i < install_ndirs(sc); i++) {
        DIR *d = opendir(install_dir(sc, i));
        struct dirent *de;
        if (!d)
            continue;
        while ((de = readdir(d))) {
            struct stat st;
            if (!unit_file_name(de->d_name) ||
                fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
                !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
                continue;
            bool seen = false;
            for (size_t k = first; k < names->n && !seen; k++)
                seen = strcmp(names->v[k], de->d_name) == 0;
            if (!seen && strv_push(names, de->d_name) < 0) {
                closedir(d);
                return -1;
            }
        }
        closedir(d);
    }
    if (names->n > first)
        qsort(names->v + first, names->n - first, sizeof(char *), cmp_unit_file);
    return 0;
}
