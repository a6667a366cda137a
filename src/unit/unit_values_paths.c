/* unit_values_paths.c - the parsers of path-valued keys (PIDFile=,
 * WorkingDirectory=, EnvironmentFile=, RuntimeDirectory= and siblings), of
 * the path and word conditions (Condition*=, Assert*=), and of where output
 * goes (StandardOutput=, StandardError=, X-LogMaxSize=, X-LogMaxFiles=).
 * Every path passes systemd's normalization rule (value_path_normalize()).
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

/* ---- paths -------------------------------------------------------------- */

/* systemd's rule for every path-valued setting, applied after specifiers:
 * "//" and "." components are tidied away, a ".." component is refused. An
 * instance name unescapes "-" to "/" (%I), so without this a client allowed
 * to start "app@..-..-etc-shadow" could point a root-run EnvironmentFile=
 * or StandardOutput=truncate: anywhere. Simplifies path in place (it only
 * gets shorter). Returns 0, or -1 with EINVAL and the reason set. */
int value_path_normalize(struct unit_parse_ctx *ctx, char *path)
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
    if (value_path_normalize(ctx, copy + (*copy == '-')) < 0) {
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
    if (value_path_normalize(ctx, path) < 0) {
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
        if (value_path_normalize(ctx, path) < 0) {
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
        if (*copy == '/' && value_path_normalize(ctx, copy) < 0) {
            free(copy);
            return -1;
        }
    }
    free(x->working_directory);
    x->working_directory = copy;
    x->working_directory_optional = copy && optional;
    return 0;
}

/* RuntimeDirectory= and siblings: relative paths, no "..", repeatable, empty resets. */
int value_parse_exec_dirs(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *l = &ctx->u->dirs->paths[k->arg];
    struct strv words = {0};

    if (!*value) {
        strv_clear(l);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n; i++) {
        const char *w = words.v[i];
        /* "dir:symlink" (systemd 250) is accepted; only the dir is made. */
        char *colon = strchr(w, ':');
        if (colon)
            *colon = '\0';
        if (w[0] == '/' || !*w || strstr(w, "..")) {
            strv_clear(&words);
            return unit_key_invalid(ctx, "must be a relative path without \"..\"");
        }
        if (!strv_contains(l, w) && strv_push(l, w) < 0) {
            strv_clear(&words);
            return -1;
        }
    }
    strv_clear(&words);
    return 0;
}

int value_parse_dir_preserve(struct unit_parse_ctx *ctx, const struct unit_key *k,
                             const char *value)
{
    int b = value_parse_bool(value);
    if (strcmp(value, "restart") == 0)
        ctx->u->runtime_dir_preserve = DIR_PRESERVE_RESTART;
    else if (b >= 0 || !*value)
        ctx->u->runtime_dir_preserve = b > 0 ? DIR_PRESERVE_YES : DIR_PRESERVE_NO;
    else
        return unit_key_invalid(ctx, "want yes, no or restart");
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
    {"socket", OUTPUT_SOCKET},
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
            if (value_path_normalize(ctx, copy) < 0) {
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
    if (k->arg) {
        u->std_error = (enum output_kind)v;
    } else {
        u->std_output = (enum output_kind)v;
        u->std_output_set = *value != '\0';
    }
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
