/* service.h - the runtime state of one unit and its state machine.
 *
 * Pure: every effect (spawning, signalling, arming the timer, reading the
 * clock) goes through struct svc_ops, so unit tests drive the machine with
 * synthetic events and never fork. supervisor.c supplies the real operations.
 *
 * States follow systemd: the sub-state (enum svc_sub) is what the machine
 * switches on; the active state (inactive, activating, ...) is derived from it.
 */
#ifndef PXINIT_SERVICE_H
#define PXINIT_SERVICE_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/restart.h"
#include "unit/condition.h"
#include "unit/unit.h"

enum svc_state {
    SVC_INACTIVE,
    SVC_ACTIVATING,
    SVC_ACTIVE,
    SVC_DEACTIVATING,
    SVC_FAILED,
};

enum svc_sub {
    SUB_DEAD,
    SUB_START_PRE,
    SUB_START,
    SUB_START_POST,
    SUB_RUNNING,
    SUB_EXITED, /* oneshot with RemainAfterExit=yes */
    SUB_STOP,   /* ExecStop= running */
    SUB_STOP_SIGTERM,
    SUB_STOP_SIGKILL,
    SUB_STOP_POST,
    SUB_FINAL_SIGTERM,
    SUB_FINAL_SIGKILL,
    SUB_FAILED,
    SUB_AUTO_RESTART,
    SUB_CONDITION, /* ExecCondition= running */
    SUB_RELOAD,    /* ExecReload= running; the unit stays active */
};

/* Which list a control process runs from. */
enum svc_control {
    CONTROL_NONE,
    CONTROL_CONDITION,
    CONTROL_START_PRE,
    CONTROL_START_POST,
    CONTROL_STOP,
    CONTROL_STOP_POST,
    CONTROL_RELOAD,
};

/* A process of the unit: the main process or the current control process. */
struct svc_proc {
    pid_t pid;      /* 0 when none (or not known yet) */
    int pidfd;      /* -1 when none: signals to pid go through it */
    pid_t pgid;     /* its process group; kept after pid is reaped until empty */
    pid_t pin;      /* an unreaped child in that group (supervisor.c): 0 with pgid */
    uint16_t flags; /* the command's exec_flags (cmdline.h) */
    bool pending;   /* spawned, pid not reported yet */
    void *job;      /* the supervisor's spawn job while its pipe is open */
};

/* When a unit's state last changed, systemd's per-unit timestamps
 * (realtime usec, 0: never), and its last main process (ExecMain*). */
struct svc_stamps {
    uint64_t state_change;
    uint64_t active_enter, active_exit;
    uint64_t inactive_enter, inactive_exit;
    uint64_t exec_main_start, exec_main_exit;
    uint64_t condition, assert_; /* when Condition*=, Assert*= were last checked */
    pid_t exec_main_pid;
    int exec_main_status;   /* the exit code, or the signal (systemd's ExecMainStatus) */
    uint8_t exec_main_code; /* 0 none, else CLD_EXITED, CLD_KILLED or CLD_DUMPED */
    uint8_t last_state;     /* the active state code noted last (wire/unit_state.h) */
    bool condition_result, assert_result; /* as they were then */
};

struct service;
struct output_unit;
struct timer_rt;
struct socket_rt;

/* Requirement dependencies, kept on both ends (supervisor-owned). */
enum svc_dep_kind {
    DEP_REQUIRES = 1 << 0,
    DEP_REQUISITE = 1 << 1,
    DEP_BINDS_TO = 1 << 2,
    DEP_PART_OF = 1 << 3,
    DEP_CONFLICTS = 1 << 4,
    DEP_WANTS = 1 << 5, /* only pulls in: a target's start starts it (run/pull.c) */
};

struct svc_dep {
    struct service *s;
    unsigned kinds;
};

/* A unit's ordering and requirement links to other units (supervisor-owned,
 * built by unit_load.c). Most units have none: they share svc_links_none,
 * so an unlinked unit pays a pointer, not 48 bytes. Read through s->links;
 * change only through svc_links_edit(). */
