/* unit_install_links.c - enable, disable, mask and unmask: the links
 * systemctl writes and removes, with its messages.
 *
 * enable links TARGET.wants/NAME (WantedBy=), TARGET.requires/NAME
 * (RequiredBy=) and ALIAS (Alias=) to the unit's file, beside it: in the
 * pxinit directory that holds it, or in systemd's first directory for a
 * unit of systemd's tree; then enables its Also= units. disable removes
 * every link to the unit (by name or by target) in the writable
 * directories. mask links NAME to /dev/null, unmask removes such links.
 *
 * Only root writes these directories, but a link is never followed when
 * writing: subdirectories are opened O_NOFOLLOW and links made with
 * symlinkat() in them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/unit_install.h"
#include "unit/unit_install_int.h"

static bool is_template(const char *name)
{
    const char *at = strchr(name, '@');
    return at && at[1] == '.';
}

/* A name a link may carry: a unit type suffix and no '/'. */
static bool valid_link_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return *name && !strchr(name, '/') && dot && dot != name && dot[1] && strlen(name) <= 255 &&
           strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* The first error of an operation is the one told. */
static void set_err(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errsize || err[0])
        return;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
}

static int mkdir_p(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
        if (s)
            *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        if (!s)
            break;
        *s = '/';
    }
    free(p);
    return 0;
}

/* The directory dir/sub (sub may be NULL), made when missing, opened without
 * following a link at sub. -1 with errno. */
static int open_link_dir(const char *dir, const char *sub)
{
    if (mkdir_p(dir) < 0)
        return -1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || !sub)
        return dfd;
    if (mkdirat(dfd, sub, 0755) < 0 && errno != EEXIST) {
        close(dfd);
        return -1;
    }
    int sfd = openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(dfd);
    errno = e;
    return sfd;
}

/* Links dir[/sub]/name -> target. 0 (made, or there already), -1 with the
 * reason in err. */
static int make_link(const struct install_scope *sc, const char *dir, const char *sub,
                     const char *name, const char *target, const char *verb,
                     struct install_changes *ch, char *err, size_t errsize)
{
    char *lp;
    int fd = -1, rc = -1;
    if (asprintf(&lp, "%s/%s%s%s", dir, sub ? sub : "", sub ? "/" : "", name) < 0)
        return -1;
    fd = open_link_dir(dir, sub);
    if (fd < 0) {
        set_err(err, errsize, "Failed to %s unit: %s.", verb, strerror(errno));
        goto out;
    }
    if (symlinkat(target, fd, name) == 0) {
        rc = install_change(ch, "Created symlink %s \u2192 %s.", lp, target);
        goto out;
    }
    if (errno != EEXIST) {
        char what[64];
        snprintf(what, sizeof(what), "%s", strerror(errno));
        set_err(err, errsize, "Failed to create symlink %s: %s.", lp, what);
        goto out;
    }
    char text[4096];
    ssize_t n = readlinkat(fd, name, text, sizeof(text) - 1);
    if (n < 0) {
        set_err(err, errsize, "Failed to %s unit, file \"%s\" already exists.", verb, lp);
        goto out;
    }
    text[n] = '\0';
    if (strcmp(text, target) == 0) {
        rc = 0;
        goto out;
    }
    /* Another text for the same file is the same link. */
    struct stat a, b;
    char *tp;
    if (asprintf(&tp, "%s%s", sc->root ? sc->root : "", target) >= 0) {
        bool same = fstatat(fd, name, &a, 0) == 0 && stat(tp, &b) == 0 && a.st_dev == b.st_dev &&
                    a.st_ino == b.st_ino;
        free(tp);
        if (same) {
            rc = 0;
            goto out;
        }
    }
    set_err(err, errsize,
            "Failed to %s unit, file \"%s\" already exists and is a symlink to \"%s\".", verb, lp,
            text);
out:
    if (fd >= 0)
        close(fd);
    free(lp);
    return rc;
}

/* systemd's rules for an Alias=: the same type; an instance or template
 * aliased only as a template or the same instance; a plain unit only as a
 * plain one. */
