/* unit_values.c - the value parsers behind the keys that hold more than a
 * scalar: lists (After=, SuccessExitStatus=, Environment=...), Exec*= lines,
 * Limit*=, StandardOutput=/StandardError=, paths.
 *
 * Each parser validates the whole assignment before touching the unit, so a
 * malformed line leaves the unit as the earlier lines made it.
 */
#include "unit/unit_keys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "unit/cmdline.h"
#include "config/conf.h"
#include "base/exitname.h"
#include "base/signame.h"
#include "base/timespan.h"

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

/* ---- lists -------------------------------------------------------------- */

/* Splits value into words with systemd's quoting; EINVAL is reported. */
static int value_words(struct unit_parse_ctx *ctx, const char *value, struct strv *words)
{
    const char *err = NULL;

    if (cmdline_unquote(value, words, &err) < 0)
        return errno == EINVAL ? unit_key_invalid(ctx, err) : -1;
    return 0;
}

/* After=, Before=, Requires=, Wants=: unit names; "foo" means foo.service. */
int value_parse_unit_list(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *field = AT(ctx, k, struct strv);
    struct strv words = {0};
    int r = 0;

    if (!*value) {
        strv_clear(field);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n && r == 0; i++) {
        char *name = unit_name_normalize(words.v[i]);
        if (name && strv_contains(field, name))
            free(name);
        else
            r = strv_push_owned(field, name);
    }
    strv_clear(&words);
    return r;
}

int value_parse_groups(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *field = AT(ctx, k, struct strv);
    struct strv words = {0};
    int r;

    if (!*value) {
        strv_clear(field);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        if (!value_user_name_valid(words.v[i])) {
            strv_clear(&words);
            return unit_key_invalid(ctx, "not a valid group name");
        }
    }
    r = strv_extend(field, &words);
    strv_clear(&words);
    return r;
}

static int int_array_add(int **v, size_t *n, int x)
{
    int *p;

    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == x)
            return 0;
    p = realloc(*v, (*n + 1) * sizeof(**v));
    if (!p)
        return -1;
    p[(*n)++] = x;
    *v = p;
    return 0;
}

/* One word of SuccessExitStatus= and its siblings: an exit status as a
 * number (0-255) or one of systemd's names ("DATAERR"), else a signal name.
 * Returns 0 with *code or *sig set (the other -1), or -1. */
static int exit_status_word(const char *w, int *code, int *sig)
{
    unsigned long long v;

    *code = *sig = -1;
    if (*w >= '0' && *w <= '9') {
        if (value_parse_ull(w, 10, 255, &v) < 0)
            return -1;
        *code = (int)v;
        return 0;
    }
    if ((*code = exit_status_from_name(w)) >= 0)
        return 0;
    *sig = signal_from_string(w);
    return *sig > 0 ? 0 : -1;
}

/* SuccessExitStatus=, RestartPreventExitStatus=, RestartForceExitStatus=:
 * exit statuses (numbers or names) and signal names. */
int value_parse_exit_status(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct exit_status_set *set = AT(ctx, k, struct exit_status_set);
    struct strv words = {0};
    int code, sig, r = 0;

    if (!*value) {
        exit_status_set_clear(set);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        if (exit_status_word(words.v[i], &code, &sig) < 0) {
            strv_clear(&words);
            return unit_key_invalid(ctx,
                                    "not an exit status (0-255 or a name such as DATAERR) "
                                    "or a signal name");
        }
    }
    for (size_t i = 0; i < words.n && r == 0; i++) {
        (void)exit_status_word(words.v[i], &code, &sig);
        if (code >= 0)
            r = int_array_add(&set->codes, &set->ncodes, code);
        else
            r = int_array_add(&set->signals, &set->nsignals, sig);
    }
    strv_clear(&words);
    return r;
}