struct svc_links {
    struct service **succ; /* units ordered after this one (cycles broken) */
    struct service **pred; /* units this one is ordered after */
    struct svc_dep *rdeps; /* units that Require=/BindsTo=/PartOf=/Conflicts= this one */
    struct svc_dep *deps;  /* units this one Requires=/Requisite=/BindsTo=/Conflicts= */
    unsigned nsucc, npred, nrdeps, ndeps;
};
extern const struct svc_links svc_links_none;

/* For svc_ops.timer: as soon as possible (RestartSec=0), not "disarm". */
#define SVC_TIMER_NOW 1

struct svc_ops {
    /* Starts cmd as the main (is_main) or the control process: fills the
     * proc's pending flag; the pid arrives later through svc_proc_started().
     * Returns 0, or -1 with errno when nothing could be started. */
    int (*spawn)(struct service *s, const struct exec_command *cmd, bool is_main);
    /* Sends sig to proc: the whole process group when group is true, else its
     * pid only (through the pidfd). */
    void (*kill)(struct service *s, struct svc_proc *p, int sig, bool group);
    /* True while any process of proc's group is left. */
    bool (*group_alive)(struct service *s, struct svc_proc *p);
    /* Arms the service's one timer to fire after usec (USEC_INFINITY or 0:
     * disarm; SVC_TIMER_NOW: in the next loop iteration, without sleeping). */
    void (*timer)(struct service *s, uint64_t usec);
    /* Called after every sub-state change. */
    void (*changed)(struct service *s, enum svc_sub old);
    /* Monotonic time in usec. */
    uint64_t (*now)(struct service *s);
    /* The machine stops tracking a live process (may be NULL): release the
     * pidfd and index entry held for it. */
    void (*forget)(struct service *s, struct svc_proc *p);
    /* Re-arms the timer to usec from now when that is later than it would
     * fire (EXTEND_TIMEOUT_USEC=); may be NULL. */
    void (*timer_extend)(struct service *s, uint64_t usec);
    /* Type=forking: finds the daemon the start process left (PIDFile=, or
     * the one process it can be) and makes it s->main. 0 or -1; may be NULL. */
    int (*find_main)(struct service *s);
    /* Evaluates the unit's Condition*= and Assert*= now (they read the
     * file system, so not in the machine); on failure *what is the first
     * that did not hold. The real one is condition_check(). */
    enum condition_result (*check_conditions)(const struct unit *u,
                                              const struct path_condition **what);
};

/* Fields are grouped by size, largest first, so that the struct has no
 * holes, and the small ones are bit-fields: there is one per unit, and
 * malloc rounds it up to 16 bytes plus 8 (280 bytes make a 288-byte chunk).
 * What only some units need hangs off pointers: the watchdog timer
 * (allocated when first armed) and the links to other units. */
struct service {
    struct unit *unit;
    const char *name; /* short name, for logs: "web" */
    const struct svc_ops *ops;
    void *ctx; /* the supervisor's */
    struct svc_proc main, control;
    char *status_text; /* the last STATUS= */
    struct start_limit start_limit;
    uint64_t since_usec;      /* time of the last state change (ops->now: ev_now's) */
    struct svc_stamps stamps; /* for `show` (unit_stamps_changed()) */

    /* Owned by the supervisor. */
    ev_timer timer;
    union {
        ev_timer *watchdog; /* a service's WatchdogSec=: armed while running; NULL until then */
        struct timer_rt *timer_rt;   /* a timer's runtime (core/timer.h); never a service's */
        struct socket_rt *socket_rt; /* a socket's runtime (core/socket.h) */
    };
    uint64_t watchdog_usec;                /* WatchdogSec=, or a WATCHDOG_USEC= override */
    const struct svc_links *links;         /* never NULL: &svc_links_none when it has none */
    struct service *kill_next, *kill_prev; /* in the list of units being killed */
    struct output_unit *output;            /* captured output and recent lines (output/) */

    unsigned control_idx; /* next command of the control list */
    unsigned start_idx;   /* next ExecStart= (oneshot runs them in turn) */
    int status_errno;     /* the last ERRNO= */
    int last_status;      /* wait status of the last main process */
    unsigned restarts;    /* automatic restarts since the last explicit start */

