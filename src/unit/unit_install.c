/* unit_install.c - the search path of systemctl's unit-file verbs, finding a
 * unit's file along it, and reading the file's [Install] section with its
 * drop-ins (unit_reader.c). The states are in unit_install_state.c, the
 * links written and removed in unit_install_links.c.
 *
 * Like systemctl, we look at the entry named as asked first: a link to
 * /dev/null (or an empty file) masks, a link with another unit's name is an
 * alias of that unit, and an instance ("getty@tty1.service") without a file
 * of its own uses its template's ("getty@.service").
 */
#include "unit/unit_install.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_read.h"
#include "config/paths.h"
#include "unit/unit.h"
#include "unit/unit_install_int.h"
#include "unit/unit_reader.h"
#include "unit/unit_specifier.h"

int install_scope_init(struct install_scope *sc, const struct strv *unit_dirs, bool user,
                       bool systemd_tree)
{
    *sc = (struct install_scope){0};
    if (unit_dirs && strv_extend(&sc->own, unit_dirs) < 0)
        goto fail;
    if (systemd_tree && paths_systemd_dirs(user, &sc->systemd) < 0)
        goto fail;
    return 0;
fail:
    install_scope_free(sc);
    return -1;
}

void install_scope_free(struct install_scope *sc)
{
    strv_clear(&sc->own);
    strv_clear(&sc->systemd);
    free(sc->root);
    sc->root = NULL;
}

static int reroot(struct strv *dirs, const char *root)
{
    for (size_t i = 0; i < dirs->n; i++) {
        char *p;
        if (asprintf(&p, "%s%s", root, dirs->v[i]) < 0)
            return -1;
        free(dirs->v[i]);
        dirs->v[i] = p;
    }
    return 0;
}

int install_scope_set_root(struct install_scope *sc, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n <= 1 && root[0] == '/')
        return 0; /* "/" is no root at all */
    char *r = strndup(root, n);
    if (!r)
        return -1;
    if (reroot(&sc->own, r) < 0 || reroot(&sc->systemd, r) < 0) {
        free(r);
        return -1;
    }
    free(sc->root);
    sc->root = r;
    return 0;
}

size_t install_ndirs(const struct install_scope *sc)
{
    return sc->own.n + sc->systemd.n;
}

const char *install_dir(const struct install_scope *sc, size_t i)
{
    return i < sc->own.n ? sc->own.v[i] : sc->systemd.v[i - sc->own.n];
}

const char *install_unrooted(const struct install_scope *sc, const char *path)
{
    size_t n = sc->root ? strlen(sc->root) : 0;
    if (n && strncmp(path, sc->root, n) == 0 && path[n] == '/')
        return path + n;
    return path;
}

bool install_dir_runtime(const struct install_scope *sc, size_t i)
{
    if (i < sc->own.n)
        return false;
    const char *d = install_unrooted(sc, install_dir(sc, i));
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    size_t n = xdg ? strlen(xdg) : 0;
    return strncmp(d, "/run/", 5) == 0 || (n > 1 && strncmp(d, xdg, n) == 0 && d[n] == '/');
}

bool install_dir_writable(const struct install_scope *sc, size_t i)
{
    return i <= sc->own.n || install_dir_runtime(sc, i);
}

static const char *const state_names[] = {
    [UFS_ENABLED] = "enabled",
    [UFS_ENABLED_RUNTIME] = "enabled-runtime",
    [UFS_LINKED] = "linked",
    [UFS_LINKED_RUNTIME] = "linked-runtime",
    [UFS_ALIAS] = "alias",
    [UFS_MASKED] = "masked",
    [UFS_MASKED_RUNTIME] = "masked-runtime",
    [UFS_STATIC] = "static",
    [UFS_DISABLED] = "disabled",
    [UFS_INDIRECT] = "indirect",
    [UFS_GENERATED] = "generated",
    [UFS_TRANSIENT] = "transient",
    [UFS_BAD] = "bad",
    [UFS_NOT_FOUND] = "not-found",
};

const char *unit_file_state_name(enum unit_file_state s)
{
    return (size_t)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "bad";
}

bool unit_file_state_is_enabled(enum unit_file_state s)
{
    return s == UFS_ENABLED || s == UFS_ENABLED_RUNTIME || s == UFS_STATIC || s == UFS_ALIAS ||
           s == UFS_INDIRECT || s == UFS_GENERATED;
}

int install_change(struct install_changes *ch, const char *fmt, ...)
{
    char *line;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return strv_push_owned(&ch->lines, line);
}

void install_changes_free(struct install_changes *ch)
{
    strv_clear(&ch->lines);
}

char *install_instance_of(const char *name)
{
    const char *at = strchr(name, '@');
    const char *dot = strrchr(name, '.');
    if (!at || !dot || dot <= at + 1)
        return NULL;
    return strndup(at + 1, (size_t)(dot - at - 1));
}

char *install_instantiate(const char *tmpl, const char *instance)
{
    const char *at = strchr(tmpl, '@');
    const char *dot = strrchr(tmpl, '.');
    char *out;
    if (!at || !dot || dot < at)
        return strdup(tmpl);
    if (asprintf(&out, "%.*s%s%s", (int)(at - tmpl + 1), tmpl, instance, dot) < 0)
        return NULL;
    return out;
}

