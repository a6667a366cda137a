/* unit_values.c - what the value parsers share (the context's diagnostics,
 * numbers, booleans, names, word splitting) and the parsers of simple keys:
 * strings, flags, numbers, signals, modes, the named choices (Type=,
 * Restart=, KillMode=, NotifyAccess=, SuccessAction=) and unit lists
 * (After=, Wants=...). unit_values.h lists the files with the others.
 *
 * Each parser validates the whole assignment before touching the unit, so a
 * malformed line leaves the unit as the earlier lines made it.
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/signame.h"
#include "unit/cmdline.h"

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

void unit_diag(struct unit_parse_ctx *ctx, enum diag_level level, unsigned lineno, const char *fmt,
               ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vreport(&ctx->diag, level, lineno, fmt, ap);
    va_end(ap);
    if (level == DIAG_ERROR)
        ctx->u->loaded = false;
}

int unit_key_invalid(struct unit_parse_ctx *ctx, const char *reason)
{
    ctx->reason = reason;
    errno = EINVAL;
    return -1;
}

/* ---- helpers -------------------------------------------------------------- */

bool value_lookup(const struct value_name *table, const char *s, int *value)
{
    for (; table->name; table++) {
        if (strcmp(table->name, s) == 0) {
            *value = table->value;
            return true;
        }
    }
    return false;
}

int value_parse_bool(const char *s)
{
    static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
    static const char *const no[] = {"0", "no", "n", "false", "f", "off"};

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int value_parse_ull(const char *s, int base, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (*s < '0' || d >= (unsigned)base || d > max || v > (max - d) / (unsigned)base)
            return -1;
        v = v * (unsigned)base + d;
    }
    *out = v;
    return 0;
}

int value_parse_ll(const char *s, long long min, long long max, long long *out)
{
    unsigned long long v;
    bool neg = *s == '-';
    long long x;

    if (*s == '-' || *s == '+')
        s++;
    if (value_parse_ull(s, 10, (unsigned long long)LLONG_MAX, &v) < 0)
        return -1;
    x = neg ? -(long long)v : (long long)v;
    if (x < min || x > max)
        return -1;
    *out = x;
    return 0;
}

bool value_user_name_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 256 || *s == '-')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == ':' || *s == '/' || *s == ',' || *s == 0x7f)
            return false;
    return true;
}

/* Splits value into words with systemd's quoting; EINVAL is reported. */
int value_words(struct unit_parse_ctx *ctx, const char *value, struct strv *words)
{
    const char *err = NULL;

    if (cmdline_unquote(value, words, &err) < 0)
        return errno == EINVAL ? unit_key_invalid(ctx, err) : -1;
    return 0;
}

/* ---- scalars ------------------------------------------------------------ */

int value_parse_string(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    char **field = AT(ctx, k, char *);
    char *copy = NULL;

    if (*value && !(copy = strdup(value)))
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

int value_parse_flag(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    bool *field = AT(ctx, k, bool);
    int b;

    if (!*value) {
        *field = k->arg != 0;
        return 0;
    }
    b = value_parse_bool(value);
    if (b < 0)
        return unit_key_invalid(ctx, "not a boolean");
    *field = b;
    return 0;
}

int value_parse_unsigned(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    unsigned *field = AT(ctx, k, unsigned);
    unsigned long long v;

    if (!*value) {
        *field = (unsigned)k->arg;
        return 0;
    }
    if (value_parse_ull(value, 10, UINT_MAX, &v) < 0)
        return unit_key_invalid(ctx, "not a number in range");
    *field = (unsigned)v;
    return 0;
}

/* The signal fields are bytes (unit.h): every signal number fits. */
_Static_assert(_NSIG <= 256, "signal numbers fit a byte");

int value_parse_signal(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    uint8_t *field = AT(ctx, k, uint8_t);
    int sig;

    if (!*value) {
        *field = (uint8_t)k->arg;
        return 0;
    }
    sig = signal_from_string(value);
    if (sig < 0 || sig >= _NSIG)
        return unit_key_invalid(ctx, "not a signal");
    *field = (uint8_t)sig;
    return 0;
}

/* UMask=, *DirectoryMode=: an octal mode; arg is the default. */
int value_parse_mode(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    mode_t *field = AT(ctx, k, mode_t);
    unsigned long long v;

    if (!*value) {
        *field = (mode_t)k->arg;
        return 0;
    }
    if (value_parse_ull(value, 8, 07777, &v) < 0)
        return unit_key_invalid(ctx, "not an octal mode");
    *field = (mode_t)v;
    return 0;
}

/* ---- enums -------------------------------------------------------------- */

static const struct value_name type_names[] = {
    {"simple", UNIT_TYPE_SIMPLE},
    {"exec", UNIT_TYPE_EXEC},
    {"forking", UNIT_TYPE_FORKING},
    {"oneshot", UNIT_TYPE_ONESHOT},
    {"notify", UNIT_TYPE_NOTIFY},
    {"idle", UNIT_TYPE_SIMPLE},               /* idle only delays */
    {"notify-reload", -UNIT_TYPE_NOTIFY - 1}, /* negative: warn */
    {"dbus", -UNIT_TYPE_SIMPLE - 1},
    {NULL, 0},
};

int value_parse_type(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    int v;

    if (!*value) {
        ctx->u->type = UNIT_TYPE_SIMPLE;
        ctx->u->type_set = false;
        return 0;
    }
    if (!value_lookup(type_names, value, &v))
        return unit_key_invalid(ctx, NULL);
    if (v < 0) {
        v = -v - 1;
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "Type=%s is not supported, treating it as %s",
                  value, v == UNIT_TYPE_NOTIFY ? "notify" : "simple");
    }
    ctx->u->type = (enum unit_type)v;
    ctx->u->type_set = true;
    return 0;
}

