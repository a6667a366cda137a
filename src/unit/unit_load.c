/* unit_load.c - reads the unit directories into a set of units sorted by
 * name (what the running daemon does with them is run/unit_table.c's). */
#include "unit/unit_load.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "unit/unit_files.h"
#include "unit/unit_load_triggers.h"
#include "unit/unit_parse.h"
#include "unit/unit_wants.h"

/* --- loading ------------------------------------------------------------------ */

static void diag_to_log(void *ctx, enum diag_level level, const char *message)
{
    const struct unit_load_report *rep = ctx;
    log_msg(level == DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING, NULL, "%s", message);
    if (rep && rep->diag)
        rep->diag(rep->ctx, level, message);
}

struct unit_vec {
    struct unit **v;
    size_t n, cap;
};

static int unit_vec_push(struct unit_vec *uv, struct unit *u)
{
    if (uv->n == uv->cap) {
        size_t cap = uv->cap ? uv->cap * 2 : 16;
        struct unit **v = realloc(uv->v, cap * sizeof(*v));
        if (!v)
            return -1;
        uv->v = v;
        uv->cap = cap;
    }
    uv->v[uv->n++] = u;
    return 0;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Applies NAME.d/\*.conf drop-ins from every directory (for an instance,
 * its template's first), in lexical order of file name; for one file name
 * the first directory wins, as in systemd. */
static void apply_dropins(struct unit *u, const struct strv *dirs, struct diag_sink *sink)
{
    char tmpl[512];
    const char *names[2] = {NULL, u->name};
    if (unit_name_template_of(u->name, tmpl, sizeof(tmpl)))
        names[0] = tmpl;
    for (int k = 0; k < 2; k++) {
        if (!names[k])
            continue;
        struct unit_found *f = NULL;
        size_t n = 0, cap = 0;
        for (size_t i = 0; i < dirs->n; i++) {
            char d[4096];
            snprintf(d, sizeof(d), "%s/%s.d", dirs->v[i], names[k]);
            unit_files_list(d, ".conf", i, &f, &n, &cap);
        }
        if (n)
            qsort(f, n, sizeof(*f), unit_found_cmp);
        for (size_t j = 0; j < n; j++) {
            if (j == 0 || strcmp(f[j].name, f[j - 1].name) != 0) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s.d/%s", dirs->v[f[j].rank], names[k], f[j].name);
                if (unit_file_masked(path)) {
                    /* It hides a drop-in of the same name further down. */
                    log_debug("%s: drop-in %s is masked", u->name, path);
                    continue;
                }
                log_debug("%s: applying drop-in %s", u->name, path);
                unit_parse_file(u, path, sink);
                struct unit_deps *d = unit_part(u, UNIT_PART_DEPS);
                if (!d || strv_push(&d->dropin_paths, path) < 0)
                    log_debug("%s: out of memory: drop-in %s not listed", u->name, path);
            }
        }
        for (size_t j = 0; j < n; j++)
            free(f[j].name);
        free(f);
    }
}

/* Loads name from path (+ drop-ins, + NAME.wants/ and NAME.requires/ of
 * dirs: only those listed in links, unless links is NULL); NULL when it
 * failed to load (reported). The caller has made sure path is not masked.
 * dir, when not NULL, is path's directory (path is DIR/NAME): the unit
 * shares it instead of a copy of path. */
static struct unit *load_one(const char *name, const char *path, struct unit_dir *dir,
                             const struct strv *dirs, const struct strv *links,
                             const struct unit_load_report *rep)
{
    struct unit *u = unit_new(name);
    if (!u) {
        log_warn("%s", path);
        return NULL;
    }
    if (dir)
        unit_set_dir(u, dir);
    struct diag_sink sink = {.emit = diag_to_log, .ctx = (void *)rep, .not_enforced_quiet = true};
    int r = unit_parse_file(u, path, &sink);
    apply_dropins(u, dirs, &sink);
    if (r == 0 && unit_wants_apply(u, dirs, links) < 0)
        r = -1;
    if (r == 0 && u->loaded)
        r = unit_finalize(u, &sink);
    if (r < 0 || !u->loaded) {
        size_t len;
        const char *shortname = unit_short_name(name, &len);
        log_msg(LOG_LEVEL_ERROR, NULL, "%.*s: %s: unit failed to load, not starting it", (int)len,
                shortname, path);
        if (rep && rep->failed)
            rep->failed(rep->ctx, name, path);
        unit_free(u);
        return NULL;
    }
    return u;
}

/* A symlink NAME -> .../OTHER.service is systemd's alias: OTHER is loaded,
 * NAME only names it. A link to /dev/null masks the unit (unit_file_masked()).
 * Returns the target's name (static buffer) for an alias, "" for a mask,
 * NULL otherwise. */
static const char *link_kind(const char *path, const char *name)
{
    static char target[512];
    char buf[4096];
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
        return NULL;
    ssize_t n = readlink(path, buf, sizeof(buf) - 1);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    if (strcmp(buf, "/dev/null") == 0 || unit_file_masked(path))
        return "";
    const char *base = strrchr(buf, '/');
    base = base ? base + 1 : buf;
    char tmpl[512];
    if (strcmp(base, name) == 0 || unit_kind_of_name(base) < 0 ||
        unit_kind_of_name(base) != unit_kind_of_name(name))
        return NULL;
    /* name@inst.service -> name@.service is an instance, not an alias. */
    if (unit_name_template_of(name, tmpl, sizeof(tmpl)) && strcmp(tmpl, base) == 0)
        return NULL;
    snprintf(target, sizeof(target), "%.*s", (int)sizeof(target) - 1, base);
    return target;
}

/* Loads the named units (or, with names NULL, every unit of dirs): the first
 * directory that has a name wins. Aliases found on the way go to aliases as
 * "alias=target". */
static void load_units(const struct strv *dirs, const struct strv *names, struct unit_vec *uv,
                       struct strv *aliases, const struct unit_vec *already,
                       const struct unit_load_report *rep)
{
    struct unit_found *f = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < dirs->n; i++)
        unit_files_list(dirs->v[i], "", i, &f, &n, &cap); /* one pass: units and .wants/ */
    if (n)
        qsort(f, n, sizeof(*f), unit_found_cmp);
    struct strv links = {0}; /* NAME.wants, NAME.requires: few, looked up per unit */
    for (size_t j = 0; j < n; j++)
        unit_wants_note(f[j].name, &links, !names);
    /* One shared name per directory (NULL entries: each unit copies its path). */
    struct unit_dir **shared = dirs->n ? calloc(dirs->n, sizeof(*shared)) : NULL;
    for (size_t j = 0; j < n; j++) {
        const char *name = f[j].name;
        if (j > 0 && strcmp(name, f[j - 1].name) == 0)
            continue; /* an earlier directory has it: that one wins */
        if (unit_kind_of_name(name) < 0)
            continue;
        if (names && (names->n == 0 || /* bsearch() must not get a NULL array */
                      !bsearch(&name, names->v, names->n, sizeof(*names->v), str_cmp)))
            continue;
        bool dup = false;
        for (size_t k = 0; already && k < already->n && !dup; k++)
            dup = strcmp(already->v[k]->name, name) == 0;
        if (dup)
            continue;
        if (unit_name_is_template(name)) {
            log_debug("%s: a template is started through its instances", name);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dirs->v[f[j].rank], name);
        const char *target = link_kind(path, name);
        if (target && !*target) {
            log_info("%s is masked, not loading it", name);
            continue;
        }
        if (target) {
            char kv[1024];
            snprintf(kv, sizeof(kv), "%.255s=%s", name, target);
            strv_push(aliases, kv);
            continue;
        }
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
            if (unit_file_masked(path))
                log_info("%s is masked, not loading it", name);
            else
                log_debug("%s: not a regular file, skipped", path);
            continue;
        }
        size_t rank = f[j].rank;
        if (shared && !shared[rank])
            shared[rank] = unit_dir_new(dirs->v[rank]); /* NULL: a path per unit */
        struct unit *u = load_one(name, path, shared ? shared[rank] : NULL, dirs, &links, rep);
        if (u && unit_vec_push(uv, u) < 0) {
            log_warn("%s", path);
            unit_free(u);
        }
    }
    for (size_t j = 0; j < n; j++)
        free(f[j].name);
    free(f);
    strv_clear(&links);
    for (size_t i = 0; shared && i < dirs->n; i++)
        unit_dir_unref(shared[i]); /* the units hold their own references */
    free(shared);
}