char *install_expand(const char *name, const char *value)
{
    struct unit *u = unit_new(name);
    char bad;
    if (!u)
        return NULL;
    char *out = unit_specifier_expand(u, value, &bad);
    unit_free(u);
    return out;
}

/* The template an instance name falls back to, or NULL. */
static char *template_of(const char *name)
{
    char *inst = install_instance_of(name);
    if (!inst)
        return NULL;
    free(inst);
    return install_instantiate(name, "");
}

bool install_name_exists(const struct install_scope *sc, const char *name)
{
    char *tmpl = template_of(name);
    bool found = false;
    for (size_t i = 0; i < install_ndirs(sc) && !found; i++) {
        struct stat st;
        char *p;
        if (asprintf(&p, "%s/%s", install_dir(sc, i), name) < 0)
            break;
        found = lstat(p, &st) == 0;
        free(p);
        if (!found && tmpl) {
            if (asprintf(&p, "%s/%s", install_dir(sc, i), tmpl) < 0)
                break;
            found = lstat(p, &st) == 0;
            free(p);
        }
    }
    free(tmpl);
    return found;
}

void install_info_free(struct install_info *info)
{
    free(info->name);
    free(info->path);
    free(info->target);
    free(info->dir);
    free(info->entry);
    strv_clear(&info->wanted_by);
    strv_clear(&info->required_by);
    strv_clear(&info->aliases);
    strv_clear(&info->also);
    free(info->default_instance);
    *info = (struct install_info){0};
}

bool install_info_has_rules(const struct install_info *info)
{
    return info->wanted_by.n || info->required_by.n || info->aliases.n;
}

/* Malformed lines are the loader's business: systemctl reads on quietly. */
static void diag_quiet(void *ctx, enum diag_level level, const char *message)
{
    (void)ctx;
    (void)level;
    (void)message;
}

static int push_words(struct strv *list, const char *value)
{
    if (!*value) {
        strv_clear(list); /* an empty assignment resets the list */
        return 0;
    }
    char *copy = strdup(value);
    if (!copy)
        return -1;
    int rc = 0;
    for (char *save = NULL, *w = strtok_r(copy, " \t\n", &save); w && rc == 0;
         w = strtok_r(NULL, " \t\n", &save))
        rc = strv_push(list, w);
    free(copy);
    return rc;
}

static int read_install(struct install_info *info, const char *path)
{
    size_t len;
    char *text = file_read_regular(path, FILE_READ_UNIT_MAX, &len);
    if (!text)
        return errno == ENOENT ? 0 : -1;
    struct diag_sink sink = {.emit = diag_quiet};
    struct diag_file diag = {.path = path, .sink = &sink};
    struct unit_reader r;
    struct unit_item it;
    int rc = 0, got;
    unit_reader_init(&r, text, len, &diag);
    while (rc == 0 && (got = unit_reader_next(&r, &it)) > 0) {
        if (it.kind != UNIT_ITEM_ASSIGNMENT || strcmp(it.section, "Install") != 0)
            continue;
        if (strcmp(it.key, "WantedBy") == 0)
            rc = push_words(&info->wanted_by, it.value);
        else if (strcmp(it.key, "RequiredBy") == 0)
            rc = push_words(&info->required_by, it.value);
        else if (strcmp(it.key, "Alias") == 0)
            rc = push_words(&info->aliases, it.value);
        else if (strcmp(it.key, "Also") == 0)
            rc = push_words(&info->also, it.value);
        else if (strcmp(it.key, "DefaultInstance") == 0) {
            free(info->default_instance);
            info->default_instance = *it.value ? strdup(it.value) : NULL;
            if (*it.value && !info->default_instance)
                rc = -1;
        }
    }
    unit_reader_free(&r);
    free(text);
    return rc;
}

static int cmp_base(const void *a, const void *b)
{
    const char *x = strrchr(*(char *const *)a, '/'), *y = strrchr(*(char *const *)b, '/');
    return strcmp(x, y);
}

static bool has_base(const struct strv *paths, size_t from, const char *base)
{
    for (size_t i = from; i < paths->n; i++)
        if (strcmp(strrchr(paths->v[i], '/') + 1, base) == 0)
            return true;
    return false;
}

/* NAME.d/ *.conf along the search path: a file name first found wins, then
 * they apply in the order of their names. names: the instance's, then the
 * template's. */
static int collect_dropins(const struct install_scope *sc, const char *const *names, size_t nn,
                           struct strv *out)
{
    size_t from = out->n; /* what out held before stays first */
    for (size_t i = 0; i < install_ndirs(sc); i++) {
        for (size_t k = 0; k < nn; k++) {
            char *d;
            if (asprintf(&d, "%s/%s.d", install_dir(sc, i), names[k]) < 0)
                return -1;
            DIR *dir = opendir(d);
            struct dirent *de;
            while (dir && (de = readdir(dir))) {
                size_t n = strlen(de->d_name);
                char *p;
                if (n <= 5 || strcmp(de->d_name + n - 5, ".conf") != 0 ||
                    has_base(out, from, de->d_name))
                    continue;
                if (asprintf(&p, "%s/%s", d, de->d_name) < 0 || strv_push_owned(out, p) < 0) {
                    closedir(dir);
                    free(d);
                    return -1;
                }
            }
            if (dir)
                closedir(dir);
            free(d);
        }
    }
    if (out->n > from)
        qsort(out->v + from, out->n - from, sizeof(out->v[0]), cmp_base);
    return 0;
}