static bool alias_ok(const char *src, const char *dst)
{
    const char *ds = strrchr(src, '.'), *dd = strrchr(dst, '.');
    if (!valid_link_name(dst) || strcmp(ds, dd) != 0)
        return false;
    if (!strchr(src, '@'))
        return !strchr(dst, '@');
    if (!strchr(dst, '@') || (is_template(src) && !is_template(dst)))
        return false;
    if (is_template(dst))
        return true;
    char *a = install_instance_of(src), *b = install_instance_of(dst);
    bool same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

/* A link in systemd's writable directories under a name its target's
 * Alias= does not give: systemctl calls it a linked unit file. */
static bool foreign_alias(const struct install_scope *sc, const char *name,
                          const struct install_info *info)
{
    if (!info->alias || info->own || !sc->systemd.n || strcmp(info->dir, sc->systemd.v[0]) != 0)
        return false;
    bool listed = false;
    for (size_t k = 0; k < info->aliases.n && !listed; k++) {
        char *a = install_expand(info->name, info->aliases.v[k]);
        listed = a && strcmp(a, name) == 0;
        free(a);
    }
    return !listed;
}

/* install_find() for enable: the unit must be there, unmasked, and not a
 * linked unit file. */
static int find_enableable(const struct install_scope *sc, const char *name,
                           struct install_info *info, char *err, size_t errsize)
{
    if (install_find(sc, name, info) < 0) {
        if (errno == ENOENT)
            set_err(err, errsize, "Failed to enable unit, unit %s does not exist.", name);
        else
            set_err(err, errsize, "Failed to enable unit %s: %s.", name, strerror(errno));
        return -1;
    }
    if (info->masked)
        set_err(err, errsize, "Failed to enable unit, unit %s is masked.", info->entry);
    else if (foreign_alias(sc, name, info))
        set_err(err, errsize, "Failed to enable unit, refusing to operate on linked unit file %s.",
                name);
    else
        return 0;
    install_info_free(info);
    return -1;
}

int install_enable_check(const struct install_scope *sc, const char *name, char *err,
                         size_t errsize)
{
    struct install_info info;
    if (err && errsize)
        err[0] = '\0';
    if (find_enableable(sc, name, &info, err, errsize) < 0)
        return -1;
    install_info_free(&info);
    return 0;
}

struct enable_ctx {
    const struct install_scope *sc;
    struct install_changes *ch;
    char *err;
    size_t errsize;
    struct strv seen;
};

/* Links for one WantedBy=/RequiredBy= target. */
static int link_dependency(struct enable_ctx *e, const struct install_info *info, const char *dir,
                           const char *linkname, const char *inst, const char *value,
                           const char *suffix)
{
    char *t = install_expand(linkname, value);
    (void)inst; /* a template target stays one: systemctl links into getty@.target.wants/ */
    if (!t)
        return -1;
    if (!is_template(t) && is_template(linkname)) {
        set_err(e->err, e->errsize,
                "Failed to enable %s, destination unit %s is a non-template unit.", linkname, t);
        free(t);
        return -1;
    }
    int rc = -1;
    char *sub;
    if (valid_link_name(t) && asprintf(&sub, "%s%s", t, suffix) >= 0) {
        rc =
            make_link(e->sc, dir, sub, linkname, info->target, "enable", e->ch, e->err, e->errsize);
        free(sub);
        /* pxinit starts its own units without targets: no warning there. */
        if (rc == 0 && !info->own && !install_name_exists(e->sc, t))
            rc =
                install_change(e->ch, "Unit %s is added as a dependency to a non-existent unit %s.",
                               info->path, t);
    }
    free(t);
    return rc;
}

static int enable_one(struct enable_ctx *e, const char *name)
{
    struct install_info info;
    if (strv_contains(&e->seen, name))
        return 0;
    if (strv_push(&e->seen, name) < 0)
        return -1;
    if (find_enableable(e->sc, name, &info, e->err, e->errsize) < 0)
        return -1;
    if (install_info_has_rules(&info) || info.also.n)
        e->ch->carries_install_info = true;
    /* Links go beside a file of pxinit's own; systemd's into its first directory. */
    const char *dir = info.own || !e->sc->systemd.n ? info.dir : e->sc->systemd.v[0];
    char *asked = install_instance_of(name);
    char *inst =
        asked ? asked
              : (is_template(info.name) && info.default_instance ? strdup(info.default_instance)
                                                                 : NULL);
    char *linkname = inst ? install_instantiate(info.name, inst) : strdup(info.name);
    int rc = linkname ? 0 : -1, bad = 0;
    for (size_t k = 0; rc == 0 && k < info.aliases.n; k++) {
        char *a = install_expand(linkname, info.aliases.v[k]);
        if (a && asked && is_template(a)) {
            char *ai = install_instantiate(a, asked);
            free(a);
            a = ai;
        }
        if (!a)
            rc = -1;
        else if (!alias_ok(linkname, a)) {
            set_err(e->err, e->errsize, "Failed to enable unit, cannot alias %s as %s.", linkname,
                    a);
            bad = 1;
        } else if (strcmp(a, linkname) != 0 && make_link(e->sc, dir, NULL, a, info.target, "enable",
                                                         e->ch, e->err, e->errsize) < 0)
            bad = 1;
        free(a);
    }
    for (size_t k = 0; rc == 0 && k < info.wanted_by.n; k++)
        if (link_dependency(e, &info, dir, linkname, inst, info.wanted_by.v[k], ".wants") < 0)
            bad = 1;
    for (size_t k = 0; rc == 0 && k < info.required_by.n; k++)
        if (link_dependency(e, &info, dir, linkname, inst, info.required_by.v[k], ".requires") < 0)
            bad = 1;
    for (size_t k = 0; rc == 0 && k < info.also.n; k++) {
        char *a = install_expand(linkname, info.also.v[k]);
        if (!a || enable_one(e, a) < 0)
            bad = 1;
        free(a);
    }
    free(linkname);
    free(inst);
    install_info_free(&info);
    return rc < 0 || bad ? -1 : 0;
}

int install_enable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize)
{
    struct enable_ctx e = {.sc = sc, .ch = ch, .err = err, .errsize = errsize};
    if (err && errsize)
        err[0] = '\0';
    int rc = enable_one(&e, name);
    strv_clear(&e.seen);
    return rc;
}

