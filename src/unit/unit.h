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

#include "base/sockaddr.h"
#include "base/strv.h"

/* What kind of unit a file is, by its suffix: each kind has its runtime
 * operations in core/unit_type.h (a service's machine, a target's). */
enum unit_kind {
    UNIT_KIND_SERVICE, /* .service */
    UNIT_KIND_TARGET,  /* .target */
    UNIT_KIND_TIMER,   /* .timer */
    UNIT_KIND_SOCKET,  /* .socket */
    UNIT_KIND_MAX,
};

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
    OUTPUT_SOCKET,   /* socket: an Accept=yes instance's connection (StandardInput=socket) */
};

/* StandardInput=: what fd 0 of a service is. */
enum input_kind {
    INPUT_NULL,   /* /dev/null, the default */
    INPUT_SOCKET, /* an Accept=yes instance's connection (and stdout's default) */
};

/* RuntimeDirectory= and its siblings, under /run, /var/lib, /var/cache,
 * /var/log and /etc. */
enum exec_dir_type {
    EXEC_DIR_RUNTIME,
    EXEC_DIR_STATE,
    EXEC_DIR_CACHE,
    EXEC_DIR_LOGS,
    EXEC_DIR_CONFIGURATION,
    EXEC_DIR_MAX,
};

enum dir_preserve {
    DIR_PRESERVE_NO,
    DIR_PRESERVE_YES,
    DIR_PRESERVE_RESTART,
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

/* IOSchedulingClass=, numbered as the kernel's ioprio classes. */
enum io_class {
    IO_CLASS_NONE, /* read as best-effort at level 4, as systemd reads it */
    IO_CLASS_REALTIME,
    IO_CLASS_BEST_EFFORT,
    IO_CLASS_IDLE,
};

/* One Exec*= line: prefix flags (cmdline.h enum exec_flags) and the text after
 * them, split into words only at spawn time, when the environment is known. */
struct exec_command {
    char *line;
    int flags;
    unsigned lineno; /* where it was written, for error messages */
};

struct exec_list {
    struct exec_command *v;
    uint32_t n;
    bool packed; /* the array and its lines are one allocation (exec_list_pack()) */
};

/* Condition*=/Assert*=: the kind, a path (or, from COND_CAPABILITY on, a
 * word), '!' negation, '|' trigger (at least one trigger condition must
 * hold). */
enum condition_kind {
    COND_PATH_EXISTS,
    COND_PATH_EXISTS_GLOB,
    COND_PATH_IS_DIRECTORY,
    COND_PATH_IS_SYMLINK,
    COND_DIRECTORY_NOT_EMPTY,
    COND_FILE_NOT_EMPTY,
    COND_FILE_IS_EXECUTABLE,
    COND_PATH_IS_MOUNT_POINT,
    COND_PATH_IS_READ_WRITE,
    /* Not paths: the value is a word. */
    COND_CAPABILITY,     /* in pxinit's capability bounding set */
    COND_VIRTUALIZATION, /* a boolean, vm, container, private-users or a name */
    COND_AC_POWER,       /* a boolean */
};

struct path_condition {
    char *path; /* or the word of a COND_CAPABILITY and later kind */
    bool negate;
    bool trigger;
    bool is_assert;
    enum condition_kind kind;
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

/* The parts of a unit most units never set live in separately allocated
 * structs, allocated when a key of theirs is first written (unit_part()):
 * an idle unit with an ExecStart= and little else costs a small struct unit.
 * A NULL part reads as its defaults; use the unit_*() accessors below to
 * read, which return a shared default instance for a missing part. */
enum unit_part {
    UNIT_PART_NONE, /* a field of struct unit itself */
    UNIT_PART_DEPS,
    UNIT_PART_EXEC,
    UNIT_PART_LIMITS,
    UNIT_PART_DIRS,
    UNIT_PART_CMDS,
    UNIT_PART_STATUS,
    UNIT_PART_OUTPUT,
    UNIT_PART_TIMER,
    UNIT_PART_SOCKET,
    UNIT_PART_MAX,
};

/* Names of other units: [Unit] dependencies, aliases. */
struct unit_deps {
    struct strv aliases;       /* other names it answers to */
    struct strv install_alias; /* [Install] Alias= */
    struct strv after, before, requires, wants;
    struct strv requisite, binds_to, part_of, conflicts;
    struct strv sockets; /* [Service] Sockets=: .socket names whose fds it gets */
    /* The drop-ins applied, in that order (show's DropInPaths); not a
     * setting: unit_equal() does not compare them. */
    struct strv dropin_paths;
    /* Keys systemd has that pxinit accepts without enforcing them
     * ("PrivateTmp"), each once, at most UNIT_NOT_ENFORCED_MAX: for status
     * and the boot's one summary line. Not a setting either. */
    struct strv not_enforced;
};
#define UNIT_NOT_ENFORCED_MAX 64

/* How its processes are set up: credentials, directory, environment. */
struct unit_exec {
    char *user, *group;
    struct strv supplementary_groups;
    char *working_directory;       /* "~" means the user's home */
    struct strv environment;       /* "KEY=VALUE", in order; later wins */
    struct strv environment_files; /* paths; a leading '-' kept: missing is fine */
    struct strv pass_environment;  /* names (pxinit passes its environment anyway) */
    struct strv unset_environment; /* names or exact KEY=VALUE assignments */
    mode_t umask;                  /* default 0022 */
    int oom_score_adjust;
    int nice;
    int cpu_sched_policy;            /* CPUSchedulingPolicy=: SCHED_OTHER... */
    int cpu_sched_priority;          /* CPUSchedulingPriority=, 0..99 */
    int8_t ioprio_class;             /* IOSchedulingClass=: enum io_class, default best-effort */
    int8_t ioprio_level;             /* IOSchedulingPriority=, 0..7, default 4 */
    bool working_directory_optional; /* written with a '-' prefix */
    bool cpu_sched_set;              /* any CPUScheduling*= written */
    bool cpu_sched_reset_on_fork;
    bool ioprio_set; /* either IOScheduling*= written */
    bool oom_score_adjust_set;
    bool nice_set;
    bool no_new_privileges;
    enum input_kind std_input : 8; /* StandardInput= */
    unsigned fd_store_max;         /* FileDescriptorStoreMax=, default 0 */
};

/* Limit*= */
struct unit_limits {
    bool set[UNIT_NLIMITS];
    struct rlimit v[UNIT_NLIMITS];
};

/* RuntimeDirectory= and its siblings. */
struct unit_dirs {
    struct strv paths[EXEC_DIR_MAX]; /* relative paths */
    mode_t mode[EXEC_DIR_MAX];       /* default 0755 */
};

/* Commands besides ExecStart=, and the Condition*=/Assert*= checks. */
struct unit_cmds {
    struct exec_list exec_start_pre, exec_start_post;
    struct exec_list exec_stop, exec_stop_post, exec_reload;
    struct exec_list exec_condition; /* ExecCondition= */
    struct condition_list conditions;
};

/* Which exits count as success, prevent or force a restart. */
struct unit_status {
    struct exit_status_set success_exit_status;
    struct exit_status_set restart_prevent; /* RestartPreventExitStatus= */
    struct exit_status_set restart_force;   /* RestartForceExitStatus= */
};

/* Where output goes besides the journal, and how it is named. */
struct unit_output {
    char *std_output_path;
    char *std_error_path;
    char *syslog_identifier;
    uint64_t log_max_size;                    /* X-LogMaxSize=: rotate file output; 0 = never */
    unsigned log_max_files;                   /* X-LogMaxFiles=: rotated files kept */
    bool log_max_size_set, log_max_files_set; /* else pxinit.conf's defaults */
};

/* [Timer]: what a .timer says (systemd.timer(5)). */
enum timer_base {
    TIMER_ACTIVE,        /* OnActiveSec=: after the timer itself started */
    TIMER_BOOT,          /* OnBootSec=: after boot (pxinit's start in a container) */
    TIMER_STARTUP,       /* OnStartupSec=: after pxinit started */
    TIMER_UNIT_ACTIVE,   /* OnUnitActiveSec=: after the unit last became active */
    TIMER_UNIT_INACTIVE, /* OnUnitInactiveSec=: after the unit last became inactive */
    TIMER_CALENDAR,      /* OnCalendar= */
};

struct calendar_spec;

struct timer_value {
    uint64_t usec;             /* the span of a monotonic base */
    struct calendar_spec *cal; /* TIMER_CALENDAR: its event (base/calendar.h) */
    enum timer_base base;      /* (after the pointers: 24 bytes, not 32) */
    unsigned lineno;           /* where it was written, for messages */
};

struct unit_timer {
    struct timer_value *v; /* in the order written; an empty On*= drops them all, as systemd */
    size_t n;
    /* Unit=: what an elapse starts. unit_finalize() fills in the default,
     * NAME.service; NULL (a timer never finalized) means the same. */
    char *unit;
    uint64_t accuracy_usec;         /* AccuracySec=, default 1min */
    uint64_t randomized_delay_usec; /* RandomizedDelaySec=, default 0 */
    bool persistent;                /* Persistent= */
    bool wake_system;               /* WakeSystem= (accepted, ignored) */
    bool remain_after_elapse;       /* RemainAfterElapse=, default yes */
    bool on_clock_change;           /* OnClockChange= */
    bool on_timezone_change;        /* OnTimezoneChange= */
    bool fixed_random_delay;        /* FixedRandomDelay= */
};

/* A directory unit files were found in, shared (counted) by the units
 * loaded from it: a copy of the path in every unit cost 40 to 80 bytes of
 * each unit's memory. */
/* [Socket]: what a .socket says (systemd.socket(5)). */
enum socket_listen_kind {
    SOCKET_LISTEN_STREAM,    /* ListenStream= */
    SOCKET_LISTEN_DATAGRAM,  /* ListenDatagram= */
    SOCKET_LISTEN_SEQPACKET, /* ListenSequentialPacket= */
    SOCKET_LISTEN_FIFO,      /* ListenFIFO= (addr unused, text is the path) */
};

enum bind_ipv6_only {
    BIND_IPV6_DEFAULT, /* the kernel's net.ipv6.bindv6only */
    BIND_IPV6_BOTH,
    BIND_IPV6_ONLY,
};

struct socket_listen {
    char *text;            /* as written, specifiers expanded: what list-sockets shows */
    struct sock_addr addr; /* parsed (base/sockaddr.h); a bare port is [::]:PORT */
    enum socket_listen_kind kind;
    unsigned lineno; /* where it was written, for messages */
};

struct unit_socket {
    struct socket_listen *v; /* in the order written; an empty Listen*= drops them all */
    size_t n;
    /* Service=: what Accept=no activates; NULL means NAME.service.
     * Accept=yes always activates NAME@.service instances. */
    char *service;
    char *fd_name;                        /* FileDescriptorName=; NULL: the unit's name */
    char *socket_user, *socket_group;     /* SocketUser=, SocketGroup=; NULL: root */
    struct strv symlinks;                 /* Symlinks=: absolute paths */
    uint64_t trigger_limit_interval_usec; /* TriggerLimitIntervalSec=, default 2s */
    uint64_t receive_buffer, send_buffer; /* ReceiveBuffer=, SendBuffer=; 0: the kernel's */
    unsigned trigger_limit_burst;         /* TriggerLimitBurst=; default 20, Accept=yes 200 */
    unsigned backlog;                     /* Backlog=, default SOMAXCONN */
    unsigned max_connections;             /* MaxConnections=, default 64 */
    unsigned max_connections_per_source;  /* MaxConnectionsPerSource=, default MaxConnections */
    mode_t socket_mode;                   /* SocketMode=, default 0666 */
    mode_t directory_mode;                /* DirectoryMode=, default 0755 */
    enum bind_ipv6_only bind_ipv6_only : 8;
    bool accept;                                                  /* Accept= */
    bool remove_on_stop;                                          /* RemoveOnStop= */
    bool reuse_port;                                              /* ReusePort= */
    bool free_bind;                                               /* FreeBind= */
    bool pass_credentials;                                        /* PassCredentials= */
    bool keep_alive;                                              /* KeepAlive= */
    bool no_delay;                                                /* NoDelay= */
    bool trigger_limit_burst_set, max_connections_per_source_set; /* written, else defaults */
    /* ExecStartPre=/ExecStartPost=/ExecStopPre=/ExecStopPost= of a socket
     * live in struct unit_cmds (exec_start_pre, exec_start_post, exec_stop,
     * exec_stop_post). */
};

struct unit_dir {
    unsigned refs;
    char path[];
};

struct unit {
    char *name; /* "web.service" */
    /* The file it was loaded from; read it with unit_path(). */
    union {
        char *own_path;       /* !in_dir: its own copy (NULL: made in memory) */
        struct unit_dir *dir; /* in_dir: the file is DIR/NAME */
    };
    char *description;