static const struct value_name restart_names[] = {
    {"no", RESTART_NO},
    {"always", RESTART_ALWAYS},
    {"on-success", RESTART_ON_SUCCESS},
    {"on-failure", RESTART_ON_FAILURE},
    {"on-abnormal", RESTART_ON_ABNORMAL},
    {"on-abort", RESTART_ON_ABORT},
    {"on-watchdog", RESTART_ON_WATCHDOG},
    {NULL, 0},
};

static const struct value_name kill_mode_names[] = {
    {"control-group", KILL_MODE_CONTROL_GROUP},
    {"mixed", KILL_MODE_MIXED},
    {"process", KILL_MODE_PROCESS},
    {"none", KILL_MODE_NONE},
    {NULL, 0},
};

static const struct value_name notify_access_names[] = {
    {"none", NOTIFY_ACCESS_NONE},
    {"main", NOTIFY_ACCESS_MAIN},
    {"exec", NOTIFY_ACCESS_EXEC},
    {"all", NOTIFY_ACCESS_ALL},
    {NULL, 0},
};

/* Keys whose value is one name of a table; arg picks the table and the
 * field (an 8-bit enum field: no offset, set by name in value_parse_enum). An
 * empty assignment restores the default. */
static const struct {
    const struct value_name *names;
    int empty;
} enum_keys[] = {
    [KEY_ENUM_RESTART] = {restart_names, RESTART_NO},
    [KEY_ENUM_KILL_MODE] = {kill_mode_names, KILL_MODE_CONTROL_GROUP},
    [KEY_ENUM_NOTIFY_ACCESS] = {notify_access_names, NOTIFY_ACCESS_NONE},
};

int value_parse_enum(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    int v = enum_keys[k->arg].empty;

    if (*value && !value_lookup(enum_keys[k->arg].names, value, &v))
        return unit_key_invalid(ctx, NULL);
    switch (k->arg) {
    case KEY_ENUM_RESTART:
        ctx->u->restart = (enum restart_policy)v;
        break;
    case KEY_ENUM_KILL_MODE:
        ctx->u->kill_mode = (enum kill_mode)v;
        break;
    case KEY_ENUM_NOTIFY_ACCESS:
        ctx->u->notify_access = (enum notify_access)v;
        break;
    }
    return 0;
}

/* NotifyAccess=: unset means "main" for Type=notify (unit_finalize). */
int value_parse_notify_access(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value)
{
    if (value_parse_enum(ctx, k, value) < 0)
        return -1;
    ctx->u->notify_access_set = *value != '\0';
    return 0;
}

/* SuccessAction=, FailureAction= (arg: 0 success, 1 failure). pxinit cannot
 * reboot or power off the machine; the closest it has is exiting. */
static const struct value_name action_names[] = {
    {"none", UNIT_ACTION_NONE},
    {"exit", UNIT_ACTION_EXIT},
    {"exit-force", UNIT_ACTION_EXIT},
    {"reboot", -1},
    {"reboot-force", -1},
    {"reboot-immediate", -1},
    {"poweroff", -1},
    {"poweroff-force", -1},
    {"poweroff-immediate", -1},
    {"halt", -1},
    {"halt-force", -1},
    {"halt-immediate", -1},
    {"kexec", -1},
    {"kexec-force", -1},
    {"soft-reboot", -1},
    {"soft-reboot-force", -1},
    {NULL, 0},
};

int value_parse_action(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    int v = UNIT_ACTION_NONE;

    if (*value && !value_lookup(action_names, value, &v))
        return unit_key_invalid(ctx, NULL);
    if (v < 0) {
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "%s=%s is not supported, treating it as exit",
                  k->name, value);
        v = UNIT_ACTION_EXIT;
    }
    if (k->arg)
        ctx->u->failure_action = (enum unit_action)v;
    else
        ctx->u->success_action = (enum unit_action)v;
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