/* Gives each unit the aliases that point at it. */
static void attach_aliases(struct unit_vec *uv, const struct strv *aliases)
{
    for (size_t i = 0; i < aliases->n; i++) {
        char *eq = strchr(aliases->v[i], '=');
        if (!eq)
            continue;
        *eq = '\0';
        bool found = false;
        for (size_t k = 0; k < uv->n && !found; k++) {
            if (strcmp(uv->v[k]->name, eq + 1) == 0) {
                found = true;
                struct unit_deps *d = unit_part(uv->v[k], UNIT_PART_DEPS);
                if (d && !strv_contains(&d->aliases, aliases->v[i]))
                    strv_push(&d->aliases, aliases->v[i]);
            }
        }
        if (!found)
            log_debug("alias %s points at %s, which is not loaded", aliases->v[i], eq + 1);
        *eq = '=';
    }
}

/* --systemd: a target that .wants/ links name but no directory has a file
 * of is an empty one (its Wants= come from those links). One with a file
 * that is masked or failed to load is not made up. */
static void unit_load_empty_targets(const struct strv *dirs, const struct strv *names,
                                    struct unit_vec *uv)
{
    for (size_t i = 0; i < names->n; i++) {
        bool have = unit_kind_of_name(names->v[i]) != UNIT_KIND_TARGET;
        for (size_t k = 0; k < dirs->n && !have; k++) {
            char path[4096];
            struct stat st;
            snprintf(path, sizeof(path), "%s/%s", dirs->v[k], names->v[i]);
            have = lstat(path, &st) == 0;
        }
        for (size_t k = 0; k < uv->n && !have; k++)
            have = strcmp(uv->v[k]->name, names->v[i]) == 0; /* from --units */
        struct unit *u = have ? NULL : unit_wants_empty_target(names->v[i], dirs);
        if (u && unit_vec_push(uv, u) < 0)
            unit_free(u);
    }
}

