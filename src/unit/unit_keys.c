/* unit_keys.c - what each .service key means: the key table and the value
 * parsers, with systemd's semantics (systemd.unit(5), systemd.service(5),
 * systemd.exec(5), systemd.kill(5)).
 *
 * Every key is one row of unit_keys[]: section, name, parser, and the field it
 * writes. A repeated list key appends and an empty assignment resets it; a
 * scalar key's last assignment wins and an empty one restores the default.
 * Values have their %-specifiers resolved first (unit_specifier.c). A
 * malformed value is an error (the unit will not load) but parsing goes on,
 * so that one run of `pxinit check` shows every mistake. Also home to the
 * small number and name helpers the parsers in unit_values.c share.
 */
#include "unit/unit_keys.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unit/cmdline.h"
#include "base/signame.h"
#include "base/timespan.h"

#define FIELD(f) UNIT_KEY_AT(UNIT_PART_NONE, struct unit, f)
/* Fields of the optional parts of struct unit (unit.h). */
#define DEPS(f) UNIT_KEY_AT(UNIT_PART_DEPS, struct unit_deps, f)
#define EXEC(f) UNIT_KEY_AT(UNIT_PART_EXEC, struct unit_exec, f)
#define DIRS(f) UNIT_KEY_AT(UNIT_PART_DIRS, struct unit_dirs, f)
#define CMDS(f) UNIT_KEY_AT(UNIT_PART_CMDS, struct unit_cmds, f)
#define STATUS(f) UNIT_KEY_AT(UNIT_PART_STATUS, struct unit_status, f)
#define OUTPUT(f) UNIT_KEY_AT(UNIT_PART_OUTPUT, struct unit_output, f)
#define IN(part) UNIT_KEY_IN(UNIT_PART_##part)
#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int unit_key_invalid(struct unit_parse_ctx *ctx, const char *reason)
{
    ctx->reason = reason;
    errno = EINVAL;
    return -1;
}

/* ---- helpers shared with unit_values.c --------------------------------- */

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

/* ---- scalars ------------------------------------------------------------ */

