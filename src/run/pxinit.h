/* pxinit.h - the daemon's one state object, hung on the loop with
 * ev_set_userdata(); every callback finds everything from there. */
#ifndef PXINIT_PXINIT_H
#define PXINIT_PXINIT_H

#include <ev.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>

#include "config/conf.h"
#include "config/options.h"
#include "base/pidmap.h"
#include "base/ratelimit.h"
#include "run/hooks.h"
#include "run/reap.h"
#include "run/signals.h"
#include "core/service.h"
#include "base/strv.h"
#include "run/propagate.h"
#include "run/unit_table.h"

struct termed;

struct spawn_job;
struct pull;
struct timers;
struct sockets;
struct fdstores;
struct ctl;
struct output;
struct notify_ops;

/* The main command given after "--". */
struct mainproc {
    pid_t pid; /* 0 before start and after it was reaped */
    int pidfd;
    int report_fd; /* exec errors from the child; EOF = exec succeeded */
    bool started;
    bool exited;
    int status;          /* wait status once exited */
    int exit_code;       /* what pxinit exits with */
    ev_timer kill_timer; /* SIGKILL after --grace once asked to stop */
    int tty_mode;        /* enum tty_mode: how it got the terminal */
    int *passed_fds;     /* the launcher's fds above 2, passed on to it */
    size_t npassed_fds;
};

enum pxinit_phase {
    PHASE_BOOT, /* starting units in order */
    PHASE_RUNNING,
    PHASE_STOPPING, /* stopping units in reverse order */
    PHASE_KILLING,  /* signalling whatever is left */
    PHASE_DONE,
};

/* The boot and shutdown jobs (job_queue.c). */
struct job_queue {
    struct service **v; /* cap slots: each unit is queued at most once per phase */
    size_t cap, head, tail;
    bool draining;
    size_t boot_pending; /* start jobs not finished yet */
    size_t stop_pending; /* units not settled during shutdown */
};

struct pxinit {
    struct ev_loop *loop;
    struct options opts;
    struct manager_config conf; /* pxinit.conf, then command-line overrides */
    bool is_pid1;
    enum pxinit_phase phase;
    int exit_code;
    bool shutdown_requested; /* asked to stop while the main command runs */
    bool exit_code_fixed;    /* Success/FailureAction=exit chose it: phase_step() stops */

    /* What pxinit was started with: the main command gets it back. */
    sigset_t launch_mask;
    struct sigaction launch_actions[NSIG];
    struct strv base_env; /* services start from pxinit's environment */
    char *launch_cwd;     /* pxinit itself moves to "/" */
    mode_t launch_umask;
    /* RLIMIT_NOFILE as launched; pxinit raised its own soft limit (a unit
     * holds a descriptor) and children get this one back. NULL: unchanged. */
    struct rlimit launch_nofile;
    const struct rlimit *nofile_restore;

    /* The units: one table, sorted by name, each service with its unit and
     * the start order (unit_table.h); only its API changes it. */
    struct unit_table table;
    ev_idle reload_settle;            /* what a daemon-reload left waiting (reload.c) */
    ev_timer reload_retry;            /* ... when it waits for no state change */
    struct job_queue jobq;            /* boot and shutdown jobs (job_queue.c) */
    struct propagate_queue propagate; /* Requires=, BindsTo=, ... (propagate.c) */
    struct service *killing;          /* units waiting for their processes to go */
    struct pull *pull;                /* what started targets pull in (pull.c); NULL until then */
    struct timers *timers;     /* timer units' clocks and index (timer_run.c); NULL without */
    struct sockets *sockets;   /* socket units' watchers and index (socket_run.c); NULL without */
    struct fdstores *fdstores; /* services' FDSTORE=1 fds (fdstore.c); NULL without */

    struct pidmap pids;
    struct spawn_job *jobs;  /* spawns whose report was not read yet */
    size_t njobs, jobs_peak; /* how many, and the most since the last trim (launch.c) */

    struct mainproc main;
    struct output *output; /* captured service output (output/) */

    char *notify_path; /* $RUNTIME_DIR/notify, NULL when unavailable */
    ev_io notify_watcher;
    struct ratelimit notify_warnings; /* about bad datagrams, per sender pid */
    struct ctl *ctl;                  /* control socket, status board (control.c); NULL without */
    /* Where datagrams go (notify_init()). */
    const struct notify_ops *notify_ops;
    /* What run/ tells the control plane, which fills them in (hooks.h). */
    struct run_hooks hooks;

    /* The signalfd of every signal pxinit takes, the sigwait trick's registry (signals.c). */
    struct signals signals;
    struct reaper reaper; /* SIGCHLD, pidfds, sweeps (reap.c) */
    ev_timer kill_timer;  /* the grace period of the final kill */
    bool kill_sent_sigkill;
    struct termed *termed; /* as a subreaper: the children SIGTERM reached (phase.c) */
    size_t ntermed;
    ev_idle exit_idle; /* leaves the loop once all is done */
};

#endif