static bool env_name_valid(const char *s, size_t n)
{
    if (n == 0 || (*s >= '0' && *s <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Environment=: one or more "KEY=VALUE" words, quoted as systemd quotes;
 * no variable expansion ("$" has no special meaning here). */
int value_parse_environment(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *env = AT(ctx, k, struct strv);
    struct strv words = {0};
    int r = 0;

    if (!*value) {
        strv_clear(env);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        const char *eq = strchr(words.v[i], '=');
        if (!eq || !env_name_valid(words.v[i], (size_t)(eq - words.v[i]))) {
            strv_clear(&words);
            return unit_key_invalid(ctx, "not a list of KEY=VALUE assignments");
        }
    }
    for (size_t i = 0; i < words.n && r == 0; i++)
        r = env_set(env, words.v[i]);
    strv_clear(&words);
    return r;
}

/* ---- paths -------------------------------------------------------------- */

/* systemd's rule for every path-valued setting, applied after specifiers:
 * "//" and "." components are tidied away, a ".." component is refused. An
 * instance name unescapes "-" to "/" (%I), so without this a client allowed
 * to start "app@..-..-etc-shadow" could point a root-run EnvironmentFile=
 * or StandardOutput=truncate: anywhere. Simplifies path in place (it only
 * gets shorter). Returns 0, or -1 with EINVAL and the reason set. */
static int path_normalize(struct unit_parse_ctx *ctx, char *path)
{
    bool absolute = *path == '/';
    char *w = path;
    const char *r = path;

    if (strlen(path) >= PATH_MAX)
        return unit_key_invalid(ctx, "path too long");
    while (*r) {
        const char *end = strchrnul(r, '/');
        size_t n = (size_t)(end - r);
        if (n == 2 && r[0] == '.' && r[1] == '.')
            return unit_key_invalid(ctx, "path is not normalized: \"..\" is not allowed");
        if (n > 0 && !(n == 1 && r[0] == '.')) {
            if (w != path || absolute)
                *w++ = '/';
            memmove(w, r, n);
            w += n;
        }
        r = *end ? end + 1 : end;
    }
    if (w == path && absolute)
        *w++ = '/';
    *w = '\0';
    return 0;
}

int value_parse_environment_file(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                 const char *value)
{
    struct strv *files = AT(ctx, k, struct strv);

    if (!*value) {
        strv_clear(files);
        return 0;
    }
    if (value[*value == '-'] != '/')
        return unit_key_invalid(ctx, "not an absolute path");
    char *copy = strdup(value);
    if (!copy)
        return -1;
    if (path_normalize(ctx, copy + (*copy == '-')) < 0) {
        free(copy);
        return -1;
    }
    return strv_push_owned(files, copy); /* the '-' stays: the spawner reads it */
}

int value_parse_condition_path(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    struct condition_list *l = AT(ctx, k, struct condition_list);
    struct path_condition *v;
    const char *p = value;
    bool negate;

    if (!*value) {
        condition_list_clear(l);
        return 0;
    }
    bool trigger = *p == '|';
    if (trigger)
        p++;
    negate = *p == '!';
    if (negate)
        p++;
    if (*p != '/')
        return unit_key_invalid(ctx, "not an absolute path");
    char *path = strdup(p);
    if (!path)
        return -1;
    if (path_normalize(ctx, path) < 0) {
        free(path);
        return -1;
    }
    v = realloc(l->v, (l->n + 1) * sizeof(*v));
    if (!v) {
        free(path);
        return -1;
    }
    l->v = v;
    v[l->n].path = path;
    v[l->n].negate = negate;
    v[l->n].trigger = trigger;
    v[l->n].is_assert = (k->arg & COND_ASSERT) != 0;
    v[l->n++].kind = (enum condition_kind)(k->arg & ~COND_ASSERT);
    return 0;
}

/* The word after '|' and '!': a boolean for ConditionACPower=; letters,
 * digits, '_' and '-' for the others (an unknown capability or
 * virtualization name is not an error: it just does not hold, as in
 * systemd). */
int value_parse_condition_word(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    struct condition_list *l = AT(ctx, k, struct condition_list);
    enum condition_kind kind = (enum condition_kind)(k->arg & ~COND_ASSERT);
    struct path_condition *v;
    const char *p = value;

    if (!*value) {
        condition_list_clear(l);
        return 0;
    }
    bool trigger = *p == '|';
    if (trigger)
        p++;
    bool negate = *p == '!';
    if (negate)
        p++;
    if (kind == COND_AC_POWER && value_parse_bool(p) < 0)
        return unit_key_invalid(ctx, "not a boolean");
    if (!*p ||
        strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(p))
        return unit_key_invalid(ctx, "not a single word");
    v = realloc(l->v, (l->n + 1) * sizeof(*v));
    if (!v)
        return -1;
    l->v = v;
    v[l->n].path = strdup(p);
    if (!v[l->n].path)
        return -1;
    v[l->n].negate = negate;
    v[l->n].trigger = trigger;
    v[l->n].is_assert = (k->arg & COND_ASSERT) != 0;
    v[l->n++].kind = kind;
    return 0;
}

/* PIDFile=: as systemd, a relative path is relative to /run. */
int value_parse_pid_file(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    char **field = AT(ctx, k, char *);
    char *path = NULL;

    if (*value) {
        if (*value == '/')
            path = strdup(value);
        else if (asprintf(&path, "/run/%s", value) < 0)
            path = NULL;
        if (!path)
            return -1;
        if (path_normalize(ctx, path) < 0) {
            free(path);
            return -1;
        }
    }
    free(*field);
    *field = path;
    return 0;
}

/* WorkingDirectory=: "-" prefix (missing is fine), "~" for the user's home. */
int value_parse_working_directory(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                  const char *value)
{
    struct unit_exec *x = ctx->u->exec;
    const char *p = value;
    bool optional = *p == '-';
    char *copy = NULL;

    if (*value) {
        if (optional)
            p++;
        if (strcmp(p, "~") != 0 && *p != '/')
            return unit_key_invalid(ctx, "not an absolute path or ~");
        if (!(copy = strdup(p)))
            return -1;
        if (*copy == '/' && path_normalize(ctx, copy) < 0) {
            free(copy);
            return -1;
        }
    }
    free(x->working_directory);
    x->working_directory = copy;
    x->working_directory_optional = copy && optional;
    return 0;
}

/* ---- Exec*= ------------------------------------------------------------- */

/* True when path has a ".." component. */
static bool path_has_dot_dot(const char *path)
{
    for (const char *r = path; *r;) {
        const char *end = strchrnul(r, '/');
        if (end - r == 2 && r[0] == '.' && r[1] == '.')
            return true;
        r = *end ? end + 1 : end;
    }
    return false;
}

static int exec_list_add(struct exec_list *l, int flags, const char *line, size_t len,
                         unsigned lineno)
{
    struct exec_command *v = realloc(l->v, (l->n + 1) * sizeof(*v));

    if (!v)
        return -1;
    l->v = v;
    v[l->n].line = strndup(line, len);
    if (!v[l->n].line)
        return -1;
    v[l->n].flags = flags;
    v[l->n].lineno = lineno;
    l->n++;
    return 0;
}

/* Checks one command (prefixes included) the way it will be split at spawn
 * time, and adds it to cmds. Returns 0, 1 when it is blank, or -1. */
static int exec_check_command(struct unit_parse_ctx *ctx, const char *cmd, size_t len,
                              struct exec_list *cmds)
{
    struct strv argv = {0};
    const char *err = NULL, *p;
    char *copy = strndup(cmd, len);
    int flags, r;

    if (!copy)
        return -1;
    /* Trailing blanks go, unless a backslash escapes the last one. */
    while (len > 0 && (copy[len - 1] == ' ' || copy[len - 1] == '\t')) {
        size_t bs = 0;
        while (bs + 1 < len && copy[len - 2 - bs] == '\\')
            bs++;
        if (bs % 2)
            break;
        copy[--len] = '\0';
    }
    p = copy + strspn(copy, " \t");
    flags = cmdline_parse_prefixes(&p);
    if (flags < 0) {
        free(copy);
        return unit_key_invalid(ctx, "repeated or conflicting prefix");
    }
    p += strspn(p, " \t");
    if (*p == '\0' && flags == 0) {
        free(copy);
        return 1;
    }
    /* An empty environment: the real one is only known at spawn time. */
    if (cmdline_split(p, NULL, flags, &argv, &err) < 0) {
        free(copy);
        return errno == EINVAL ? unit_key_invalid(ctx, err) : -1;
    }
    if (argv.v[0][0] == '\0')
        err = "empty executable name";
    else if (argv.v[0][0] == '$')
        err = "the executable may not be a variable";
    else if (argv.v[0][0] != '/' && strchr(argv.v[0], '/'))
        err = "the executable must be an absolute path or a plain name";
    else if (path_has_dot_dot(argv.v[0]))
        err = "the executable's path is not normalized: \"..\" is not allowed";
    strv_clear(&argv);
    r = err ? unit_key_invalid(ctx, err) : exec_list_add(cmds, flags, p, strlen(p), ctx->lineno);
    free(copy);
    return r;
}

/* ExecStart= and friends: one or more commands separated by lone ";" words. */
int value_parse_exec(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct exec_list *list = AT(ctx, k, struct exec_list);
    struct exec_list cmds = {0};
    struct exec_command *v;
    const char *rest = value;

    if (!*value) {
        exec_list_clear(list);
        return 0;
    }
    if (exec_list_unpack(list) < 0) /* packed: only once parsed, so not normally */
        return -1;
    while (*rest) {
        size_t len = cmdline_command_len(rest);
        if (exec_check_command(ctx, rest, len, &cmds) < 0) {
            exec_list_clear(&cmds);
            return -1;
        }
        rest += len;
        if (*rest == ';')
            rest++;
    }
    if (cmds.n == 0)
        return 0;
    v = realloc(list->v, (list->n + cmds.n) * sizeof(*v));
    if (!v) {
        exec_list_clear(&cmds);
        return -1;
    }
    memcpy(v + list->n, cmds.v, cmds.n * sizeof(*v));
    list->v = v;
    list->n += cmds.n;
    free(cmds.v);
    return 0;
}

/* ---- Limit*= ------------------------------------------------------------ */

enum limit_kind { LIMIT_COUNT, LIMIT_BYTES, LIMIT_CPU, LIMIT_RTTIME, LIMIT_NICE };

static enum limit_kind limit_kind_of(long resource)
{
    switch (resource) {
    case RLIMIT_CPU:
        return LIMIT_CPU;
    case RLIMIT_RTTIME:
        return LIMIT_RTTIME;
    case RLIMIT_NICE:
        return LIMIT_NICE;
    case RLIMIT_FSIZE:
    case RLIMIT_DATA:
    case RLIMIT_STACK:
    case RLIMIT_CORE:
    case RLIMIT_RSS:
    case RLIMIT_AS:
    case RLIMIT_MEMLOCK:
    case RLIMIT_MSGQUEUE:
        return LIMIT_BYTES;
    default:
        return LIMIT_COUNT;
    }
}

/* A size with an optional fraction and a base-1024 suffix: "512", "4K", "1.5G". */
static int limit_parse_bytes(const char *s, rlim_t *out)
{
    static const char suffixes[] = "BKMGTPE";
    unsigned long long whole = 0, mult = 1, frac;
    long double fraction = 0, scale = 0.1L;
    const char *p = s, *hit;

    while (*p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, (unsigned long long)(*p - '0'), &whole))
            return -1;
        p++;
    }
    if (p == s)
        return -1;
    if (*p == '.') {
        const char *f = ++p;
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            fraction += (*p - '0') * scale;
        if (p == f)
            return -1;
    }
    if (*p && (hit = strchr(suffixes, *p))) {
        for (long i = 0; i < hit - suffixes; i++)
            mult *= 1024;
        p++;
    }
    if (*p != '\0')
        return -1;
    frac = (unsigned long long)(fraction * (long double)mult);
    if (__builtin_mul_overflow(whole, mult, &whole) ||
        __builtin_add_overflow(whole, frac, &whole) || whole >= (unsigned long long)RLIM_INFINITY)
        return -1;
    *out = (rlim_t)whole;
    return 0;
}

static int limit_parse_one(const char *s, enum limit_kind kind, rlim_t *out)
{
    unsigned long long v;
    long long n;
    uint64_t usec;

    if (strcmp(s, "infinity") == 0) {
        *out = RLIM_INFINITY;
        return 0;
    }
    switch (kind) {
    case LIMIT_BYTES:
        return limit_parse_bytes(s, out);
    case LIMIT_CPU: /* seconds, rounded up, as systemd does */
    case LIMIT_RTTIME:
        if (timespan_parse(s, kind == LIMIT_CPU ? USEC_PER_SEC : 1, &usec) < 0)
            return -1;
        if (usec == USEC_INFINITY)
            *out = RLIM_INFINITY;
        else
            *out = kind == LIMIT_CPU ? (rlim_t)((usec + USEC_PER_SEC - 1) / USEC_PER_SEC)
                                     : (rlim_t)usec;
        return 0;
    case LIMIT_NICE: /* "+n"/"-n" is a nice level, a bare number the raw 0..40 */
        if (*s == '+' || *s == '-') {
            if (value_parse_ll(s, -20, 19, &n) < 0)
                return -1;
            *out = (rlim_t)(20 - n);
            return 0;
        }
        if (value_parse_ull(s, 10, 40, &v) < 0)
            return -1;
        *out = (rlim_t)v;
        return 0;
    case LIMIT_COUNT:
    default:
        if (value_parse_ull(s, 10, (unsigned long long)RLIM_INFINITY - 1, &v) < 0)
            return -1;
        *out = (rlim_t)v;
        return 0;
    }
}

/* Limit*=: "N" (soft and hard), "soft:hard", "infinity". */
int value_parse_limit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    enum limit_kind kind = limit_kind_of(k->arg);
    struct rlimit rl;
    const char *colon = strchr(value, ':');
    char *soft;
    int r;

    if (!*value) {
        ctx->u->limits->set[k->arg] = false;
        return 0;
    }
    soft = strndup(value, colon ? (size_t)(colon - value) : strlen(value));
    if (!soft)
        return -1;
    r = limit_parse_one(soft, kind, &rl.rlim_cur);
    free(soft);
    rl.rlim_max = rl.rlim_cur;
    if (r == 0 && colon)
        r = limit_parse_one(colon + 1, kind, &rl.rlim_max);
    if (r < 0)
        return unit_key_invalid(ctx, kind == LIMIT_BYTES ? "not a size or infinity"
                                     : kind == LIMIT_CPU || kind == LIMIT_RTTIME
                                         ? "not a time span or infinity"
                                         : "not a number or infinity");
    if (rl.rlim_cur > rl.rlim_max)
        return unit_key_invalid(ctx, "soft limit above hard limit");
    ctx->u->limits->v[k->arg] = rl;
    ctx->u->limits->set[k->arg] = true;
    return 0;
}