    /* Owned by the supervisor. */
    unsigned idx;        /* position in the unit table (run/unit_table.h) */
    unsigned wait_count; /* ordering dependencies not yet done */
    int board_slot;      /* its status board record, -1 when none (control.c) */

    /* $INVOCATION_ID of this run (launch.c), as 16 bytes; it is shown as 32
     * hex digits (svc_invocation_id()). Valid when have_invocation_id. */
    uint8_t invocation_id[16];

    enum svc_sub sub : 8;
    enum service_result result : 8;
    enum svc_control control_kind : 8;
    enum service_result reload_result : 8; /* of the last reload */
    bool have_invocation_id : 1;
    bool stop_wanted : 1;      /* last request was stop: no auto-restart */
    bool start_after_stop : 1; /* a start (restart) arrived while stopping */
    bool restart_stopped : 1;  /* only while a restart's stop enters dead: for its log line */
    bool started_ok : 1;       /* reached running/exited: ExecStop= applies */
    bool skip_run : 1;         /* ExecCondition= said skip: no restart */
    bool reloading : 1;        /* RELOADING=1 seen, READY=1 not yet */
    bool have_exit : 1;        /* last_status is valid */
    bool mainpid_refused : 1;  /* a MAINPID= of this run was refused (logged once) */
    bool no_process : 1;       /* inside svc_spawn_failed() */

    /* Owned by the supervisor. */
    bool queued : 1;           /* has a pending boot or shutdown job */
    bool job_started : 1;      /* that job's start/stop was issued */
    bool dep_failed : 1;       /* a required unit it is ordered after failed to start */
    bool restart_visiting : 1; /* unit_restart() is propagating from here */
    bool in_kill_list : 1;
};

/* s's links, made private to it first (allocated when it shared
 * svc_links_none); NULL with errno ENOMEM. */
struct svc_links *svc_links_edit(struct service *s);
/* Frees the ordering links (succ, pred), the requirement links (rdeps,
 * deps), or both; s shares svc_links_none again once it has none. */
void svc_links_clear_order(struct service *s);
void svc_links_clear_requirements(struct service *s);
void svc_links_free(struct service *s);
/* $INVOCATION_ID as 32 hex digits and a NUL; "" when the run has none. */
void svc_invocation_id(const struct service *s, char out[33]);

/* The active state systemd would show for a sub-state. */
enum svc_state svc_state_of(enum svc_sub sub);
const char *svc_state_name(enum svc_state state);
const char *svc_sub_name(enum svc_sub sub);

void svc_init(struct service *s, struct unit *u, const struct svc_ops *ops, void *ctx);
/* Gives s a new definition of its unit (daemon-reload; the same name). */
void svc_set_unit(struct service *s, struct unit *u);
/* Frees what svc_init() allocated; the caller stopped the watchers. */
void svc_release(struct service *s);

/* The main process is s->main.pid from now on (spawned, or named by
 * PIDFile=/MAINPID=): its ExecMain* record starts afresh (svc_stamps.c). */
void svc_stamps_main_start(struct service *s);

/* Checks s's Condition*= and Assert*= through s->ops, recording the
 * results and the time for `show` (ConditionResult=, AssertResult=). */
enum condition_result svc_conditions_check(struct service *s, const struct path_condition **what);

/* reset-failed: a failed service becomes dead (unit_reset_failed()). */
void svc_reset_failed(struct service *s);

/* Requests. svc_start() also resets the restart counter when explicit. */
void svc_start(struct service *s, bool explicit_request);
void svc_stop(struct service *s);
/* Stop, then start again when the stop is done (systemctl restart). The
 * units that Requires=/PartOf= it follow through unit_restart(). */
void svc_restart(struct service *s);

enum svc_reload_result {
    SVC_RELOAD_STARTED,     /* ExecReload= runs; the unit returns to running */
    SVC_RELOAD_UNSUPPORTED, /* no ExecReload=: refused, never a signal instead */
    SVC_RELOAD_NOT_ACTIVE,  /* only a running (or exited) unit can reload */
    SVC_RELOAD_FAILED,      /* nothing could be spawned */
};
/* Runs ExecReload= as a control process (systemctl reload). */
enum svc_reload_result svc_reload(struct service *s);

