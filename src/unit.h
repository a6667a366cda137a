/* unit.h - the unit model: what a .service file says, after parsing.
 *
 * A struct unit is immutable once loaded; the supervisor keeps runtime state in
 * struct service (service.h). A daemon-reload builds new units and compares them
 * with unit_equal() to decide what to restart.
 */
#ifndef PXINIT_UNIT_H
#define PXINIT_UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "strv.h"

enum unit_type {
    UNIT_TYPE_SIMPLE,
    UNIT_TYPE_EXEC,
    UNIT_TYPE_FORKING,
    UNIT_TYPE_ONESHOT,
    UNIT_TYPE_NOTIFY,
};

enum restart_policy {
    RESTART_NO,
    RESTART_ALWAYS,
    RESTART_ON_SUCCESS,
    RESTART_ON_FAILURE,
    RESTART_ON_ABNORMAL,
    RESTART_ON_ABORT,
    RESTART_ON_WATCHDOG,
};

enum kill_mode {
    KILL_MODE_CONTROL_GROUP, /* the unit's process group (and session) */
    KILL_MODE_MIXED,         /* KillSignal to the main, SIGKILL to the group */
    KILL_MODE_PROCESS,       /* only the main process */
    KILL_MODE_NONE,
};

enum output_kind {
    OUTPUT_DEFAULT, /* StandardError= only: same as StandardOutput= */
    OUTPUT_JOURNAL, /* captured and prefixed on pxinit's stdout (also syslog, kmsg) */
    OUTPUT_INHERIT,
    OUTPUT_NULL,
    OUTPUT_FILE,     /* file:PATH */
    OUTPUT_APPEND,   /* append:PATH */
    OUTPUT_TRUNCATE, /* truncate:PATH */
};

enum unit_action {
    UNIT_ACTION_NONE,
    UNIT_ACTION_EXIT, /* SuccessAction=/FailureAction=exit (and exit-force) */
};

enum notify_access {
    NOTIFY_ACCESS_NONE,
    NOTIFY_ACCESS_MAIN,
    NOTIFY_ACCESS_EXEC,
    NOTIFY_ACCESS_ALL,
};

/* One Exec*= line: prefix flags (cmdline.h enum exec_flags) and the text after
 * them, split into words only at spawn time, when the environment is known. */
struct exec_command {
    int flags;
    char *line;
    unsigned lineno; /* where it was written, for error messages */
};

struct exec_list {
    struct exec_command *v;
    size_t n;
};

/* ConditionPathExists= and friends: a path, possibly negated with '!'. */
struct path_condition {
    char *path;
    bool negate;
};

struct condition_list {
    struct path_condition *v;
    size_t n;
};

/* SuccessExitStatus=: extra exit codes and signals that count as success. */
struct exit_status_set {
    int *codes;
    size_t ncodes;
    int *signals;
    size_t nsignals;
};

#define UNIT_NLIMITS RLIM_NLIMITS

struct unit {
    char *name;  /* "web.service" */
    char *path;  /* the file it was loaded from */
    bool loaded; /* false when a malformed value made it fail to load */

    /* [Unit] */
    char *description;
    struct strv after, before, requires, wants;
    uint64_t start_limit_interval_usec; /* default 10s; 0 disables the limit */
    unsigned start_limit_burst;         /* default 5 */
    struct condition_list condition_path_exists;

    /* [Service] */
    enum unit_type type; /* default simple, oneshot when ExecStart= is missing */
    bool type_set;
    struct exec_list exec_start, exec_start_pre, exec_start_post;
    struct exec_list exec_stop, exec_stop_post, exec_reload;
    char *pid_file;
    bool remain_after_exit;
    enum restart_policy restart;
    uint64_t restart_usec; /* RestartSec=, default 100ms */
    unsigned restart_steps;
    uint64_t restart_max_delay_usec; /* default infinity */
    struct exit_status_set success_exit_status;
    uint64_t timeout_start_usec; /* default 90s; infinity for oneshot unless set */
    bool timeout_start_set;      /* TimeoutStartSec=/TimeoutSec= was written */
    uint64_t timeout_stop_usec;  /* default 90s */
    enum kill_mode kill_mode;
    int kill_signal; /* default SIGTERM */
    bool send_sigkill;

    char *user, *group;
    struct strv supplementary_groups;
    char *working_directory; /* "~" means the user's home */
    bool working_directory_optional; /* written with a '-' prefix */
    struct strv environment;          /* "KEY=VALUE", in order; later wins */
    struct strv environment_files;    /* paths; a leading '-' kept: missing is fine */
    mode_t umask;                     /* default 0022 */
    bool nice_set;
    int nice;
    bool limit_set[UNIT_NLIMITS];
    struct rlimit limits[UNIT_NLIMITS];

    enum output_kind std_output; /* default journal */
    char *std_output_path;
    enum output_kind std_error; /* default OUTPUT_DEFAULT: follow std_output */
    char *std_error_path;
    char *syslog_identifier;
    uint64_t log_max_size;   /* X-LogMaxSize=: rotate file output; 0 = never */
    unsigned log_max_files;  /* X-LogMaxFiles=: rotated files kept */
    bool log_max_size_set, log_max_files_set; /* else pxinit.conf's defaults */

    uint64_t watchdog_usec;
    enum notify_access notify_access;
    bool notify_access_set;
    enum unit_action success_action, failure_action;
};

/* Allocates a unit named name ("web.service") with systemd's defaults. */
struct unit *unit_new(const char *name);
void unit_free(struct unit *u);
/* True when a and b would run the same way (every parsed key equal). */
bool unit_equal(const struct unit *a, const struct unit *b);

/* "web.service" -> "web" (pointer into name, length in *len). */
const char *unit_short_name(const char *name, size_t *len);
/* Appends ".service" when name has no suffix; returns a new string or NULL. */
char *unit_name_normalize(const char *name);
/* True for names systemd accepts for a service: [A-Za-z0-9:_.@\-]+ ending in .service. */
bool unit_name_valid(const char *name);

/* Frees every command of the list and empties it. */
void exec_list_clear(struct exec_list *l);
void condition_list_clear(struct condition_list *l);
void exit_status_set_clear(struct exit_status_set *s);
bool exit_status_set_has_code(const struct exit_status_set *s, int code);
bool exit_status_set_has_signal(const struct exit_status_set *s, int sig);

#endif