static int parse_string(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    char **field = AT(ctx, k, char *);
    char *copy = NULL;

    if (*value && !(copy = strdup(value)))
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

static int parse_bool(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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

static int parse_unsigned(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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

static int parse_timespan(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    uint64_t *field = AT(ctx, k, uint64_t);

    if (!*value) {
        /* arg -1 stands for infinity, which does not fit a long */
        *field = k->arg < 0 ? USEC_INFINITY : (uint64_t)k->arg;
        return 0;
    }
    if (timespan_parse(value, USEC_PER_SEC, field) < 0)
        return unit_key_invalid(ctx, errno == ERANGE ? "out of range" : "not a time span");
    return 0;
}

/* TimeoutStartSec=, TimeoutStopSec=, TimeoutSec= (arg: 1 start, 2 stop). As in
 * systemd, 0 means no timeout, like "infinity". */
static int parse_timeout(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    uint64_t usec = 90 * USEC_PER_SEC;
    struct unit *u = ctx->u;

    if (*value) {
        if (timespan_parse(value, USEC_PER_SEC, &usec) < 0)
            return unit_key_invalid(ctx, errno == ERANGE ? "out of range" : "not a time span");
        if (usec == 0)
            usec = USEC_INFINITY;
    }
    if (k->arg & 1) {
        u->timeout_start_usec = usec;
        u->timeout_start_set = *value != '\0';
    }
    if (k->arg & 2)
        u->timeout_stop_usec = usec;
    return 0;
}

/* The signal fields are bytes (unit.h): every signal number fits. */
_Static_assert(_NSIG <= 256, "signal numbers fit a byte");

static int parse_signal(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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
static int parse_mode(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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

/* RuntimeDirectory= and siblings: relative paths, no "..", repeatable, empty resets. */
static int parse_exec_dirs(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *l = &ctx->u->dirs->paths[k->arg];
    struct strv words = {0};
    const char *err = NULL;

    if (!*value) {
        strv_clear(l);
        return 0;
    }
    if (cmdline_unquote(value, &words, &err) < 0)
        return unit_key_invalid(ctx, err);
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

static int parse_dir_preserve(struct unit_parse_ctx *ctx, const struct unit_key *k,
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

static int parse_oom_score_adjust(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                  const char *value)
{
    long long v;
    if (!*value) {
        ctx->u->exec->oom_score_adjust_set = false;
        return 0;
    }
    if (value_parse_ll(value, -1000, 1000, &v) < 0)
        return unit_key_invalid(ctx, "not a number from -1000 to 1000");
    ctx->u->exec->oom_score_adjust = (int)v;
    ctx->u->exec->oom_score_adjust_set = true;
    return 0;
}

/* PassEnvironment=, UnsetEnvironment=: words (names, or KEY=VALUE for the
 * latter), repeatable, empty resets. */
static int parse_env_names(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *l = AT(ctx, k, struct strv);
    struct strv words = {0};
    const char *err = NULL;
    if (!*value) {
        strv_clear(l);
        return 0;
    }
    if (cmdline_unquote(value, &words, &err) < 0)
        return unit_key_invalid(ctx, err);
    for (size_t i = 0; i < words.n; i++) {
        if (!strv_contains(l, words.v[i]) && strv_push(l, words.v[i]) < 0) {
            strv_clear(&words);
            return -1;
        }
    }
    strv_clear(&words);
    return 0;
}

static int parse_nice(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    long long v;

    if (!*value) {
        ctx->u->exec->nice_set = false;
        ctx->u->exec->nice = 0;
        return 0;
    }
    if (value_parse_ll(value, -20, 19, &v) < 0)
        return unit_key_invalid(ctx, "not a nice level between -20 and 19");
    ctx->u->exec->nice = (int)v;
    ctx->u->exec->nice_set = true;
    return 0;
}

/* User=, Group=: a name or a numeric id; systemd is lenient about names, we
 * only refuse what can never be one. */
static int parse_user(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    if (*value && !value_user_name_valid(value))
        return unit_key_invalid(ctx, "not a valid user or group name");
    return parse_string(ctx, k, value);
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

static int parse_type(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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
 * field (an 8-bit enum field: no offset, set by name in parse_enum). An
 * empty assignment restores the default. */
enum { ENUM_RESTART, ENUM_KILL_MODE, ENUM_NOTIFY_ACCESS };

static const struct {
    const struct value_name *names;
    int empty;
} enum_keys[] = {
    [ENUM_RESTART] = {restart_names, RESTART_NO},
    [ENUM_KILL_MODE] = {kill_mode_names, KILL_MODE_CONTROL_GROUP},
    [ENUM_NOTIFY_ACCESS] = {notify_access_names, NOTIFY_ACCESS_NONE},
};

static int parse_enum(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    int v = enum_keys[k->arg].empty;

    if (*value && !value_lookup(enum_keys[k->arg].names, value, &v))
        return unit_key_invalid(ctx, NULL);
    switch (k->arg) {
    case ENUM_RESTART:
        ctx->u->restart = (enum restart_policy)v;
        break;
    case ENUM_KILL_MODE:
        ctx->u->kill_mode = (enum kill_mode)v;
        break;
    case ENUM_NOTIFY_ACCESS:
        ctx->u->notify_access = (enum notify_access)v;
        break;
    }
    return 0;
}

/* NotifyAccess=: unset means "main" for Type=notify (unit_finalize). */
static int parse_notify_access(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    if (parse_enum(ctx, k, value) < 0)
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

static int parse_action(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
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

/* ---- the table ---------------------------------------------------------- */

#define U "Unit"
#define S "Service"
#define I "Install"

static const struct unit_key unit_keys[] = {
    {U, "Description", parse_string, FIELD(description), 0},
    {U, "After", value_parse_unit_list, DEPS(after), 0},
    {U, "Before", value_parse_unit_list, DEPS(before), 0},
    {U, "Requires", value_parse_unit_list, DEPS(requires), 0},
    {U, "Wants", value_parse_unit_list, DEPS(wants), 0},
    {U, "Requisite", value_parse_unit_list, DEPS(requisite), 0},
    {U, "BindsTo", value_parse_unit_list, DEPS(binds_to), 0},
    {U, "PartOf", value_parse_unit_list, DEPS(part_of), 0},
    {U, "Conflicts", value_parse_unit_list, DEPS(conflicts), 0},
    {U, "StartLimitIntervalSec", parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {U, "StartLimitInterval", parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {U, "StartLimitBurst", parse_unsigned, FIELD(start_limit_burst), 5},
    {U, "ConditionPathExists", value_parse_condition_path, CMDS(conditions), COND_PATH_EXISTS},
    {U, "ConditionPathExistsGlob", value_parse_condition_path, CMDS(conditions),
     COND_PATH_EXISTS_GLOB},
    {U, "ConditionPathIsDirectory", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_DIRECTORY},
    {U, "ConditionPathIsSymbolicLink", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_SYMLINK},
    {U, "ConditionDirectoryNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_DIRECTORY_NOT_EMPTY},
    {U, "ConditionFileNotEmpty", value_parse_condition_path, CMDS(conditions), COND_FILE_NOT_EMPTY},
    {U, "ConditionFileIsExecutable", value_parse_condition_path, CMDS(conditions),
     COND_FILE_IS_EXECUTABLE},
    {U, "ConditionPathIsMountPoint", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_MOUNT_POINT},
    {U, "ConditionPathIsReadWrite", value_parse_condition_path, CMDS(conditions),
     COND_PATH_IS_READ_WRITE},
    {U, "ConditionCapability", value_parse_condition_word, CMDS(conditions), COND_CAPABILITY},
    {U, "ConditionVirtualization", value_parse_condition_word, CMDS(conditions),
     COND_VIRTUALIZATION},
    {U, "ConditionACPower", value_parse_condition_word, CMDS(conditions), COND_AC_POWER},
    {U, "AssertPathExists", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_EXISTS},
    {U, "AssertPathExistsGlob", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_EXISTS_GLOB},
    {U, "AssertPathIsDirectory", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_DIRECTORY},
    {U, "AssertPathIsSymbolicLink", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_SYMLINK},
    {U, "AssertDirectoryNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_DIRECTORY_NOT_EMPTY},
    {U, "AssertFileNotEmpty", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_FILE_NOT_EMPTY},
    {U, "AssertFileIsExecutable", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_FILE_IS_EXECUTABLE},
    {U, "AssertPathIsMountPoint", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_MOUNT_POINT},
    {U, "AssertPathIsReadWrite", value_parse_condition_path, CMDS(conditions),
     COND_ASSERT | COND_PATH_IS_READ_WRITE},
    {U, "AssertCapability", value_parse_condition_word, CMDS(conditions),
     COND_ASSERT | COND_CAPABILITY},
    {U, "AssertVirtualization", value_parse_condition_word, CMDS(conditions),
     COND_ASSERT | COND_VIRTUALIZATION},
    {U, "AssertACPower", value_parse_condition_word, CMDS(conditions), COND_ASSERT | COND_AC_POWER},
    {U, "SuccessAction", parse_action, 0, 0},
    {U, "FailureAction", parse_action, 0, 1},

    {S, "Type", parse_type, 0, 0},
    {S, "ExecStart", value_parse_exec, FIELD(exec_start), 0},
    {S, "ExecStartPre", value_parse_exec, CMDS(exec_start_pre), 0},
    {S, "ExecStartPost", value_parse_exec, CMDS(exec_start_post), 0},
    {S, "ExecStop", value_parse_exec, CMDS(exec_stop), 0},
    {S, "ExecStopPost", value_parse_exec, CMDS(exec_stop_post), 0},
    {S, "ExecReload", value_parse_exec, CMDS(exec_reload), 0},
    {S, "ExecCondition", value_parse_exec, CMDS(exec_condition), 0},
    {S, "PIDFile", value_parse_pid_file, FIELD(pid_file), 0},
    {S, "RemainAfterExit", parse_bool, FIELD(remain_after_exit), 0},
    {S, "Restart", parse_enum, 0, ENUM_RESTART},
    {S, "RestartSec", parse_timespan, FIELD(restart_usec), 100000},
    {S, "RestartSteps", parse_unsigned, FIELD(restart_steps), 0},
    {S, "RestartMaxDelaySec", parse_timespan, FIELD(restart_max_delay_usec), -1},
    {S, "SuccessExitStatus", value_parse_exit_status, STATUS(success_exit_status), 0},
    {S, "RestartPreventExitStatus", value_parse_exit_status, STATUS(restart_prevent), 0},
    {S, "RestartForceExitStatus", value_parse_exit_status, STATUS(restart_force), 0},
    {S, "TimeoutStartSec", parse_timeout, 0, 1},
    {S, "TimeoutStopSec", parse_timeout, 0, 2},
    {S, "TimeoutSec", parse_timeout, 0, 3},
    {S, "KillMode", parse_enum, 0, ENUM_KILL_MODE},
    {S, "KillSignal", parse_signal, FIELD(kill_signal), SIGTERM},
    {S, "SendSIGKILL", parse_bool, FIELD(send_sigkill), 1},
    {S, "SendSIGHUP", parse_bool, FIELD(send_sighup), 0},
    {S, "RestartKillSignal", parse_signal, FIELD(restart_kill_signal), 0},
    {S, "FinalKillSignal", parse_signal, FIELD(final_kill_signal), SIGKILL},
    {S, "NoNewPrivileges", parse_bool, EXEC(no_new_privileges), 0},
    {S, "IgnoreSIGPIPE", parse_bool, FIELD(ignore_sigpipe), 1},
    {S, "OOMScoreAdjust", parse_oom_score_adjust, IN(EXEC), 0},
    {S, "PassEnvironment", parse_env_names, EXEC(pass_environment), 0},
    {S, "UnsetEnvironment", parse_env_names, EXEC(unset_environment), 0},
    {S, "User", parse_user, EXEC(user), 0},
    {S, "Group", parse_user, EXEC(group), 0},
    {S, "SupplementaryGroups", value_parse_groups, EXEC(supplementary_groups), 0},
    {S, "WorkingDirectory", value_parse_working_directory, IN(EXEC), 0},
    {S, "Environment", value_parse_environment, EXEC(environment), 0},
    {S, "EnvironmentFile", value_parse_environment_file, EXEC(environment_files), 0},
    {S, "UMask", parse_mode, EXEC(umask), 0022},
    {S, "RuntimeDirectory", parse_exec_dirs, IN(DIRS), EXEC_DIR_RUNTIME},
    {S, "StateDirectory", parse_exec_dirs, IN(DIRS), EXEC_DIR_STATE},
    {S, "CacheDirectory", parse_exec_dirs, IN(DIRS), EXEC_DIR_CACHE},
    {S, "LogsDirectory", parse_exec_dirs, IN(DIRS), EXEC_DIR_LOGS},
    {S, "ConfigurationDirectory", parse_exec_dirs, IN(DIRS), EXEC_DIR_CONFIGURATION},
    {S, "RuntimeDirectoryMode", parse_mode, DIRS(mode[EXEC_DIR_RUNTIME]), 0755},
    {S, "StateDirectoryMode", parse_mode, DIRS(mode[EXEC_DIR_STATE]), 0755},
    {S, "CacheDirectoryMode", parse_mode, DIRS(mode[EXEC_DIR_CACHE]), 0755},
    {S, "LogsDirectoryMode", parse_mode, DIRS(mode[EXEC_DIR_LOGS]), 0755},
    {S, "ConfigurationDirectoryMode", parse_mode, DIRS(mode[EXEC_DIR_CONFIGURATION]), 0755},
    {S, "RuntimeDirectoryPreserve", parse_dir_preserve, 0, 0},
    {S, "Nice", parse_nice, IN(EXEC), 0},
    {S, "CPUSchedulingPolicy", value_parse_sched, IN(EXEC), KEY_SCHED_POLICY},
    {S, "CPUSchedulingPriority", value_parse_sched, IN(EXEC), KEY_SCHED_PRIORITY},
    {S, "CPUSchedulingResetOnFork", value_parse_sched, IN(EXEC), KEY_SCHED_RESET_ON_FORK},
    {S, "IOSchedulingClass", value_parse_sched, IN(EXEC), KEY_IOPRIO_CLASS},
    {S, "IOSchedulingPriority", value_parse_sched, IN(EXEC), KEY_IOPRIO_LEVEL},
    {S, "LimitCPU", value_parse_limit, IN(LIMITS), RLIMIT_CPU},
    {S, "LimitFSIZE", value_parse_limit, IN(LIMITS), RLIMIT_FSIZE},
    {S, "LimitDATA", value_parse_limit, IN(LIMITS), RLIMIT_DATA},
    {S, "LimitSTACK", value_parse_limit, IN(LIMITS), RLIMIT_STACK},
    {S, "LimitCORE", value_parse_limit, IN(LIMITS), RLIMIT_CORE},
    {S, "LimitRSS", value_parse_limit, IN(LIMITS), RLIMIT_RSS},
    {S, "LimitNOFILE", value_parse_limit, IN(LIMITS), RLIMIT_NOFILE},
    {S, "LimitAS", value_parse_limit, IN(LIMITS), RLIMIT_AS},
    {S, "LimitNPROC", value_parse_limit, IN(LIMITS), RLIMIT_NPROC},
    {S, "LimitMEMLOCK", value_parse_limit, IN(LIMITS), RLIMIT_MEMLOCK},
    {S, "LimitLOCKS", value_parse_limit, IN(LIMITS), RLIMIT_LOCKS},
    {S, "LimitSIGPENDING", value_parse_limit, IN(LIMITS), RLIMIT_SIGPENDING},
    {S, "LimitMSGQUEUE", value_parse_limit, IN(LIMITS), RLIMIT_MSGQUEUE},
    {S, "LimitNICE", value_parse_limit, IN(LIMITS), RLIMIT_NICE},
    {S, "LimitRTPRIO", value_parse_limit, IN(LIMITS), RLIMIT_RTPRIO},
    {S, "LimitRTTIME", value_parse_limit, IN(LIMITS), RLIMIT_RTTIME},
    {S, "StandardOutput", value_parse_output, 0, 0},
    {S, "StandardError", value_parse_output, 0, 1},
    {S, "SyslogIdentifier", parse_string, OUTPUT(syslog_identifier), 0},
    {S, "X-LogMaxSize", value_parse_log_rotation, IN(OUTPUT), 0},
    {S, "X-LogMaxFiles", value_parse_log_rotation, IN(OUTPUT), 1},
    {S, "WatchdogSec", parse_timespan, FIELD(watchdog_usec), 0},
    {S, "NotifyAccess", parse_notify_access, 0, ENUM_NOTIFY_ACCESS},
    /* Older spellings and [Unit] keys systemd also takes in [Service]. */
    {S, "StartLimitIntervalSec", parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {S, "StartLimitInterval", parse_timespan, FIELD(start_limit_interval_usec), 10000000},
    {S, "StartLimitBurst", parse_unsigned, FIELD(start_limit_burst), 5},
    {S, "SuccessAction", parse_action, 0, 0},
    {S, "FailureAction", parse_action, 0, 1},

    {I, "WantedBy", NULL, 0, 0},
    {I, "RequiredBy", NULL, 0, 0},
    {I, "UpheldBy", NULL, 0, 0},
    {I, "Alias", value_parse_unit_list, DEPS(install_alias), 0},
    {I, "Also", NULL, 0, 0},
    {I, "DefaultInstance", NULL, 0, 0},
};

/* Keys systemd has and we accept without acting on them (sandboxing, cgroup
 * resource control, other dependency kinds...): a warning, not "unknown". */
/* clang-format off */
static const char *const unsupported_unit_keys[] = {
    "Documentation", "DefaultDependencies",
    "Upholds", "PropagatesReloadTo", "ReloadPropagatedFrom", "PropagatesStopTo",
    "StopPropagatedFrom", "JoinsNamespaceOf", "RequiresMountsFor", "WantsMountsFor",
    "OnFailure", "OnSuccess", "OnFailureJobMode", "IgnoreOnIsolate", "StopWhenUnneeded",
    "RefuseManualStart", "RefuseManualStop", "AllowIsolate", "CollectMode",
    "JobTimeoutSec", "JobRunningTimeoutSec", "JobTimeoutAction", "JobTimeoutRebootArgument",
    "StartLimitAction", "RebootArgument", "SourcePath", "FailureActionExitStatus",
    "SuccessActionExitStatus", "SurviveFinalKillSignal", NULL,
};
/* clang-format on */

/* clang-format off */
static const char *const unsupported_service_keys[] = {
    /* service */
    "RestartMode",
    "TimeoutAbortSec", "TimeoutStartFailureMode", "TimeoutStopFailureMode",
    "RuntimeMaxSec", "RuntimeRandomizedExtraSec", "GuessMainPID", "PermissionsStartOnly",
    "RootDirectoryStartOnly", "NonBlocking", "FileDescriptorStoreMax",
    "FileDescriptorStorePreserve", "USBFunctionDescriptors", "USBFunctionStrings", "OOMPolicy",
    "OpenFile", "ReloadSignal", "BusName", "Sockets", "ExitType", "WatchdogSignal",
    /* exec: sandboxing and credentials */
    "PrivateTmp", "PrivateDevices", "PrivateNetwork", "PrivateUsers", "PrivateIPC",
    "PrivateMounts", "PrivatePIDs", "ProtectSystem", "ProtectHome", "ProtectKernelTunables",
    "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock",
    "ProtectHostname", "ProtectProc", "ProcSubset", "CapabilityBoundingSet",
    "AmbientCapabilities", "SecureBits", "SystemCallFilter", "SystemCallArchitectures",
    "SystemCallErrorNumber", "SystemCallLog", "RestrictAddressFamilies",
    "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID", "RestrictFileSystems",
    "LockPersonality", "MemoryDenyWriteExecute", "RemoveIPC", "ReadWritePaths",
    "ReadWriteDirectories", "ReadOnlyDirectories", "InaccessibleDirectories",
    "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths", "TemporaryFileSystem",
    "BindPaths", "BindReadOnlyPaths", "RootDirectory", "RootImage", "RootImageOptions",
    "MountAPIVFS", "MountFlags", "DynamicUser", "KeyringMode", "Personality",
    "PAMName", "LoadCredential", "LoadCredentialEncrypted", "SetCredential",
    "SetCredentialEncrypted", "ImportCredential", "SELinuxContext", "AppArmorProfile",
    "SmackProcessLabel", "NetworkNamespacePath", "IPCNamespacePath",
    /* exec: scheduling, I/O, logging, directories */
    "CPUAffinity", "NUMAPolicy",
    "NUMAMask", "TimerSlackNSec", "StandardInput", "StandardInputText", "StandardInputData",
    "TTYPath", "TTYReset", "TTYVHangup", "TTYVTDisallocate", "TTYRows", "TTYColumns",
    "SyslogFacility", "SyslogLevel", "SyslogLevelPrefix", "LogLevelMax", "LogExtraFields",
    "LogRateLimitIntervalSec", "LogRateLimitBurst", "LogNamespace", "LogFilterPatterns",
    "UtmpIdentifier", "UtmpMode",
    /* resource control */
    "Slice", "Delegate", "DelegateSubgroup", "CPUAccounting", "CPUWeight", "StartupCPUWeight",
    "CPUShares", "StartupCPUShares", "CPUQuota", "CPUQuotaPeriodSec", "AllowedCPUs",
    "StartupAllowedCPUs", "AllowedMemoryNodes", "MemoryAccounting", "MemoryMin", "MemoryLow",
    "MemoryHigh", "MemoryMax", "MemorySwapMax", "MemoryZSwapMax", "MemoryLimit",
    "TasksAccounting", "TasksMax", "IOAccounting", "IOWeight", "StartupIOWeight",
    "IODeviceWeight", "IOReadBandwidthMax", "IOWriteBandwidthMax", "IOReadIOPSMax",
    "IOWriteIOPSMax", "IODeviceLatencyTargetSec", "BlockIOAccounting", "BlockIOWeight",
    "BlockIODeviceWeight", "BlockIOReadBandwidth", "BlockIOWriteBandwidth", "IPAccounting",
    "IPAddressAllow", "IPAddressDeny", "IPIngressFilterPath", "IPEgressFilterPath",
    "DeviceAllow", "DevicePolicy", "ManagedOOMSwap", "ManagedOOMMemoryPressure",
    "ManagedOOMMemoryPressureLimit", "ManagedOOMPreference", "CoredumpReceive", NULL,
};
/* clang-format on */

bool unit_section_known(const char *section)
{
    return strcmp(section, U) == 0 || strcmp(section, S) == 0 || strcmp(section, I) == 0;
}

static bool name_in(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

static bool key_unsupported(const char *section, const char *key)
{
    if (strcmp(section, U) == 0)
        return name_in(unsupported_unit_keys, key) || strncmp(key, "Condition", 9) == 0 ||
               strncmp(key, "Assert", 6) == 0;
    if (strcmp(section, S) == 0)
        return name_in(unsupported_service_keys, key);
    return false;
}

/* Runs row k's parser on value (specifiers already resolved) and reports a
 * malformed value; shown is the value as written. */
static int unit_key_run(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value,
                        const char *shown)
{
    ctx->reason = NULL;
    /* The part the key writes exists from now on, even when the value turns
     * out malformed or resets the key: unit_equal() reads a part holding
     * defaults like a missing one. */
    if (unit_part(ctx->u, UNIT_KEY_PART(k)) && k->parse(ctx, k, value) == 0)
        return 0;
    if (errno == ENOMEM) {
        unit_diag(ctx, DIAG_ERROR, ctx->lineno, "out of memory while parsing %s=", k->name);
        return -1;
    }
    /* With specifiers, what they expanded to too: an instance name can be
     * what made the value bad. */
    bool expanded = value != shown;
    unit_diag(ctx, DIAG_ERROR, ctx->lineno, "invalid value for %s=: '%s'%s%s%s%s%s%s", k->name,
              shown, expanded ? " (expands to '" : "", expanded ? value : "", expanded ? "')" : "",
              ctx->reason ? " (" : "", ctx->reason ? ctx->reason : "", ctx->reason ? ")" : "");
    return 0;
}

int unit_keys_apply(struct unit_parse_ctx *ctx, const char *section, const char *key,
                    const char *value)
{
    for (size_t i = 0; i < ARRAY_SIZE(unit_keys); i++) {
        const struct unit_key *k = &unit_keys[i];
        char *expanded, bad = 0;
        int r;

        if (strcmp(k->section, section) != 0 || strcmp(k->name, key) != 0)
            continue;
        if (!k->parse)
            return 0;
        if (!strchr(value, '%'))
            return unit_key_run(ctx, k, value, value);
        expanded = unit_specifier_expand(ctx->u, value, &bad);
        if (!expanded && errno == ENOMEM) {
            unit_diag(ctx, DIAG_ERROR, ctx->lineno, "out of memory while parsing %s=", key);
            return -1;
        }
        if (!expanded) {
            unit_diag(ctx, DIAG_ERROR, ctx->lineno,
                      "invalid value for %s=: '%s' (unknown specifier '%%%c'; write %%%% for "
                      "a literal %%)",
                      key, value, bad ? bad : ' ');
            return 0;
        }
        r = unit_key_run(ctx, k, expanded, value);
        free(expanded);
        return r;
    }
    if (strncmp(key, "X-", 2) == 0)
        return 0; /* systemd's convention for extensions (ours are in the table) */
    if (strcmp(key, "Documentation") == 0)
        return 0; /* only for humans: nothing to enforce */
    if (key_unsupported(section, key)) {
        /* Sandboxing and resource keys are common in packaged units: one
         * warning per file lists each of them once (unit_parse_stream). */
        char probe[128];
        snprintf(probe, sizeof(probe), "%s= ", key);
        ctx->not_enforced[ctx->not_enforced_len] = '\0';
        const char *seen = strstr(ctx->not_enforced, probe);
        if (seen && (seen == ctx->not_enforced || seen[-1] == ' '))
            return 0;
        size_t left = sizeof(ctx->not_enforced) - ctx->not_enforced_len;
        int n = snprintf(ctx->not_enforced + ctx->not_enforced_len, left, "%s%s= (line %u)",
                         ctx->not_enforced_len ? ", " : "", key, ctx->lineno);
        if (n > 0 && (size_t)n < left)
            ctx->not_enforced_len += (size_t)n;
        else
            ctx->not_enforced_more++;
    } else
        unit_diag(ctx, DIAG_WARNING, ctx->lineno, "unknown key '%s' in section [%s], ignoring", key,
                  section);
    return 0;
}