static int dropins_of(const struct install_scope *sc, const char *asked,
                      const struct install_info *info, struct strv *out)
{
    const char *names[2] = {asked, info->name};
    size_t nn = strcmp(asked, info->name) != 0 ? 2 : 1;
    return collect_dropins(sc, nn == 2 ? names : names + 1, nn, out);
}

/* Where a link's text leads, on disk. */
static char *link_resolve(const struct install_scope *sc, const char *dir, const char *text)
{
    char *p;
    if (text[0] == '/') {
        if (asprintf(&p, "%s%s", sc->root ? sc->root : "", text) < 0)
            return NULL;
    } else if (asprintf(&p, "%s/%s", dir, text) < 0) {
        return NULL;
    }
    return p;
}

static bool in_search_path(const struct install_scope *sc, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    for (size_t i = 0; i < install_ndirs(sc); i++) {
        const char *d = install_dir(sc, i);
        if (strlen(d) == n && strncmp(d, path, n) == 0)
            return true;
    }
    return false;
}

/* Looks at dir/name: 1 found (info filled), 0 nothing usable there, -1. */
static int look_at(const struct install_scope *sc, size_t i, const char *name,
                   struct install_info *info)
{
    const char *dir = install_dir(sc, i);
    struct stat st;
    char *entry;
    if (asprintf(&entry, "%s/%s", dir, name) < 0)
        return -1;
    if (lstat(entry, &st) < 0 || !(S_ISLNK(st.st_mode) || S_ISREG(st.st_mode))) {
        free(entry);
        return 0;
    }
    char *path = NULL, *real = NULL;
    if (S_ISLNK(st.st_mode)) {
        char text[4096];
        ssize_t n = readlink(entry, text, sizeof(text) - 1);
        if (n <= 0 || !(path = link_resolve(sc, dir, (text[n] = '\0', text)))) {
            free(entry);
            return n <= 0 ? 0 : -1;
        }
        if (strcmp(text, "/dev/null") == 0) {
            info->masked = true;
        } else if (stat(path, &st) < 0) {
            free(entry);
            free(path);
            return 0; /* a dangling link: as if absent */
        }
        const char *base = strrchr(text, '/') ? strrchr(text, '/') + 1 : text;
        if (!info->masked && strcmp(base, name) != 0 && strchr(base, '.'))
            info->alias = true;
        else if (!info->masked && !in_search_path(sc, path))
            info->linked = true;
        real = strdup(info->alias ? base : name);
    } else {
        path = strdup(entry);
        real = strdup(name);
    }
    if (S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0))
        info->masked = true;
    info->entry = entry;
    info->path = path;
    info->name = real;
    info->dir = strdup(dir);
    info->own = i < sc->own.n;
    info->target = path ? strdup(install_unrooted(sc, path)) : NULL;
    if (!path || !real || !info->dir || !info->target)
        return -1;
    return 1;
}

static int find_entry(const struct install_scope *sc, const char *name, struct install_info *info)
{
    for (size_t i = 0; i < install_ndirs(sc); i++) {
        int r = look_at(sc, i, name, info);
        if (r != 0)
            return r;
    }
    return 0;
}

int install_find(const struct install_scope *sc, const char *name, struct install_info *info)
{
    *info = (struct install_info){0};
    int r = find_entry(sc, name, info);
    if (r == 0) {
        char *tmpl = template_of(name);
        if (tmpl) {
            install_info_free(info);
            r = find_entry(sc, tmpl, info);
            free(tmpl);
        }
    }
    if (r <= 0) {
        int e = r == 0 ? ENOENT : errno;
        install_info_free(info);
        errno = e;
        return -1;
    }
    if (info->masked)
        return 0;
    struct strv files = {0};
    int rc = strv_push(&files, info->path);
    if (rc == 0)
        rc = dropins_of(sc, name, info, &files);
    for (size_t k = 0; rc == 0 && k < files.n; k++)
        rc = read_install(info, files.v[k]);
    strv_clear(&files);
    if (rc < 0) {
        int e = errno;
        install_info_free(info);
        errno = e;
    }
    return rc;
}

int install_files(const struct install_scope *sc, const char *name, struct strv *paths)
{
    struct install_info info;
    if (install_find(sc, name, &info) < 0)
        return -1;
    int rc;
    if (info.masked) {
        rc = strv_push(paths, info.entry) < 0 ? -1 : 1;
    } else {
        rc = strv_push(paths, info.path);
        if (rc == 0)
            rc = dropins_of(sc, name, &info, paths);
    }
    install_info_free(&info);
    return rc;
}
