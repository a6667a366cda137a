/* exec_env.c - environment files, credentials and the command's environment. */
#include "exec/exec_env.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file_read.h"
#include "base/passwd.h"

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Unquotes value in place: "..." with backslash escapes, '...' literal. */
static void unquote(char *v)
{
    char *w = v;
    const char *r = v;
    while (*r) {
        if (*r == '"') {
            r++;
            while (*r && *r != '"') {
                if (*r == '\\' && r[1])
                    r++;
                *w++ = *r++;
            }
            if (*r)
                r++;
        } else if (*r == '\'') {
            r++;
            while (*r && *r != '\'')
                *w++ = *r++;
            if (*r)
                r++;
        } else if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

int envfile_load(const char *path, struct strv *env)
{
    size_t len;
    /* Whole, bounded, regular files only: PID 1 reads it (file_read.h). */
    char *buf = file_read_regular(path, FILE_READ_ENV_MAX, &len);
    if (!buf)
        return -1;
    FILE *f = fmemopen(buf, len ? len : 1, "r");
    if (!f) {
        int saved = errno;
        free(buf);
        errno = saved;
        return -1;
    }
    char *line = NULL, *logical = NULL;
    size_t cap = 0, llen = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        bool cont = n > 0 && line[n - 1] == '\\';
        if (cont)
            line[--n] = '\0';
        char *grown = realloc(logical, llen + (size_t)n + 1);
        if (!grown) {
            rc = -1;
            break;
        }
        logical = grown;
        memcpy(logical + llen, line, (size_t)n + 1);
        llen += (size_t)n;
        if (cont)
            continue;
        char *s = trim(logical);
        llen = 0;
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (strncmp(s, "export ", 7) == 0)
            s = trim(s + 7);
        char *eq = strchr(s, '=');
        if (!eq || eq == s)
            continue; /* systemd ignores lines that are not assignments */
        *eq = '\0';
        char *key = trim(s);
        char *val = trim(eq + 1);
        unquote(val);
        size_t klen = strlen(key), vlen = strlen(val);
        char *kv = malloc(klen + vlen + 2);
        if (!kv) {
            rc = -1;
            break;
        }
        memcpy(kv, key, klen);
        kv[klen] = '=';
        memcpy(kv + klen + 1, val, vlen + 1);
        int r = env_set(env, kv);
        free(kv);
        if (r < 0) {
            rc = -1;
            break;
        }
    }
    int saved = errno;
    free(line);
    free(logical);
    fclose(f);
    free(buf);
    errno = saved;
    return rc;
}

static bool parse_id(const char *s, unsigned long *out)
{
    char *end;
    if (!*s || !isdigit((unsigned char)*s))
        return false;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *out < UINT_MAX;
}

static int resolve_group(const char *name, gid_t *gid)
{
    unsigned long id;
    if (parse_id(name, &id)) {
        *gid = (gid_t)id;
        return 0;
    }
    return passwd_lookup_group(name, gid);
}

int exec_creds_resolve(const struct unit *u, struct exec_creds *c, const char **err)
{
    const struct unit_exec *x = unit_exec(u);

    memset(c, 0, sizeof(*c));
    if (!x->user && !x->group && x->supplementary_groups.n == 0)
        return 0;
    c->set = true;
    c->uid = getuid();
    c->gid = getgid();
    if (x->user) {
        unsigned long id;
        struct passwd_entry pwe;
        bool numeric = parse_id(x->user, &id);
        bool found = passwd_lookup(numeric ? NULL : x->user, (uid_t)id, &pwe) == 0;
        if (!found && !numeric) {
            *err = "no such user";
            return -1;
        }
        if (found) {
            struct passwd_entry *pw = &pwe;
            c->uid = pw->uid;
            c->gid = pw->gid;
            /* Same sizes on both sides, NUL-terminated. */
            _Static_assert(sizeof(c->home) == sizeof(pw->dir) &&
                               sizeof(c->shell) == sizeof(pw->shell) &&
                               sizeof(c->user) == sizeof(pw->name),
                           "exec_creds and passwd_entry fields differ");
            memcpy(c->home, pw->dir, sizeof(c->home));
            memcpy(c->shell, pw->shell, sizeof(c->shell));
            memcpy(c->user, pw->name, sizeof(c->user));
            /* The user's own supplementary groups, as systemd sets them. */
            int ng = passwd_lookup_grouplist(pw->name, pw->gid, c->groups,
                                             sizeof(c->groups) / sizeof(c->groups[0]));
            c->ngroups = ng > 0 ? (size_t)ng : 0;
        } else {
            c->uid = (uid_t)id;
            snprintf(c->user, sizeof(c->user), "%s", x->user);
        }
    }
    if (x->group && resolve_group(x->group, &c->gid) < 0) {
        *err = "no such group";
        return -1;
    }
    if (!x->user)
        c->ngroups = 0;
    for (size_t i = 0; i < x->supplementary_groups.n; i++) {
        gid_t g;
        if (resolve_group(x->supplementary_groups.v[i], &g) < 0) {
            *err = "no such supplementary group";
            return -1;
        }
        if (c->ngroups < sizeof(c->groups) / sizeof(c->groups[0]))
            c->groups[c->ngroups++] = g;
    }
    return 0;
}

static int env_put(struct strv *env, const char *key, const char *value)
{
    size_t klen = strlen(key), vlen = strlen(value);
    char *kv = malloc(klen + vlen + 2);
    if (!kv)
        return -1;
    memcpy(kv, key, klen);
    kv[klen] = '=';
    memcpy(kv + klen + 1, value, vlen + 1);
    int r = env_set(env, kv);
    free(kv);
    return r;
}

int exec_env_build(const struct unit *u, const struct strv *base, const struct exec_creds *c,
                   pid_t mainpid, struct strv *env, const char **bad_file)
{
    const struct unit_exec *x = unit_exec(u);

    if (strv_copy(env, base) < 0)
        return -1;
    for (size_t i = 0; i < x->environment.n; i++)
        if (env_set(env, x->environment.v[i]) < 0)
            return -1;
    for (size_t i = 0; i < x->environment_files.n; i++) {
        const char *path = x->environment_files.v[i];
        bool optional = path[0] == '-';
        if (optional)
            path++;
        if (envfile_load(path, env) < 0) {
            if (errno == ENOMEM)
                return -1;
            if (!optional) {
                *bad_file = path;
                return -1;
            }
        }
    }
    if (c && c->set && x->user) {
        if (env_put(env, "USER", c->user) < 0 || env_put(env, "LOGNAME", c->user) < 0)
            return -1;
        if (c->home[0] && env_put(env, "HOME", c->home) < 0)
            return -1;
        if (c->shell[0] && env_put(env, "SHELL", c->shell) < 0)
            return -1;
    }
    /* UnsetEnvironment=: a name removes the variable, KEY=VALUE only that
     * exact assignment. */
    for (size_t i = 0; i < x->unset_environment.n; i++) {
        const char *un = x->unset_environment.v[i];
        if (!strchr(un, '=')) {
            env_unset(env, un);
            continue;
        }
        size_t w = 0;
        for (size_t k = 0; k < env->n; k++) {
            if (strcmp(env->v[k], un) == 0)
                free(env->v[k]);
            else
                env->v[w++] = env->v[k];
        }
        env->n = w;
        if (env->v)
            env->v[w] = NULL;
    }
    if (mainpid > 0) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int)mainpid);
        if (env_put(env, "MAINPID", buf) < 0)
            return -1;
    }
    return 0;
}