static bool unit_vec_has(const struct unit_vec *uv, const char *name)
{
    for (size_t k = 0; k < uv->n; k++)
        if (strcmp(uv->v[k]->name, name) == 0)
            return true;
    return false;
}

/* Loads the units names lists (sorted here) from dirs: an instance from its
 * template (name@inst.service exists only as a link in a .wants directory,
 * or as a timer's Unit=), the others by their own file. Without
 * may_be_loaded, none of names is in uv yet. */
static void load_named(const struct strv *dirs, struct strv *names, struct unit_vec *uv,
                       struct strv *aliases, const struct unit_load_report *rep, bool may_be_loaded)
{
    if (names->n)
        qsort(names->v, names->n, sizeof(*names->v), str_cmp);
    for (size_t i = 0; i < names->n; i++) {
        char tmpl[512];
        if ((i > 0 && strcmp(names->v[i], names->v[i - 1]) == 0) ||
            !unit_name_template_of(names->v[i], tmpl, sizeof(tmpl)) ||
            unit_name_is_template(names->v[i]) || (may_be_loaded && unit_vec_has(uv, names->v[i])))
            continue;
        for (size_t k = 0; k < dirs->n; k++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", dirs->v[k], tmpl);
            if (access(path, R_OK) == 0) {
                if (unit_file_masked(path)) {
                    log_info("%s is masked, not loading %s", tmpl, names->v[i]);
                    break;
                }
                struct unit *u = load_one(names->v[i], path, NULL, dirs, NULL, rep);
                if (u && unit_vec_push(uv, u) < 0)
                    unit_free(u);
                break;
            }
        }
    }
    load_units(dirs, names, uv, aliases, uv, rep);
}

/* --systemd: the units an image enabled for systemd's targets: the links
 * in tree's first directory's *.target.wants/, resolved along tree. */
