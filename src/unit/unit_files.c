/* unit_files.c - finding unit files: directory listings, masks,
 * templates and the directories searched (unit_files.h). */
#include "unit/unit_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "config/paths.h"
#include "unit/unit_load.h"

int unit_found_cmp(const void *a, const void *b)
{
    const struct unit_found *fa = a, *fb = b;
    int c = strcmp(fa->name, fb->name);
    if (c)
        return c;
    return fa->rank < fb->rank ? -1 : fa->rank > fb->rank;
}

bool unit_files_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* systemd's masking: a unit file (or drop-in) that is empty or leads to a
 * character device (a link to /dev/null) stands for "no such unit, and do
 * not start it". lstat first: a dangling link is not a mask. */
bool unit_file_masked(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return false;
    if (S_ISLNK(st.st_mode) && stat(path, &st) < 0)
        return false;
    return S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0);
}

/* Lists the entries of dir that end in suffix into out (with rank). */
void unit_files_list(const char *dir, const char *suffix, size_t rank, struct unit_found **out,
                     size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT && errno != ENOTDIR)
            log_warn("cannot read %s", dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !unit_files_has_suffix(de->d_name, suffix))
            continue;
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 64;
            struct unit_found *v = realloc(*out, c * sizeof(*v));
            if (!v)
                break;
            *out = v;
            *cap = c;
        }
        char *name = strdup(de->d_name);
        if (!name)
            break;
        (*out)[(*n)++] = (struct unit_found){name, rank};
    }
    closedir(d);
}

/* A template itself ("getty@.service", "backup@.timer"): started only
 * through its instances. */
bool unit_name_is_template(const char *name)
{
    const char *at = strchr(name, '@');
    return at && at[1] == '.' && at + 1 == strrchr(name, '.');
}

/* The template of an instance name: "getty@tty1.service" -> "getty@.service". */
bool unit_name_template_of(const char *name, char *buf, size_t size)
{
    const char *at = strchr(name, '@');
    const char *dot = strrchr(name, '.');
    if (!at || !dot || dot < at || dot == at + 1)
        return false;
    return snprintf(buf, size, "%.*s%s", (int)(at - name + 1), name, dot) < (int)size;
}

/* The daemon's mode picks it once (unit_systemd_tree_set()); the
 * loaders all over src/unit/ take a bool for it. */
static struct strv systemd_tree;

void unit_systemd_tree_set(const struct strv *tree)
{
    strv_clear(&systemd_tree);
    if (tree && tree->n && strv_copy(&systemd_tree, tree) < 0)
        strv_clear(&systemd_tree);
}

const struct strv *unit_systemd_tree(void)
{
    if (!systemd_tree.n && paths_systemd_dirs(false, &systemd_tree) < 0)
        strv_clear(&systemd_tree);
    return &systemd_tree;
}

void unit_search_dirs(const struct strv *dirs, bool systemd, struct strv *search)
{
    strv_extend(search, dirs);
    if (systemd)
        strv_extend(search, unit_systemd_tree());
}

/* The first file named name in search: -1 none, 1 masked, 0 another. */
int unit_first_file(const struct strv *search, const char *name)
{
    for (size_t i = 0; i < search->n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", search->v[i], name);
        if (lstat(path, &st) == 0)
            return unit_file_masked(path);
    }
    return -1;
}
