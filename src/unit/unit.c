/* unit.c - the unit model: systemd's defaults, freeing, comparison, names.
 *
 * Owns struct unit's lifetime. unit_equal() is what daemon-reload uses to
 * decide whether a unit changed, so it must look at every field that affects
 * how the service runs; when a field is added to struct unit, add it here.
 */
#include "unit/unit.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timespan.h"
#include "unit/unit_socket.h"
#include "unit/unit_timer.h"

#define UNIT_NAME_MAX 255

const struct unit_deps unit_deps_default;
const struct unit_exec unit_exec_default = {
    .umask = 0022, .ioprio_class = IO_CLASS_BEST_EFFORT, .ioprio_level = 4};
const struct unit_limits unit_limits_default;
const struct unit_dirs unit_dirs_default = {.mode = {0755, 0755, 0755, 0755, 0755}};
const struct unit_cmds unit_cmds_default;
const struct unit_status unit_status_default;
const struct unit_output unit_output_default;

_Static_assert(EXEC_DIR_MAX == 5, "unit_dirs_default lists a mode per directory type");

/* Where each part hangs, its size and its defaults. */
static const struct {
    size_t offset;
    size_t size;
    const void *defaults;
} parts[UNIT_PART_MAX] = {
#define PART(P, field, type) \
    [P] = {offsetof(struct unit, field), sizeof(struct type), &type##_default}
    PART(UNIT_PART_DEPS, deps, unit_deps),       PART(UNIT_PART_EXEC, exec, unit_exec),
    PART(UNIT_PART_LIMITS, limits, unit_limits), PART(UNIT_PART_DIRS, dirs, unit_dirs),
    PART(UNIT_PART_CMDS, cmds, unit_cmds),       PART(UNIT_PART_STATUS, status, unit_status),
    PART(UNIT_PART_OUTPUT, output, unit_output), PART(UNIT_PART_TIMER, timer, unit_timer),
    PART(UNIT_PART_SOCKET, socket, unit_socket),
#undef PART
};

void *unit_part(struct unit *u, enum unit_part part)
{
    if (part == UNIT_PART_NONE)
        return u;
    void **slot = (void **)(void *)((char *)u + parts[part].offset);
    if (!*slot) {
        void *p = malloc(parts[part].size);
        if (!p) {
            errno = ENOMEM;
            return NULL;
        }
        memcpy(p, parts[part].defaults, parts[part].size);
        *slot = p;
    }
    return *slot;
}

struct unit *unit_new(const char *name)
{
    struct unit *u = calloc(1, sizeof(*u));

    if (!u)
        return NULL;
    if (name) {
        /* "web.service\0web\0": the short name is at most as long as name,
         * and one allocation of up to 24 bytes costs the same as one of 16. */
        size_t n = strlen(name), k;
        const char *shortname = unit_short_name(name, &k);
        if (!(u->name = malloc(n + 1 + k + 1))) {
            free(u);
            return NULL;
        }
        memcpy(u->name, name, n + 1);
        memcpy(u->name + n + 1, shortname, k);
        u->name[n + 1 + k] = '\0';
        int kind = unit_kind_of_name(name);
        if (kind >= 0)
            u->kind = (enum unit_kind)kind;
    }
    u->loaded = true;
    u->start_limit_interval_usec = 10 * USEC_PER_SEC;
    u->start_limit_burst = 5;
    u->type = UNIT_TYPE_SIMPLE;
    u->restart = RESTART_NO;
    u->restart_usec = 100 * USEC_PER_MSEC;
    u->restart_max_delay_usec = USEC_INFINITY;
    u->timeout_start_usec = 90 * USEC_PER_SEC;
    u->timeout_stop_usec = 90 * USEC_PER_SEC;
    u->kill_mode = KILL_MODE_CONTROL_GROUP;
    u->kill_signal = SIGTERM;
    u->final_kill_signal = SIGKILL;
    u->send_sigkill = true;
    u->ignore_sigpipe = true;
    u->std_output = OUTPUT_JOURNAL;
    u->std_error = OUTPUT_DEFAULT;
    u->notify_access = NOTIFY_ACCESS_NONE;
    u->success_action = UNIT_ACTION_NONE;
    u->failure_action = UNIT_ACTION_NONE;
    u->runtime_dir_preserve = DIR_PRESERVE_NO;
    return u;
}

const char *unit_path(const struct unit *u, char *buf, size_t size)
{
    if (!u->in_dir)
        return u->own_path;
    snprintf(buf, size, "%s/%s", u->dir->path, u->name);
    return buf;
}

void unit_set_dir(struct unit *u, struct unit_dir *dir)
{
    if (u->in_dir)
        unit_dir_unref(u->dir);
    else
        free(u->own_path);
    dir->refs++;
    u->dir = dir;
    u->in_dir = true;
}

struct unit_dir *unit_dir_new(const char *path)
{
    size_t n = strlen(path) + 1;
    struct unit_dir *d = malloc(sizeof(*d) + n);
    if (!d)
        return NULL;
    d->refs = 1;
    memcpy(d->path, path, n);
    return d;
}

void unit_dir_unref(struct unit_dir *dir)
{
    if (dir && --dir->refs == 0)
        free(dir);
}

const char *unit_name_short(const struct unit *u)
{
    return u->name ? u->name + strlen(u->name) + 1 : NULL;
}

void exec_list_clear(struct exec_list *l)
{
    for (size_t i = 0; !l->packed && i < l->n; i++)
        free(l->v[i].line);
    free(l->v);
    l->v = NULL;
    l->n = 0;
    l->packed = false;
}

void exec_list_pack(struct exec_list *l)
{
    if (l->packed || l->n == 0)
        return;
    size_t size = l->n * sizeof(*l->v);
    for (size_t i = 0; i < l->n; i++)
        size += strlen(l->v[i].line) + 1;
    struct exec_command *v = malloc(size);
    if (!v)
        return;
    char *p = (char *)(v + l->n);
    for (size_t i = 0; i < l->n; i++) {
        size_t len = strlen(l->v[i].line) + 1;
        v[i] = l->v[i];
        v[i].line = memcpy(p, l->v[i].line, len);
        p += len;
        free(l->v[i].line);
    }
    free(l->v);
    l->v = v;
    l->packed = true;
}

int exec_list_unpack(struct exec_list *l)
{
    if (!l->packed)
        return 0;
    struct exec_command *v = malloc(l->n * sizeof(*v));
    if (!v)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        v[i] = l->v[i];
        if (!(v[i].line = strdup(l->v[i].line))) {
            while (i-- > 0)
                free(v[i].line);
            free(v);
            return -1;
        }
    }
    free(l->v);
    l->v = v;
    l->packed = false;
    return 0;
}

