/* passwd.c - user and group lookup with a fallback to the files.
 *
 * A statically linked glibc can only resolve names through NSS by loading
 * the libnss modules of the very glibc it was built with, which a scratch,
 * alpine or distroless image does not have (and a different glibc's could
 * crash it). The static binary therefore reads /etc/passwd and /etc/group
 * itself; the dynamic one asks NSS (LDAP, sssd, ...) and reads the files only
 * when NSS finds nothing. Lines are colon-separated, as passwd(5) and
 * group(5) say; malformed lines are skipped, '+'/'-' NIS lines too.
 */
#include "base/passwd.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits line in place at ':' into at most n fields; returns how many. */
static size_t split_fields(char *line, char **f, size_t n)
{
    size_t k = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (k < n) {
        f[k++] = line;
        char *c = strchr(line, ':');
        if (!c)
            break;
        *c = '\0';
        line = c + 1;
    }
    return k;
}

static bool parse_num(const char *s, unsigned long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *out < UINT_MAX;
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

/* Calls fn on every well-formed line of path with nf fields; stops when fn
 * returns nonzero and returns that, 0 at the end, -1 when path failed. */
static int file_scan(const char *path, size_t nf, int (*fn)(char **f, void *ctx), void *ctx)
{
    FILE *fp = fopen(path, "re");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int r = 0;
    while (r == 0 && getline(&line, &cap, fp) >= 0) {
        char *f[7];
        if (line[0] == '#' || line[0] == '+' || line[0] == '-')
            continue;
        if (split_fields(line, f, nf) == nf && f[0][0])
            r = fn(f, ctx);
    }
    int saved = errno;
    bool failed = ferror(fp);
    free(line);
    fclose(fp);
    if (failed && r == 0) {
        errno = saved;
        return -1;
    }
    return r;
}

struct user_query {
    const char *name;
    uid_t uid;
    struct passwd_entry *e;
};

static int user_match(char **f, void *ctx)
{
    struct user_query *q = ctx;
    unsigned long uid, gid;
    if (!parse_num(f[2], &uid) || !parse_num(f[3], &gid))
        return 0;
    if (q->name ? strcmp(f[0], q->name) != 0 : (uid_t)uid != q->uid)
        return 0;
    copy(q->e->name, sizeof(q->e->name), f[0]);
    q->e->uid = (uid_t)uid;
    q->e->gid = (gid_t)gid;
    copy(q->e->dir, sizeof(q->e->dir), f[5]);
    copy(q->e->shell, sizeof(q->e->shell), f[6]);
    return 1;
}

int passwd_file_find(const char *path, const char *name, uid_t uid, struct passwd_entry *e)
{
    struct user_query q = {name, uid, e};
    int r = file_scan(path, 7, user_match, &q);
    if (r > 0)
        return 0;
    if (r == 0)
        errno = ENOENT;
    return -1;
}

struct group_query {
    const char *name;
    gid_t *gid;
};

static int group_match(char **f, void *ctx)
{
    struct group_query *q = ctx;
    unsigned long gid;
    if (strcmp(f[0], q->name) != 0 || !parse_num(f[2], &gid))
        return 0;
    *q->gid = (gid_t)gid;
    return 1;
}

int passwd_file_group(const char *path, const char *name, gid_t *gid)
{
    struct group_query q = {name, gid};
    int r = file_scan(path, 4, group_match, &q);
    if (r > 0)
        return 0;
    if (r == 0)
        errno = ENOENT;
    return -1;
}

struct gid_query {
    gid_t gid;
    char *buf;
    size_t size;
};

static int gid_match(char **f, void *ctx)
{
    struct gid_query *q = ctx;
    unsigned long gid;
    if (!parse_num(f[2], &gid) || (gid_t)gid != q->gid)
        return 0;
    copy(q->buf, q->size, f[0]);
    return 1;
}

int passwd_file_group_name(const char *path, gid_t gid, char *buf, size_t size)
{
    struct gid_query q = {gid, buf, size};
    int r = file_scan(path, 4, gid_match, &q);
    if (r > 0)
        return 0;
    if (r == 0)
        errno = ENOENT;
    return -1;
}

struct list_query {
    const char *user;
    gid_t *groups;
    size_t n, max;
};

static void list_add(struct list_query *q, gid_t g)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->groups[i] == g)
            return;
    if (q->n < q->max)
        q->groups[q->n++] = g;
}

static int list_match(char **f, void *ctx)
{
    struct list_query *q = ctx;
    unsigned long gid;
    if (!parse_num(f[2], &gid))
        return 0;
    for (char *m = f[3], *save = NULL, *t; (t = strtok_r(m, ",", &save)); m = NULL)
        if (strcmp(t, q->user) == 0)
            list_add(q, (gid_t)gid);
    return 0;
}

int passwd_file_grouplist(const char *path, const char *user, gid_t gid, gid_t *groups, size_t max)
{
    struct list_query q = {user, groups, 0, max};
    list_add(&q, gid);
    if (file_scan(path, 4, list_match, &q) < 0)
        return errno == ENOENT ? (int)q.n : -1;
    return (int)q.n;
}

#ifndef PXINIT_STATIC_BINARY
static void entry_from(struct passwd_entry *e, const struct passwd *pw)
{
    copy(e->name, sizeof(e->name), pw->pw_name);
    e->uid = pw->pw_uid;
    e->gid = pw->pw_gid;
    copy(e->dir, sizeof(e->dir), pw->pw_dir ? pw->pw_dir : "");
    copy(e->shell, sizeof(e->shell), pw->pw_shell ? pw->pw_shell : "");
}
#endif

int passwd_lookup(const char *name, uid_t uid, struct passwd_entry *e)
{
#ifndef PXINIT_STATIC_BINARY
    struct passwd *pw = name ? getpwnam(name) : getpwuid(uid);
    if (pw) {
        entry_from(e, pw);
        return 0;
    }
#endif
    return passwd_file_find(PASSWD_FILE, name, uid, e);
}

int passwd_lookup_group(const char *name, gid_t *gid)
{
#ifndef PXINIT_STATIC_BINARY
    struct group *gr = getgrnam(name);
    if (gr) {
        *gid = gr->gr_gid;
        return 0;
    }
#endif
    return passwd_file_group(GROUP_FILE, name, gid);
}

int passwd_lookup_grouplist(const char *user, gid_t gid, gid_t *groups, size_t max)
{
#ifndef PXINIT_STATIC_BINARY
    int n = max > INT_MAX ? INT_MAX : (int)max;
    if (getgrouplist(user, gid, groups, &n) >= 0)
        return n;
#endif
    return passwd_file_grouplist(GROUP_FILE, user, gid, groups, max);
}

int passwd_lookup_group_name(gid_t gid, char *buf, size_t size)
{
#ifndef PXINIT_STATIC_BINARY
    struct group *gr = getgrgid(gid);
    if (gr) {
        copy(buf, size, gr->gr_name);
        return 0;
    }
#endif
    return passwd_file_group_name(GROUP_FILE, gid, buf, size);
}