static void load_systemd_enabled(const struct strv *tree, struct unit_vec *uv, struct strv *aliases,
                                 const struct unit_load_report *rep)
{
    struct strv dirs = {0}, enabled = {0};
    if (!tree->n || strv_copy(&dirs, tree) < 0)
        return;
    DIR *d = opendir(tree->v[0]);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (!unit_files_has_suffix(de->d_name, ".target.wants"))
            continue;
        struct unit_found *f = NULL;
        size_t n = 0, cap = 0;
        char wants[4096];
        snprintf(wants, sizeof(wants), "%s/%s", tree->v[0], de->d_name);
        unit_files_list(wants, ".service", 0, &f, &n, &cap);
        unit_files_list(wants, ".timer", 0, &f, &n, &cap);  /* timers.target.wants/ */
        unit_files_list(wants, ".socket", 0, &f, &n, &cap); /* sockets.target.wants/ */
        /* The target itself is a unit too (its file, or an empty one). */
        char *target = strndup(de->d_name, strlen(de->d_name) - strlen(".wants"));
        if (target && !strv_contains(&enabled, target))
            strv_push(&enabled, target);
        free(target);
        for (size_t j = 0; j < n; j++) {
            if (!strv_contains(&enabled, f[j].name))
                strv_push(&enabled, f[j].name);
            free(f[j].name);
        }
        free(f);
    }
    if (d)
        closedir(d);
    log_debug("--systemd: %zu enabled units in %s", enabled.n, tree->v[0]);
    load_named(&dirs, &enabled, uv, aliases, rep, true);
    unit_load_empty_targets(&dirs, &enabled, uv);
    strv_clear(&dirs);
    strv_clear(&enabled);
}

static int unit_ptr_cmp(const void *a, const void *b)
{
    const struct unit *ua = *(const struct unit *const *)a;
    const struct unit *ub = *(const struct unit *const *)b;
    return strcmp(ua->name, ub->name);
}

/* The units that loaded units activate or name (unit_load_triggers.h)
 * that no directory scan loaded, looked for in every directory a unit can
 * come from, until they bring no more. One that has a file in dirs was
 * already loaded, reported as failed or masked there. uv is sorted. */
static void load_triggered(const struct strv *dirs, bool systemd, struct unit_vec *uv,
                           struct strv *aliases, const struct unit_load_report *rep)
{
    struct strv want = {0}, tried = {0}, search = {0};
    unit_search_dirs(dirs, systemd, &search);
    /* A round per level: socket -> service -> the service's other sockets. */
    for (int round = 0; round < 8; round++) {
        if (unit_triggers_wanted(uv->v, uv->n, dirs, &tried, &want) < 0)
            log_warn("loading what units activate");
        if (!want.n)
            break;
        strv_extend(&tried, &want);
        load_named(&search, &want, uv, aliases, rep, false);
        strv_clear(&want);
        if (uv->n)
            qsort(uv->v, uv->n, sizeof(*uv->v), unit_ptr_cmp);
    }
    /* An Accept=yes socket without its template could never serve. */
    size_t kept = 0;
    for (size_t i = 0; i < uv->n; i++) {
        char tmpl[512], pb[4096];
        const char *missing = unit_triggers_missing_template(uv->v[i], &search, tmpl, sizeof(tmpl));
        if (!missing) {
            uv->v[kept++] = uv->v[i];
            continue;
        }
        const char *path = unit_path(uv->v[i], pb, sizeof(pb));
        char msg[1024];
        snprintf(msg, sizeof(msg), "%s: Accept=yes needs the template %s, which has no file%s",
                 path ? path : uv->v[i]->name, missing,
                 unit_first_file(&search, missing) == 1 ? " (it is masked)" : "");
        diag_to_log((void *)rep, DIAG_ERROR, msg);
        log_msg(LOG_LEVEL_ERROR, NULL, "%s: %s: unit failed to load, not starting it",
                uv->v[i]->name, path ? path : "-");
        if (rep && rep->failed)
            rep->failed(rep->ctx, uv->v[i]->name, path ? path : "");
        unit_free(uv->v[i]);
    }
    uv->n = kept;
    strv_clear(&want);
    strv_clear(&tried);
    strv_clear(&search);
}