void condition_list_clear(struct condition_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void exit_status_set_clear(struct exit_status_set *s)
{
    free(s->codes);
    free(s->signals);
    s->codes = s->signals = NULL;
    s->ncodes = s->nsignals = 0;
}

bool exit_status_set_has_code(const struct exit_status_set *s, int code)
{
    for (size_t i = 0; i < s->ncodes; i++)
        if (s->codes[i] == code)
            return true;
    return false;
}

bool exit_status_set_has_signal(const struct exit_status_set *s, int sig)
{
    for (size_t i = 0; i < s->nsignals; i++)
        if (s->signals[i] == sig)
            return true;
    return false;
}

static void deps_free(struct unit_deps *d)
{
    if (!d)
        return;
    strv_clear(&d->aliases);
    strv_clear(&d->install_alias);
    strv_clear(&d->dropin_paths);
    strv_clear(&d->not_enforced);
    strv_clear(&d->after);
    strv_clear(&d->before);
    strv_clear(&d->requires);
    strv_clear(&d->wants);
    strv_clear(&d->requisite);
    strv_clear(&d->binds_to);
    strv_clear(&d->part_of);
    strv_clear(&d->conflicts);
    strv_clear(&d->sockets);
    free(d);
}

static void exec_free(struct unit_exec *x)
{
    if (!x)
        return;
    free(x->user);
    free(x->group);
    strv_clear(&x->supplementary_groups);
    free(x->working_directory);
    strv_clear(&x->environment);
    strv_clear(&x->environment_files);
    strv_clear(&x->pass_environment);
    strv_clear(&x->unset_environment);
    free(x);
}

static void dirs_free(struct unit_dirs *d)
{
    if (!d)
        return;
    for (int i = 0; i < EXEC_DIR_MAX; i++)
        strv_clear(&d->paths[i]);
    free(d);
}

static void cmds_free(struct unit_cmds *c)
{
    if (!c)
        return;
    exec_list_clear(&c->exec_start_pre);
    exec_list_clear(&c->exec_start_post);
    exec_list_clear(&c->exec_stop);
    exec_list_clear(&c->exec_stop_post);
    exec_list_clear(&c->exec_reload);
    exec_list_clear(&c->exec_condition);
    condition_list_clear(&c->conditions);
    free(c);
}

static void status_free(struct unit_status *st)
{
    if (!st)
        return;
    exit_status_set_clear(&st->success_exit_status);
    exit_status_set_clear(&st->restart_prevent);
    exit_status_set_clear(&st->restart_force);
    free(st);
}

static void output_part_free(struct unit_output *o)
{
    if (!o)
        return;
    free(o->std_output_path);
    free(o->std_error_path);
    free(o->syslog_identifier);
    free(o);
}

void unit_free(struct unit *u)
{
    if (!u)
        return;
    free(u->name);
    if (u->in_dir)
        unit_dir_unref(u->dir);
    else
        free(u->own_path);
    free(u->description);
    deps_free(u->deps);
    exec_free(u->exec);
    free(u->limits);
    dirs_free(u->dirs);
    cmds_free(u->cmds);
    status_free(u->status);
    output_part_free(u->output);
    unit_timer_free(u->timer);
    unit_socket_free(u->socket);
    exec_list_clear(&u->exec_start);
    free(u->pid_file);
    free(u);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Line numbers are left out: moving a line does not change how it runs. */
static bool exec_list_equal(const struct exec_list *a, const struct exec_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].flags != b->v[i].flags || !str_eq(a->v[i].line, b->v[i].line))
            return false;
    return true;
}