/* Events from the supervisor. */
void svc_proc_started(struct service *s, struct svc_proc *p);
void svc_exec_done(struct service *s, struct svc_proc *p); /* exec succeeded */
void svc_proc_exited(struct service *s, struct svc_proc *p, int wait_status);
/* p's process was never created (its fork failed after spawn returned): as
 * when spawn fails, systemd's result "resources", and no exit status. */
void svc_spawn_failed(struct service *s, struct svc_proc *p);
void svc_timer_fired(struct service *s);
/* Some process (perhaps an orphan of this unit) was reaped: re-check groups. */
void svc_reaped_other(struct service *s);

/* sd_notify(3) events, already checked against NotifyAccess=. */
void svc_notify_ready(struct service *s);
void svc_notify_stopping(struct service *s);
void svc_notify_extend_timeout(struct service *s, uint64_t usec);
/* WatchdogSec= passed without WATCHDOG=1 (or WATCHDOG=trigger). */
void svc_watchdog_timeout(struct service *s);

/* True when the service sits in a state that needs no more events. */
bool svc_is_settled(const struct service *s);
bool svc_is_busy_starting(const struct service *s);

/* Inside core/ only: the machine's helpers, one file per seam. They are
 * declared here, not in headers of their own, because they need struct
 * service and service.c needs them: two headers would import each other.
 *
 * Of the public functions above, service_record.c has the record's (init,
 * set_unit, release, links, invocation id, restart, is_settled,
 * is_busy_starting, notify_extend_timeout) and svc_proc.c proc_started and
 * spawn_failed; service.c has every one that changes the sub-state.
 *
 * svc_proc.c: the unit's processes and KillMode=. */
void svc_proc_reset(struct svc_proc *p);
bool svc_proc_running(const struct svc_proc *p);
void svc_proc_forget(struct service *s, struct svc_proc *p);
/* Anything of the unit left: its processes or, unless KillMode=process or
 * none, their groups (an empty group is forgotten). */
bool svc_unit_alive(struct service *s);
/* The signal a kill phase sub sends by default. */
int svc_phase_signal(const struct service *s, enum svc_sub sub);
/* Sends a kill phase's sig to what is left of the unit, with SIGCONT (and
 * SIGHUP under SendSIGHUP=) after a SIGTERM phase's signal. */
void svc_kill_phase(struct service *s, int sig, bool sigterm_phase);
/* Sends sig to one proc as a kill phase would under KillMode=. */
void svc_kill_proc(struct service *s, struct svc_proc *p, int sig);

/* svc_cmds.c: the commands, in turn. */
/* Runs the next command of s->control_kind's list. False when the list is
 * done, or nothing could be spawned: then *failed is set. */
bool svc_control_next(struct service *s, bool *failed);
enum svc_next {
    SVC_NEXT_SPAWNED, /* the next ExecStart= runs as the main process */
    SVC_NEXT_NONE,    /* no ExecStart= is left (a oneshot may have none) */
    SVC_NEXT_FAILED,  /* it could not be spawned (logged) */
};
enum svc_next svc_main_next(struct service *s);
/* Type=forking: the daemon the start process left behind is the main
 * process now (from PIDFile=, or guessed); a warning when none is found. */
void svc_main_find(struct service *s);
/* Whether a command's exit counts as success ('-' makes any exit one). */
bool svc_command_ok(const struct service *s, const struct svc_proc *p, int status);
/* ExecCondition= exited 1-254: skip the unit (logged); 255 or a signal
 * fails it. */
bool svc_condition_skips(const struct service *s, int status);
/* Logs a main exit and keeps its status for `status` and Restart=. */
void svc_main_exit_note(struct service *s, int status);
/* Logs why a run is skipped (a condition) or failed (an assertion). */
void svc_condition_log(const struct service *s, const struct path_condition *c,
                       enum condition_result r);

/* svc_stamps.c: the main process's ExecMain* record: exited with a wait
 * status (svc_stamps_main_start() is public, above). */
void svc_stamps_main_exit(struct service *s, int status);

/* service_record.c: a new run's record (start limit, result, invocation
 * id); false when the start limit refuses it (logged). */
bool svc_run_reset(struct service *s);

#endif