/* What disable removes: links named as the unit (or its aliases), and links
 * leading to its file unless an instance was asked for. */
struct disable_ctx {
    const struct install_info *info;
    struct strv names;
    bool by_target;
    struct install_changes *ch;
    int failed;
};

static int remove_match(void *ctx, int dfd, const char *path, const char *sub, const char *name,
                        const char *text)
{
    struct disable_ctx *d = ctx;
    /* Masks are unmask's; a unit's entry in pxinit's own directories is the
     * unit (in systemd's, a link there is a linked unit file, and goes). */
    if (strcmp(text, "/dev/null") == 0 || (d->info->own && strcmp(path, d->info->entry) == 0))
        return 0;
    bool hit = strv_contains(&d->names, name) ||
               (d->by_target && (strcmp(install_base(text), d->info->name) == 0 ||
                                 strcmp(text, d->info->target) == 0));
    (void)sub;
    if (!hit)
        return 0;
    if (unlinkat(dfd, name, 0) < 0) {
        d->failed = errno;
        return 0;
    }
    return install_change(d->ch, "Removed \"%s\".", path) < 0 ? -1 : 2;
}

static int disable_one(const struct install_scope *sc, const char *name, struct install_changes *ch,
                       struct strv *seen, char *err, size_t errsize)
{
    struct install_info info;
    if (strv_contains(seen, name))
        return 0;
    if (strv_push(seen, name) < 0)
        return -1;
    if (install_find(sc, name, &info) < 0) {
        if (errno != ENOENT)
            return -1;
        return install_change(ch, "Failed to disable unit, unit %s does not exist.", name);
    }
    if (info.masked) {
        int rc = install_change(ch, "Unit %s is masked, ignoring.", info.entry);
        install_info_free(&info);
        return rc;
    }
    /* As systemctl: links named as the unit, and (unless an instance was
     * asked for) links leading to its file, which catches its aliases. */
    char *inst = install_instance_of(name);
    struct disable_ctx d = {.info = &info, .by_target = !inst, .ch = ch};
    int rc = strv_push(&d.names, inst ? name : info.name);
    for (size_t i = 0; rc == 0 && i < install_ndirs(sc); i++)
        if (install_dir_writable(sc, i) && !install_dir_runtime(sc, i))
            rc = install_walk(sc, i, remove_match, &d) < 0 ? -1 : 0;
    if (rc == 0 && d.failed) {
        set_err(err, errsize, "Failed to disable unit: %s.", strerror(d.failed));
        rc = -1;
    }
    for (size_t k = 0; rc == 0 && k < info.also.n; k++) {
        char *a = install_expand(info.name, info.also.v[k]);
        rc = a ? disable_one(sc, a, ch, seen, err, errsize) : -1;
        free(a);
    }
    strv_clear(&d.names);
    free(inst);
    install_info_free(&info);
    return rc;
}

