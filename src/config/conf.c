/* conf.c - reads pxinit.conf ([Manager]) with inih into struct
 * manager_config. Keys are matched through a table; an unknown key is a
 * warning naming file:line, a malformed value an error that keeps the default:
 * PID 1 does not refuse to boot over a logging option. */
#include "config/conf.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/logbuf.h"
#include "base/passwd.h"

struct conf_reader {
    FILE *f;
    const char *path;
    unsigned lineno; /* lines read completely so far */
    bool failed;
    struct manager_config *c;
};

void conf_defaults(struct manager_config *c)
{
    memset(c, 0, sizeof(*c));
    c->log_prefix = LOG_PREFIX_NAME;
    c->log_color = LOG_COLOR_AUTO;
    c->log_max_size = 0;
    c->log_max_files = CONF_DEFAULT_LOG_MAX_FILES;
    c->log_lines = LOGBUF_DEFAULT_LINES;
    c->log_bytes = LOGBUF_DEFAULT_BYTES;
}

int conf_parse_size(const char *s, uint64_t *out)
{
    static const char suffixes[] = "KMGT";
    char *end;
    const char *hit;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end && (hit = strchr(suffixes, *end)) != NULL) {
        for (const char *p = suffixes; p <= hit; p++)
            if (__builtin_mul_overflow(v, 1024ULL, &v))
                return -1;
        end++;
        if (*end == 'B' || *end == 'b')
            end++;
    } else if (*end == 'B' || *end == 'b') {
        end++;
    }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int conf_parse_prefix(const char *s, enum log_prefix *out)
{
    if (strcmp(s, "name") == 0)
        *out = LOG_PREFIX_NAME;
    else if (strcmp(s, "name+timestamp") == 0 || strcmp(s, "timestamp") == 0)
        *out = LOG_PREFIX_NAME_TIME;
    else if (strcmp(s, "none") == 0)
        *out = LOG_PREFIX_NONE;
    else
        return -1;
    return 0;
}

static int parse_prefix(struct manager_config *c, const char *v)
{
    return conf_parse_prefix(v, &c->log_prefix);
}

static int parse_color(struct manager_config *c, const char *v)
{
    if (strcmp(v, "auto") == 0)
        c->log_color = LOG_COLOR_AUTO;
    else if (strcmp(v, "yes") == 0 || strcmp(v, "always") == 0 || strcmp(v, "true") == 0)
        c->log_color = LOG_COLOR_ALWAYS;
    else if (strcmp(v, "no") == 0 || strcmp(v, "never") == 0 || strcmp(v, "false") == 0)
        c->log_color = LOG_COLOR_NEVER;
    else
        return -1;
    return 0;
}

static int parse_max_size(struct manager_config *c, const char *v)
{
    return conf_parse_size(v, &c->log_max_size);
}

static int parse_count(const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (*v < '0' || *v > '9')
        return -1;
    errno = 0;
    *out = strtoull(v, &end, 10);
    return errno || *end || *out > max ? -1 : 0;
}

static int parse_max_files(struct manager_config *c, const char *v)
{
    unsigned long long n;
    if (parse_count(v, 1000, &n) < 0)
        return -1;
    c->log_max_files = (unsigned)n;
    return 0;
}

static int parse_lines(struct manager_config *c, const char *v)
{
    unsigned long long n;
    if (parse_count(v, 1000000, &n) < 0 || n == 0)
        return -1;
    c->log_lines = (size_t)n;
    return 0;
}

static int parse_bytes(struct manager_config *c, const char *v)
{
    uint64_t n;
    if (conf_parse_size(v, &n) < 0 || n < 1024 || n > (64ULL << 20))
        return -1;
    c->log_bytes = (size_t)n;
    return 0;
}

/* A group name, or a number. */
static int parse_control_group(struct manager_config *c, const char *v)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v) {
        c->control_group_set = false;
        return 0;
    }
    if (*v >= '0' && *v <= '9' && !*end && !errno && n < (unsigned long)(gid_t)-1) {
        c->control_group = (gid_t)n;
    } else {
        gid_t gid;
        if (passwd_lookup_group(v, &gid) < 0)
            return -1;
        c->control_group = gid;
    }
    c->control_group_set = true;
    return 0;
}

static const struct {
    const char *key;
    int (*parse)(struct manager_config *c, const char *value);
    const char *want;
} manager_keys[] = {
    {"LogPrefix", parse_prefix, "name, name+timestamp or none"},
    {"LogColor", parse_color, "auto, yes or no"},
    {"LogMaxSize", parse_max_size, "a size like 10M, 0 for no rotation"},
    {"LogMaxFiles", parse_max_files, "a number of files, 0..1000"},
    {"LogMemoryLines", parse_lines, "a number of lines, 1..1000000"},
    {"LogMemoryBytes", parse_bytes, "a size from 1K to 64M"},
    {"ControlGroup", parse_control_group, "an existing group name or a number"},
};

static int conf_handler(void *user, const char *section, const char *key, const char *value)
{
    struct conf_reader *r = user;
    if (strcmp(section, "Manager") != 0) {
        log_warnx("%s:%u: unknown section [%s], ignoring", r->path, r->lineno, section);
        return 1;
    }
    for (size_t i = 0; i < sizeof(manager_keys) / sizeof(manager_keys[0]); i++) {
        if (strcmp(manager_keys[i].key, key) != 0)
            continue;
        if (manager_keys[i].parse && manager_keys[i].parse(r->c, value) < 0) {
            log_msg(LOG_LEVEL_ERROR, NULL, "%s:%u: invalid value for %s=: '%s' (want %s)", r->path,
                    r->lineno, key, value, manager_keys[i].want);
            r->failed = true;
        }
        return 1;
    }
    log_warnx("%s:%u: unknown key '%s' in section [Manager], ignoring", r->path, r->lineno, key);
    return 1;
}

/* inih's reader: counts lines, so messages can name them. */
static char *conf_read_line(char *str, int num, void *stream)
{
    struct conf_reader *r = stream;
    char *s = fgets(str, num, r->f);
    if (s && strchr(s, '\n'))
        r->lineno++;
    else if (s)
        r->lineno += feof(r->f) ? 1 : 0;
    return s;
}

int conf_load(const char *path, bool must_exist, struct manager_config *c)
{
    struct conf_reader r = {.path = path, .lineno = 0, .c = c};
    r.f = fopen(path, "re");
    if (!r.f) {
        if (errno == ENOENT && !must_exist)
            return 0;
        log_warn("cannot read config %s", path);
        return -1;
    }
    int ret = ini_parse_stream(conf_read_line, &r, conf_handler, &r);
    fclose(r.f);
    if (ret > 0) {
        log_msg(LOG_LEVEL_ERROR, NULL, "%s:%d: syntax error", path, ret);
        return -1;
    }
    return r.failed ? -1 : 0;
}