    /* The optional parts (see enum unit_part); NULL: all defaults. */
    struct unit_deps *deps;
    struct unit_exec *exec;
    struct unit_limits *limits;
    struct unit_dirs *dirs;
    struct unit_cmds *cmds;
    struct unit_status *status;
    struct unit_output *output;
    struct unit_timer *timer;   /* .timer only */
    struct unit_socket *socket; /* .socket only */

    struct exec_list exec_start;
    char *pid_file;

    uint64_t start_limit_interval_usec; /* default 10s; 0 disables the limit */
    uint64_t restart_usec;              /* RestartSec=, default 100ms */
    uint64_t restart_max_delay_usec;    /* default infinity */
    uint64_t timeout_start_usec;        /* default 90s; infinity for oneshot unless set */
    uint64_t timeout_stop_usec;         /* default 90s */
    uint64_t watchdog_usec;
    unsigned start_limit_burst; /* default 5 */
    unsigned restart_steps;

    /* Small values in a byte each (there is one struct unit per unit, and
     * 184 bytes fit malloc's 192-byte chunk where 216 took 224): the enums
     * as 8-bit fields (their parsers assign them by name), the signals as
     * bytes (parse_signal writes those through their offset). */
    enum unit_type type : 8; /* default simple, oneshot when ExecStart= is missing */
    enum restart_policy restart : 8;
    enum kill_mode kill_mode : 8;
    enum output_kind std_output : 8; /* default journal */
    enum output_kind std_error : 8;  /* default OUTPUT_DEFAULT: follow std_output */
    enum notify_access notify_access : 8;
    enum unit_action success_action : 8, failure_action : 8;
    enum dir_preserve runtime_dir_preserve : 8;
    uint8_t kill_signal;         /* default SIGTERM */
    uint8_t restart_kill_signal; /* 0: KillSignal= */
    uint8_t final_kill_signal;   /* default SIGKILL */
    enum unit_kind kind : 8;     /* from the name's suffix (unit_new()) */