int install_disable(const struct install_scope *sc, const char *name, struct install_changes *ch,
                    char *err, size_t errsize)
{
    struct strv seen = {0};
    if (err && errsize)
        err[0] = '\0';
    int rc = disable_one(sc, name, ch, &seen, err, errsize);
    if (rc < 0 && err && errsize && !err[0])
        snprintf(err, errsize, "Failed to disable unit: %s.", strerror(errno));
    strv_clear(&seen);
    return rc;
}

/* A file (not a mask) named name in pxinit's own directories: 1 with its
 * path in buf. */
static int own_file(const struct install_scope *sc, const char *name, char *buf, size_t size)
{
    for (size_t i = 0; i < sc->own.n; i++) {
        struct stat st;
        snprintf(buf, size, "%s/%s", sc->own.v[i], name);
        if (lstat(buf, &st) < 0)
            continue;
        if (S_ISREG(st.st_mode) && st.st_size > 0)
            return 1;
        char text[4096];
        ssize_t n = S_ISLNK(st.st_mode) ? readlink(buf, text, sizeof(text) - 1) : -1;
        if (n > 0 && (text[n] = '\0', strcmp(text, "/dev/null") != 0))
            return 1;
    }
    return 0;
}

int install_mask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                 char *err, size_t errsize)
{
    char path[4096];
    if (err && errsize)
        err[0] = '\0';
    if (!valid_link_name(name)) {
        set_err(err, errsize, "Failed to mask unit: Invalid unit name %s.", name);
        return -1;
    }
    const char *dir = sc->systemd.n ? sc->systemd.v[0] : sc->own.n ? sc->own.v[0] : NULL;
    if (!dir) {
        set_err(err, errsize, "Failed to mask unit: no unit directory.");
        return -1;
    }
    /* A unit of pxinit's own directories is found before any mask in
     * systemd's: masking it there would not work, so it is refused as a
     * file in /etc/systemd/system is. */
    if (own_file(sc, name, path, sizeof(path))) {
        set_err(err, errsize, "Failed to mask unit, file \"%s\" already exists.", path);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISLNK(st.st_mode)) {
        set_err(err, errsize, "Failed to mask unit, file \"%s\" already exists.", path);
        return -1;
    }
    return make_link(sc, dir, NULL, name, "/dev/null", "mask", ch, err, errsize);
}

int install_unmask(const struct install_scope *sc, const char *name, struct install_changes *ch,
                   char *err, size_t errsize)
{
    if (err && errsize)
        err[0] = '\0';
    if (!valid_link_name(name))
        return 0;
    for (size_t i = 0; i < install_ndirs(sc); i++) {
        char path[4096], text[16];
        if (!install_dir_writable(sc, i))
            continue;
        snprintf(path, sizeof(path), "%s/%s", install_dir(sc, i), name);
        ssize_t n = readlink(path, text, sizeof(text) - 1);
        if (n <= 0 || (text[n] = '\0', strcmp(text, "/dev/null") != 0))
            continue;
        if (unlink(path) < 0) {
            set_err(err, errsize, "Failed to unmask unit: %s.", strerror(errno));
            return -1;
        }
        if (install_change(ch, "Removed \"%s\".", path) < 0)
            return -1;
    }
    return 0;
}