bool unit_masked(const struct strv *dirs, bool systemd, const char *name)
{
    struct strv search = {0};
    char tmpl[512];
    unit_search_dirs(dirs, systemd, &search);
    bool masked =
        unit_first_file(&search, name) == 1 ||
        (unit_name_template_of(name, tmpl, sizeof(tmpl)) && unit_first_file(&search, tmpl) == 1);
    strv_clear(&search);
    return masked;
}

struct unit *unit_load_instance(const struct strv *dirs, bool systemd, const char *name)
{
    return unit_load_instance_report(dirs, systemd, name, NULL);
}

struct unit *unit_load_instance_report(const struct strv *dirs, bool systemd, const char *name,
                                       const struct unit_load_report *rep)
{
    char tmpl[512];
    if (unit_name_is_template(name))
        return NULL;
    /* A plain name is its own file: systemd loads any unit on its path on demand. */
    const char *file = unit_name_template_of(name, tmpl, sizeof(tmpl)) ? tmpl : name;
    struct strv search = {0};
    unit_search_dirs(dirs, systemd, &search);
    struct unit *u = NULL;
    for (size_t i = 0; i < search.n && !u; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", search.v[i], file);
        if (access(path, R_OK) == 0) {
            if (unit_file_masked(path)) {
                log_info("%s is masked, not loading %s", file, name);
                break;
            }
            u = load_one(name, path, NULL, &search, NULL, rep);
            if (u)
                u->instantiated = true;
            break;
        }
    }
    strv_clear(&search);
    return u;
}

struct unit *unit_load_file(const char *path, struct diag_sink *sink, bool *masked)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    *masked = unit_file_masked(path);
    if (*masked)
        return NULL;
    struct unit *u = unit_new(name);
    if (!u)
        return NULL;
    struct strv dirs = {0};
    char dir[4096];
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash == path ? 1 : slash - path) : 1,
             slash ? path : ".");
    int r = unit_parse_file(u, path, sink);
    if (strv_push(&dirs, dir) == 0) {
        apply_dropins(u, &dirs, sink);
        if (unit_wants_apply(u, &dirs, NULL) < 0)
            r = -1;
    }
    if (r == 0 && u->loaded && unit_finalize(u, sink) == 0) {
        char tmpl[512];
        const char *missing = unit_triggers_missing_template(u, &dirs, tmpl, sizeof(tmpl));
        struct diag_file d = {.path = path, .sink = sink};
        if (missing) {
            diag_report(&d, DIAG_ERROR, 0, "Accept=yes needs the template %s beside it", missing);
            u->loaded = false;
        }
    }
    strv_clear(&dirs);
    return u;
}

int unit_load_dirs(const struct strv *dirs, bool systemd, struct unit ***units, size_t *n)
{
    return unit_load_dirs_report(dirs, systemd, units, n, NULL);
}

int unit_load_dirs_report(const struct strv *dirs, bool systemd, struct unit ***units, size_t *n,
                          const struct unit_load_report *rep)
{
    struct unit_vec uv = {0};
    struct strv aliases = {0};
    load_units(dirs, NULL, &uv, &aliases, NULL, rep);
    if (systemd)
        load_systemd_enabled(unit_systemd_tree(), &uv, &aliases, rep);
    if (uv.n)
        qsort(uv.v, uv.n, sizeof(*uv.v), unit_ptr_cmp);
    load_triggered(dirs, systemd, &uv, &aliases, rep);
    /* [Install] Alias= of the loaded units. */
    for (size_t i = 0; i < uv.n; i++)
        for (size_t k = 0; k < unit_deps(uv.v[i])->install_alias.n; k++) {
            char kv[1024];
            snprintf(kv, sizeof(kv), "%s=%s", unit_deps(uv.v[i])->install_alias.v[k],
                     uv.v[i]->name);
            strv_push(&aliases, kv);
        }
    attach_aliases(&uv, &aliases);
    strv_clear(&aliases);
    if (uv.n)
        qsort(uv.v, uv.n, sizeof(*uv.v), unit_ptr_cmp);
    if (unit_triggers_add_deps(uv.v, uv.n) < 0)
        log_warn("implicit dependencies of sockets");
    *units = uv.v;
    *n = uv.n;
    return 0;
}
