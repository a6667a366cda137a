/* mainconf.c - reads pxinit.conf with inih. Unknown keys and bad values are
 * warnings naming path:line; the defaults then apply. */
#include "mainconf.h"

#include <errno.h>
#include <grp.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

struct mainconf_ctx {
    struct mainconf *c;
    const char *path;
    int problems;
    FILE *f;
    int lineno; /* Debian's inih passes no line number: count them here */
};

static char *read_line(char *str, int num, void *stream)
{
    struct mainconf_ctx *x = stream;
    char *r = fgets(str, num, x->f);
    if (r && strchr(r, '\n'))
        x->lineno++;
    return r;
}

static int resolve_group(const char *name, gid_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(name, &end, 10);
    if (*name && !*end && !errno && v < (unsigned long)(gid_t)-1) {
        *out = (gid_t)v;
        return 0;
    }
    struct group *g = getgrnam(name);
    if (!g)
        return -1;
    *out = g->gr_gid;
    return 0;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct mainconf_ctx *x = user;
    int lineno = x->lineno;
    if (strcasecmp(section, "Manager") == 0 && strcmp(key, "ControlGroup") == 0) {
        if (!*value) {
            x->c->control_group_set = false;
        } else if (resolve_group(value, &x->c->control_group) == 0) {
            x->c->control_group_set = true;
        } else {
            log_warnx("%s:%d: ControlGroup=%s: no such group, ignored", x->path, lineno, value);
            x->problems++;
        }
        return 1;
    }
    log_warnx("%s:%d: unknown setting [%s] %s, ignored", x->path, lineno, section, key);
    x->problems++;
    return 1;
}

int mainconf_load(struct mainconf *c, const char *path, bool given)
{
    memset(c, 0, sizeof(*c));
    struct mainconf_ctx x = {.c = c, .path = path};
    x.f = fopen(path, "re");
    if (!x.f) {
        if (given || errno != ENOENT)
            log_warn("cannot read config %s, using defaults", path);
        return given ? -1 : 0;
    }
    int r = ini_parse_stream(read_line, &x, on_key, &x);
    fclose(x.f);
    if (r == -2) {
        log_warnx("%s: out of memory, using defaults", path);
        return -1;
    }
    if (r > 0) {
        log_warnx("%s:%d: syntax error", path, r);
        x.problems++;
    }
    return x.problems ? -1 : 0;
}
