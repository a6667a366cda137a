/* unit_values_exec.c - the parsers of Exec*= command lines (checked the way
 * they will be split at spawn time) and of the exit statuses that judge how a
 * command ended (SuccessExitStatus=, RestartPreventExitStatus=,
 * RestartForceExitStatus=).
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/exitname.h"
#include "base/signame.h"
#include "unit/cmdline.h"

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

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