static bool condition_list_equal(const struct condition_list *a, const struct condition_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].negate != b->v[i].negate || a->v[i].kind != b->v[i].kind ||
            a->v[i].trigger != b->v[i].trigger || a->v[i].is_assert != b->v[i].is_assert ||
            !str_eq(a->v[i].path, b->v[i].path))
            return false;
    return true;
}

static bool int_array_equal(const int *a, size_t na, const int *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

static bool exit_status_set_equal(const struct exit_status_set *a, const struct exit_status_set *b)
{
    return int_array_equal(a->codes, a->ncodes, b->codes, b->ncodes) &&
           int_array_equal(a->signals, a->nsignals, b->signals, b->nsignals);
}

/* Each part compared with the other unit's, a missing part reading as its
 * defaults: a part allocated by a key that was later reset equals none. */
static bool deps_equal(const struct unit_deps *a, const struct unit_deps *b)
{
    return strv_equal(&a->after, &b->after) && strv_equal(&a->before, &b->before) &&
           strv_equal(&a->requires, &b->requires) && strv_equal(&a->wants, &b->wants) &&
           strv_equal(&a->requisite, &b->requisite) && strv_equal(&a->binds_to, &b->binds_to) &&
           strv_equal(&a->part_of, &b->part_of) && strv_equal(&a->conflicts, &b->conflicts) &&
           strv_equal(&a->install_alias, &b->install_alias) && strv_equal(&a->sockets, &b->sockets);
}

static bool exec_equal(const struct unit_exec *a, const struct unit_exec *b)
{
    return str_eq(a->user, b->user) && str_eq(a->group, b->group) &&
           strv_equal(&a->supplementary_groups, &b->supplementary_groups) &&
           str_eq(a->working_directory, b->working_directory) &&
           a->working_directory_optional == b->working_directory_optional &&
           strv_equal(&a->environment, &b->environment) &&
           strv_equal(&a->environment_files, &b->environment_files) &&
           strv_equal(&a->pass_environment, &b->pass_environment) &&
           strv_equal(&a->unset_environment, &b->unset_environment) &&
           a->oom_score_adjust_set == b->oom_score_adjust_set &&
           a->oom_score_adjust == b->oom_score_adjust &&
           a->no_new_privileges == b->no_new_privileges && a->umask == b->umask &&
           a->nice_set == b->nice_set && (!a->nice_set || a->nice == b->nice) &&
           a->cpu_sched_set == b->cpu_sched_set && a->cpu_sched_policy == b->cpu_sched_policy &&
           a->cpu_sched_priority == b->cpu_sched_priority &&
           a->cpu_sched_reset_on_fork == b->cpu_sched_reset_on_fork &&
           a->ioprio_set == b->ioprio_set && a->ioprio_class == b->ioprio_class &&
           a->ioprio_level == b->ioprio_level && a->std_input == b->std_input &&
           a->fd_store_max == b->fd_store_max;
}

static bool limits_equal(const struct unit_limits *a, const struct unit_limits *b)
{
    for (size_t i = 0; i < UNIT_NLIMITS; i++) {
        if (a->set[i] != b->set[i])
            return false;
        if (a->set[i] &&
            (a->v[i].rlim_cur != b->v[i].rlim_cur || a->v[i].rlim_max != b->v[i].rlim_max))
            return false;
    }
    return true;
}

static bool dirs_equal(const struct unit_dirs *a, const struct unit_dirs *b)
{
    for (int d = 0; d < EXEC_DIR_MAX; d++)
        if (!strv_equal(&a->paths[d], &b->paths[d]) || a->mode[d] != b->mode[d])
            return false;
    return true;
}

static bool cmds_equal(const struct unit_cmds *a, const struct unit_cmds *b)
{
    return exec_list_equal(&a->exec_start_pre, &b->exec_start_pre) &&
           exec_list_equal(&a->exec_start_post, &b->exec_start_post) &&
           exec_list_equal(&a->exec_stop, &b->exec_stop) &&
           exec_list_equal(&a->exec_stop_post, &b->exec_stop_post) &&
           exec_list_equal(&a->exec_reload, &b->exec_reload) &&
           exec_list_equal(&a->exec_condition, &b->exec_condition) &&
           condition_list_equal(&a->conditions, &b->conditions);
}

static bool status_equal(const struct unit_status *a, const struct unit_status *b)
{
    return exit_status_set_equal(&a->success_exit_status, &b->success_exit_status) &&
           exit_status_set_equal(&a->restart_prevent, &b->restart_prevent) &&
           exit_status_set_equal(&a->restart_force, &b->restart_force);
}

static bool output_equal(const struct unit_output *a, const struct unit_output *b)
{
    return str_eq(a->std_output_path, b->std_output_path) &&
           str_eq(a->std_error_path, b->std_error_path) &&
           str_eq(a->syslog_identifier, b->syslog_identifier) &&
           a->log_max_size == b->log_max_size && a->log_max_files == b->log_max_files &&
           a->log_max_size_set == b->log_max_size_set &&
           a->log_max_files_set == b->log_max_files_set;
}

/* Aliases made from symlinks (unit_deps.aliases) are left out, as before the
 * parts existed: they name the unit, they do not change how it runs. */
bool unit_equal(const struct unit *a, const struct unit *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    return str_eq(a->name, b->name) && a->loaded == b->loaded &&
           str_eq(a->description, b->description) && deps_equal(unit_deps(a), unit_deps(b)) &&
           exec_equal(unit_exec(a), unit_exec(b)) && limits_equal(unit_limits(a), unit_limits(b)) &&
           dirs_equal(unit_dirs(a), unit_dirs(b)) && cmds_equal(unit_cmds(a), unit_cmds(b)) &&
           status_equal(unit_status(a), unit_status(b)) &&
           output_equal(unit_output(a), unit_output(b)) &&
           unit_timer_equal(unit_timer(a), unit_timer(b)) &&
           unit_socket_equal(unit_socket(a), unit_socket(b)) &&
           exec_list_equal(&a->exec_start, &b->exec_start) && str_eq(a->pid_file, b->pid_file) &&
           a->start_limit_interval_usec == b->start_limit_interval_usec &&
           a->start_limit_burst == b->start_limit_burst && a->restart_usec == b->restart_usec &&
           a->restart_steps == b->restart_steps &&
           a->restart_max_delay_usec == b->restart_max_delay_usec &&
           a->timeout_start_usec == b->timeout_start_usec &&
           a->timeout_start_set == b->timeout_start_set &&
           a->timeout_stop_usec == b->timeout_stop_usec && a->watchdog_usec == b->watchdog_usec &&
           a->type == b->type && a->type_set == b->type_set && a->restart == b->restart &&
           a->remain_after_exit == b->remain_after_exit && a->kill_mode == b->kill_mode &&
           a->kill_signal == b->kill_signal && a->restart_kill_signal == b->restart_kill_signal &&
           a->final_kill_signal == b->final_kill_signal && a->send_sigkill == b->send_sigkill &&
           a->send_sighup == b->send_sighup && a->std_output == b->std_output &&
           a->std_error == b->std_error && a->std_output_set == b->std_output_set &&
           a->notify_access == b->notify_access && a->notify_access_set == b->notify_access_set &&
           a->success_action == b->success_action && a->failure_action == b->failure_action &&
           a->runtime_dir_preserve == b->runtime_dir_preserve &&
           a->ignore_sigpipe == b->ignore_sigpipe;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

const char *unit_short_name(const char *name, size_t *len)
{
    size_t n = strlen(name);

    if (has_suffix(name, n, ".service") && n > strlen(".service"))
        n -= strlen(".service");
    *len = n;
    return name;
}

/* The unit types systemd knows; a name ending in one of them has a suffix. */
static const char *const unit_suffixes[] = {
    ".service", ".socket", ".target", ".device", ".mount", ".automount",
    ".swap",    ".timer",  ".path",   ".slice",  ".scope",
};

char *unit_name_normalize(const char *name)
{
    size_t n;
    char *s;

    if (!name) {
        errno = EINVAL;
        return NULL;
    }
    n = strlen(name);
    for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
        if (has_suffix(name, n, unit_suffixes[i]) && n > strlen(unit_suffixes[i]))
            return strdup(name);
    s = malloc(n + sizeof(".service"));
    if (!s)
        return NULL;
    memcpy(s, name, n);
    memcpy(s + n, ".service", sizeof(".service"));
    return s;
}

int unit_kind_of_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (has_suffix(name, n, ".service") && n > strlen(".service"))
        return UNIT_KIND_SERVICE;
    if (has_suffix(name, n, ".target") && n > strlen(".target"))
        return UNIT_KIND_TARGET;
    if (has_suffix(name, n, ".timer") && n > strlen(".timer"))
        return UNIT_KIND_TIMER;
    if (has_suffix(name, n, ".socket") && n > strlen(".socket"))
        return UNIT_KIND_SOCKET;
    return -1;
}

bool unit_name_valid(const char *name)
{
    size_t n;

    if (!name)
        return false;
    n = strlen(name);
    if (n > UNIT_NAME_MAX || !has_suffix(name, n, ".service") || n == strlen(".service"))
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '_' || c == '.' || c == '@' || c == '-'))
            return false;
    }
    return true;
}