/* ---- StandardOutput=, StandardError= ------------------------------------ */

static const struct value_name output_names[] = {
    {"journal", OUTPUT_JOURNAL},
    {"syslog", OUTPUT_JOURNAL},
    {"kmsg", OUTPUT_JOURNAL},
    {"journal+console", OUTPUT_JOURNAL},
    {"syslog+console", OUTPUT_JOURNAL},
    {"kmsg+console", OUTPUT_JOURNAL},
    {"inherit", OUTPUT_INHERIT},
    {"null", OUTPUT_NULL},
    {"tty", -1},
    {"socket", -1},
    {NULL, 0},
};

static const struct value_name output_path_kinds[] = {
    {"file:", OUTPUT_FILE},
    {"append:", OUTPUT_APPEND},
    {"truncate:", OUTPUT_TRUNCATE},
    {NULL, 0},
};

/* arg 0: StandardOutput=, arg 1: StandardError=. */
int value_parse_output(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit *u = ctx->u;
    char *copy = NULL;
    int v = -2;

    if (!*value) {
        v = k->arg ? OUTPUT_DEFAULT : OUTPUT_JOURNAL;
    } else if (!value_lookup(output_names, value, &v)) {
        for (const struct value_name *o = output_path_kinds; o->name; o++) {
            size_t n = strlen(o->name);
            if (strncmp(value, o->name, n) != 0)
                continue;
            if (value[n] != '/')
                return unit_key_invalid(ctx, "needs an absolute path");
            if (!(copy = strdup(value + n)))
                return -1;
            if (path_normalize(ctx, copy) < 0) {
                free(copy);
                return -1;
            }
            v = o->value;
        }
        if (v == -2 && strncmp(value, "fd:", 3) == 0)
            v = -1;
        if (v == -2)
            return unit_key_invalid(ctx, NULL);
    }
    if (v == -1) {
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "%s=%s is not supported, using journal", k->name,
                  value);
        v = OUTPUT_JOURNAL;
    }
    /* The output part only when there is a path to keep: StandardOutput=null
     * and such are common and need none. */
    if (copy && !unit_part(u, UNIT_PART_OUTPUT)) {
        free(copy);
        return -1;
    }
    if (u->output) {
        char **path = k->arg ? &u->output->std_error_path : &u->output->std_output_path;
        free(*path);
        *path = copy;
    }
    if (k->arg)
        u->std_error = (enum output_kind)v;
    else
        u->std_output = (enum output_kind)v;
    return 0;
}

/* ---- X-LogMaxSize=, X-LogMaxFiles= (pxinit's rotation of file output) ---- */

/* arg 0: X-LogMaxSize= (a size, 0 = no rotation), arg 1: X-LogMaxFiles=.
 * Empty: back to pxinit.conf's default. */
int value_parse_log_rotation(struct unit_parse_ctx *ctx, const struct unit_key *k,
                             const char *value)
{
    struct unit_output *u = ctx->u->output;
    if (k->arg == 0) {
        uint64_t size;
        if (*value && conf_parse_size(value, &size) < 0)
            return unit_key_invalid(ctx, "not a size such as 10M");
        u->log_max_size = *value ? size : 0;
        u->log_max_size_set = *value != '\0';
        return 0;
    }
    unsigned long long n = 0;
    if (*value && value_parse_ull(value, 10, 1000, &n) < 0)
        return unit_key_invalid(ctx, "not a number of files, 0..1000");
    u->log_max_files = (unsigned)n;
    u->log_max_files_set = *value != '\0';
    return 0;
}