    bool loaded;       /* false when a malformed value made it fail to load */
    bool instantiated; /* made from its template on request (pxinit start name@inst) */
    bool type_set;
    bool remain_after_exit;
    bool timeout_start_set; /* TimeoutStartSec=/TimeoutSec= was written */
    bool send_sigkill;
    bool send_sighup;
    bool notify_access_set;
    bool in_dir;         /* the file is dir->path + "/" + name */
    bool ignore_sigpipe; /* IgnoreSIGPIPE=, default yes: SIGPIPE ignored in the service */
    bool std_output_set; /* StandardOutput= written: StandardInput=socket changes no default */
};

/* The part of u that part names, allocated (with its defaults) when missing;
 * NULL with errno ENOMEM. UNIT_PART_NONE gives u itself. */
void *unit_part(struct unit *u, enum unit_part part);

/* Read access to the optional parts: a missing part reads as its defaults. */
extern const struct unit_deps unit_deps_default;
extern const struct unit_exec unit_exec_default;
extern const struct unit_limits unit_limits_default;
extern const struct unit_dirs unit_dirs_default;
extern const struct unit_cmds unit_cmds_default;
extern const struct unit_status unit_status_default;
extern const struct unit_output unit_output_default;
extern const struct unit_timer unit_timer_default;
extern const struct unit_socket unit_socket_default;

static inline const struct unit_deps *unit_deps(const struct unit *u)
{
    return u->deps ? u->deps : &unit_deps_default;
}
static inline const struct unit_exec *unit_exec(const struct unit *u)
{
    return u->exec ? u->exec : &unit_exec_default;
}
static inline const struct unit_limits *unit_limits(const struct unit *u)
{
    return u->limits ? u->limits : &unit_limits_default;
}
static inline const struct unit_dirs *unit_dirs(const struct unit *u)
{
    return u->dirs ? u->dirs : &unit_dirs_default;
}
static inline const struct unit_cmds *unit_cmds(const struct unit *u)
{
    return u->cmds ? u->cmds : &unit_cmds_default;
}
static inline const struct unit_status *unit_status(const struct unit *u)
{
    return u->status ? u->status : &unit_status_default;
}
static inline const struct unit_output *unit_output(const struct unit *u)
{
    return u->output ? u->output : &unit_output_default;
}
static inline const struct unit_timer *unit_timer(const struct unit *u)
{
    return u->timer ? u->timer : &unit_timer_default;
}
static inline const struct unit_socket *unit_socket(const struct unit *u)
{
    return u->socket ? u->socket : &unit_socket_default;
}

/* Allocates a unit named name ("web.service") with systemd's defaults. */
struct unit *unit_new(const char *name);
/* Its short name ("web"): kept right after name in name's allocation, so it
 * costs no allocation of its own and lives exactly as long as the unit. */
const char *unit_name_short(const struct unit *u);
void unit_free(struct unit *u);
/* The file u was loaded from (in buf when it has to be put together), or
 * NULL when it was made in memory. */
const char *unit_path(const struct unit *u, char *buf, size_t size);
/* Records that u's file is DIR/NAME (before it is parsed); takes a reference. */
void unit_set_dir(struct unit *u, struct unit_dir *dir);
/* A shared directory name with one reference; NULL with ENOMEM. */
struct unit_dir *unit_dir_new(const char *path);
void unit_dir_unref(struct unit_dir *dir);
/* True when a and b would run the same way (every parsed key equal). */
bool unit_equal(const struct unit *a, const struct unit *b);

/* "web.service" -> "web" (pointer into name, length in *len). */
const char *unit_short_name(const char *name, size_t *len);
/* Appends ".service" when name has no suffix; returns a new string or NULL. */
char *unit_name_normalize(const char *name);
/* The kind a name's suffix says; -1 for other types (.mount, .path, ...)
 * and for names without a known suffix. */
int unit_kind_of_name(const char *name);
/* True for names systemd accepts for a service: [A-Za-z0-9:_.@\-]+ ending in .service. */
bool unit_name_valid(const char *name);

/* Frees every command of the list and empties it. */
void exec_list_clear(struct exec_list *l);
/* Moves the commands and their lines into one allocation, once the unit is
 * parsed: a line and an array of one cost two malloc chunks per unit. Left
 * as it was when out of memory. exec_list_unpack() undoes it (0 or -1). */
void exec_list_pack(struct exec_list *l);
int exec_list_unpack(struct exec_list *l);
void condition_list_clear(struct condition_list *l);
void exit_status_set_clear(struct exit_status_set *s);
bool exit_status_set_has_code(const struct exit_status_set *s, int code);
bool exit_status_set_has_signal(const struct exit_status_set *s, int sig);

#endif
