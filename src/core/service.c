/* service.c - the service state machine (systemd's service states).
 *
 * Start:  start-pre -> start -> start-post -> running (or exited)
 * Stop:   stop (ExecStop=) -> stop-sigterm -> stop-sigkill -> stop-post
 *         -> final-sigterm -> final-sigkill -> dead | failed | auto-restart
 * A main process that exits on its own, a failed command or a timeout enters
 * the same stop path, so whatever is left of the unit is always cleaned up
 * before it is declared dead or restarted. Effects go through s->ops.
 */
#include "core/service.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit/cmdline.h"
#include "unit/condition.h"
#include "base/log.h"
#include "base/timespan.h"

static const char *const state_names[] = {
    [SVC_INACTIVE] = "inactive",         [SVC_ACTIVATING] = "activating", [SVC_ACTIVE] = "active",
    [SVC_DEACTIVATING] = "deactivating", [SVC_FAILED] = "failed",
};

static const struct {
    const char *name;
    enum svc_state state;
} sub_table[] = {
    [SUB_DEAD] = {"dead", SVC_INACTIVE},
    [SUB_START_PRE] = {"start-pre", SVC_ACTIVATING},
    [SUB_START] = {"start", SVC_ACTIVATING},
    [SUB_START_POST] = {"start-post", SVC_ACTIVATING},
    [SUB_RUNNING] = {"running", SVC_ACTIVE},
    [SUB_EXITED] = {"exited", SVC_ACTIVE},
    [SUB_STOP] = {"stop", SVC_DEACTIVATING},
    [SUB_STOP_SIGTERM] = {"stop-sigterm", SVC_DEACTIVATING},
    [SUB_STOP_SIGKILL] = {"stop-sigkill", SVC_DEACTIVATING},
    [SUB_STOP_POST] = {"stop-post", SVC_DEACTIVATING},
    [SUB_FINAL_SIGTERM] = {"final-sigterm", SVC_DEACTIVATING},
    [SUB_FINAL_SIGKILL] = {"final-sigkill", SVC_DEACTIVATING},
    [SUB_FAILED] = {"failed", SVC_FAILED},
    [SUB_AUTO_RESTART] = {"auto-restart", SVC_ACTIVATING},
    [SUB_CONDITION] = {"condition", SVC_ACTIVATING},
    [SUB_RELOAD] = {"reload", SVC_ACTIVE},
};

enum svc_state svc_state_of(enum svc_sub sub)
{
    return sub_table[sub].state;
}
const char *svc_state_name(enum svc_state state)
{
    return state_names[state];
}
const char *svc_sub_name(enum svc_sub sub)
{
    return sub_table[sub].name;
}

static void proc_reset(struct svc_proc *p)
{
    p->pid = 0;
    p->pidfd = -1;
    p->pgid = 0;
    p->pin = 0;
    p->pending = false;
    p->flags = 0;
    p->job = NULL;
}

void svc_init(struct service *s, struct unit *u, const struct svc_ops *ops, void *ctx)
{
    memset(s, 0, sizeof(*s));
    svc_set_unit(s, u);
    s->ops = ops;
    s->ctx = ctx;
    s->sub = SUB_DEAD;
    s->stop_wanted = true;
    s->board_slot = -1;
    s->links = &svc_links_none;
    proc_reset(&s->main);
    proc_reset(&s->control);
}

static void set_sub(struct service *s, enum svc_sub sub)
{
    enum svc_sub old = s->sub;
    s->sub = sub;
    s->since_usec = s->ops->now(s);
    if (old != sub)
        s->ops->changed(s, old);
}

static bool proc_running(const struct svc_proc *p)
{
    return p->pending || p->pid > 0;
}

/* Anything of the unit left: its processes or their groups. */
static bool unit_alive(struct service *s)
{
    if (proc_running(&s->main) || proc_running(&s->control))
        return true;
    if (s->unit->kill_mode == KILL_MODE_PROCESS || s->unit->kill_mode == KILL_MODE_NONE)
        return false;
    bool alive = false;
    if (s->main.pgid > 0) {
        if (s->ops->group_alive(s, &s->main))
            alive = true;
        else
            s->main.pgid = 0; /* empty now: never signal that number again */
    }
    if (s->control.pgid > 0) {
        if (s->ops->group_alive(s, &s->control))
            alive = true;
        else
            s->control.pgid = 0;
    }
    return alive;
}

static void record_result(struct service *s, enum service_result r)
{
    if (s->result == RESULT_SUCCESS)
        s->result = r;
}

static void enter_signal(struct service *s, enum svc_sub sub, enum service_result r);
static void enter_signal_with(struct service *s, enum svc_sub sub, enum service_result r, int sig);
static void enter_stop_post(struct service *s);
static void enter_start(struct service *s);
static void enter_start_pre(struct service *s);
static void enter_dead(struct service *s);
static void proc_forget(struct service *s, struct svc_proc *p);

static const struct exec_list *control_list(const struct service *s, enum svc_control kind)
{
    switch (kind) {
    case CONTROL_CONDITION:
        return &unit_cmds(s->unit)->exec_condition;
    case CONTROL_START_PRE:
        return &unit_cmds(s->unit)->exec_start_pre;
    case CONTROL_START_POST:
        return &unit_cmds(s->unit)->exec_start_post;
    case CONTROL_STOP:
        return &unit_cmds(s->unit)->exec_stop;
    case CONTROL_STOP_POST:
        return &unit_cmds(s->unit)->exec_stop_post;
    case CONTROL_RELOAD:
        return &unit_cmds(s->unit)->exec_reload;
    case CONTROL_NONE:
        break;
    }
    return NULL;
}

/* Runs the next command of the current control list. Returns false when the
 * list is done (or nothing could be spawned: then *failed is set). */
static bool control_next(struct service *s, bool *failed)
{
    const struct exec_list *l = control_list(s, s->control_kind);
    *failed = false;
    if (!l || s->control_idx >= l->n)
        return false;
    const struct exec_command *cmd = &l->v[s->control_idx++];
    proc_forget(s, &s->control); /* and the group a command before left */
    s->control.flags = cmd->flags;
    if (s->ops->spawn(s, cmd, false) < 0) {
        log_unit_error(s->name, "cannot run %s: %s", cmd->line, strerror(errno));
        *failed = !(cmd->flags & EXEC_FLAG_IGNORE_FAILURE);
        return !*failed && control_next(s, failed);
    }
    return true;
}

/* Starts the control list kind in state sub; false when there is nothing to run. */
static bool control_begin(struct service *s, enum svc_control kind, enum svc_sub sub,
                          uint64_t timeout, bool *failed)
{
    s->control_kind = kind;
    s->control_idx = 0;
    if (!control_next(s, failed)) {
        s->control_kind = CONTROL_NONE;
        return false;
    }
    set_sub(s, sub);
    s->ops->timer(s, timeout);
    return true;
}

static void enter_running(struct service *s)
{
    s->ops->timer(s, 0);
    s->started_ok = true;
    if (proc_running(&s->main)) {
        set_sub(s, SUB_RUNNING);
    } else if ((s->unit->remain_after_exit || s->unit->type == UNIT_TYPE_FORKING) &&
               s->result == RESULT_SUCCESS) {
        set_sub(s, SUB_EXITED);
    } else if (s->result != RESULT_SUCCESS) {
        /* The main failed during ExecStartPost=: a failed start, no ExecStop=. */
        s->started_ok = false;
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
    } else {
        /* The main process is gone already: stop what is left. */
        bool failed;
        if (!control_begin(s, CONTROL_STOP, SUB_STOP, s->unit->timeout_stop_usec, &failed))
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
    }
}

static void enter_start_post(struct service *s)
{
    bool failed;
    if (control_begin(s, CONTROL_START_POST, SUB_START_POST, s->unit->timeout_start_usec, &failed))
        return;
    if (failed)
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
    else
        enter_running(s);
}

static void enter_start(struct service *s)
{
    const struct unit *u = s->unit;
    if (s->start_idx >= u->exec_start.n) {
        /* oneshot with no (more) ExecStart= */
        enter_start_post(s);
        return;
    }
    const struct exec_command *cmd = &u->exec_start.v[s->start_idx++];
    proc_forget(s, &s->main);
    s->main.flags = cmd->flags;
    s->control_kind = CONTROL_NONE;
    if (s->ops->spawn(s, cmd, true) < 0) {
        log_unit_error(s->name, "cannot start %s: %s", cmd->line, strerror(errno));
        set_sub(s, SUB_START);
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
        return;
    }
    set_sub(s, SUB_START);
    switch (u->type) {
    case UNIT_TYPE_SIMPLE:
        enter_start_post(s);
        break;
    case UNIT_TYPE_NOTIFY:  /* active once READY=1 arrived: svc_notify_ready() */
    case UNIT_TYPE_EXEC:    /* active once exec() succeeded: svc_exec_done() */
    case UNIT_TYPE_ONESHOT: /* active once it exited: svc_proc_exited() */
    case UNIT_TYPE_FORKING: /* active once the start process exited 0 */
        s->ops->timer(s, u->type == UNIT_TYPE_ONESHOT && u->timeout_start_usec == 0
                             ? USEC_INFINITY
                             : u->timeout_start_usec);
        break;
    }
}

/* Condition*=/Assert*=: false when the run must not go on (handled). */
static bool conditions_met(struct service *s)
{
    const struct path_condition *c = NULL;
    switch (condition_check(s->unit, &c)) {
    case CONDITION_MET:
        return true;
    case CONDITION_FAILED:
        log_unit_info(s->name, "condition %s=%s%s%s not met, skipping",
                      condition_kind_name(c->kind, false), c->trigger ? "|" : "",
                      c->negate ? "!" : "", c->path);
        set_sub(s, SUB_DEAD);
        return false;
    case CONDITION_ASSERT_FAILED:
        log_unit_error(s->name, "assertion %s=%s%s%s failed", condition_kind_name(c->kind, true),
                       c->trigger ? "|" : "", c->negate ? "!" : "", c->path);
        s->result = RESULT_ASSERT;
        set_sub(s, SUB_FAILED);
        return false;
    }
    return true;
}

/* Begins a run from dead, failed or auto-restart. */
static void begin_run(struct service *s)
{
    s->ops->timer(s, 0);
    if (!start_limit_allow(&s->start_limit, s->unit, s->ops->now(s))) {
        log_unit_error(s->name, "start request repeated too quickly, refusing to start");
        s->result = RESULT_START_LIMIT;
        set_sub(s, SUB_FAILED);
        return;
    }
    s->result = RESULT_SUCCESS;
    s->started_ok = false;
    s->start_idx = 0;
    s->have_invocation_id = false; /* a new run, a new $INVOCATION_ID (launch.c) */
    s->mainpid_refused = false;
    if (!conditions_met(s))
        return;
    bool failed;
    if (control_begin(s, CONTROL_CONDITION, SUB_CONDITION, s->unit->timeout_start_usec, &failed))
        return;
    if (failed) {
        set_sub(s, SUB_CONDITION);
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
        return;
    }
    enter_start_pre(s);
}

static void enter_start_pre(struct service *s)
{
    bool failed;
    if (control_begin(s, CONTROL_START_PRE, SUB_START_PRE, s->unit->timeout_start_usec, &failed))
        return;
    if (failed) {
        set_sub(s, SUB_START_PRE);
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
        return;
    }
    enter_start(s);
}

void svc_start(struct service *s, bool explicit_request)
{
    s->stop_wanted = false;
    if (explicit_request) {
        s->restarts = 0;
        if (s->sub == SUB_FAILED)
            start_limit_reset(&s->start_limit);
    }
    switch (svc_state_of(s->sub)) {
    case SVC_INACTIVE:
    case SVC_FAILED:
        begin_run(s);
        break;
    case SVC_DEACTIVATING:
        s->start_after_stop = true;
        break;
    case SVC_ACTIVATING:
        if (s->sub == SUB_AUTO_RESTART)
            begin_run(s);
        break;
    case SVC_ACTIVE:
        break;
    }
}

void svc_stop(struct service *s)
{
    s->stop_wanted = true;
    s->start_after_stop = false;
    switch (s->sub) {
    case SUB_DEAD:
    case SUB_FAILED:
        break;
    case SUB_AUTO_RESTART:
        s->ops->timer(s, 0);
        set_sub(s, s->result == RESULT_SUCCESS ? SUB_DEAD : SUB_FAILED);
        break;
    case SUB_CONDITION:
    case SUB_START_PRE:
    case SUB_START:
    case SUB_START_POST:
        /* Not started yet: skip ExecStop=, as systemd does. */
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_RELOAD:
        /* The reload is abandoned; its process goes with the unit's. */
        if (s->reload_result == RESULT_SUCCESS)
            s->reload_result = RESULT_RESOURCES;
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_RUNNING:
    case SUB_EXITED: {
        bool failed;
        if (!control_begin(s, CONTROL_STOP, SUB_STOP, s->unit->timeout_stop_usec, &failed))
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    }
    default: /* already stopping */
        break;
    }
}

enum svc_reload_result svc_reload(struct service *s)
{
    if (unit_cmds(s->unit)->exec_reload.n == 0)
        return SVC_RELOAD_UNSUPPORTED;
    if (s->sub != SUB_RUNNING && s->sub != SUB_EXITED)
        return SVC_RELOAD_NOT_ACTIVE;
    s->reload_result = RESULT_SUCCESS;
    bool failed;
    if (!control_begin(s, CONTROL_RELOAD, SUB_RELOAD, s->unit->timeout_start_usec, &failed)) {
        /* Only '-' commands, none of which could be spawned, or a failure. */
        if (failed) {
            s->reload_result = RESULT_RESOURCES;
            return SVC_RELOAD_FAILED;
        }
        return SVC_RELOAD_STARTED; /* nothing ran: reloaded, trivially */
    }
    return SVC_RELOAD_STARTED;
}

static void restart_one(struct service *s);

/* This unit alone: the units that Requires=/PartOf= it, of any type, are
 * restarted with it by unit_restart() (unit_type.c). */
void svc_restart(struct service *s)
{
    restart_one(s);
}

static void restart_one(struct service *s)
{
    if (svc_state_of(s->sub) == SVC_INACTIVE || s->sub == SUB_FAILED ||
        s->sub == SUB_AUTO_RESTART) {
        svc_start(s, true);
        return;
    }
    svc_stop(s);
    s->restarts = 0;
    if (svc_is_settled(s)) {
        /* Nothing was left to stop (a oneshot in exited): start right away,
         * or it would stay dead with start_after_stop pending. */
        s->stop_wanted = false;
        begin_run(s);
        return;
    }
    s->start_after_stop = true;
}

/* Sends the signal of a kill phase to what is left of the unit. */
static void kill_unit(struct service *s, int sig)
{
    const struct unit *u = s->unit;
    switch (u->kill_mode) {
    case KILL_MODE_NONE:
        return;
    case KILL_MODE_PROCESS:
        if (s->main.pid > 0)
            s->ops->kill(s, &s->main, sig, false);
        if (s->control.pid > 0)
            s->ops->kill(s, &s->control, sig, false);
        return;
    case KILL_MODE_MIXED:
        if (sig != SIGKILL) {
            if (s->main.pid > 0)
                s->ops->kill(s, &s->main, sig, false);
            if (s->control.pid > 0)
                s->ops->kill(s, &s->control, sig, false);
            return;
        }
        break;
    case KILL_MODE_CONTROL_GROUP:
        break;
    }
    if (s->main.pgid > 0)
        s->ops->kill(s, &s->main, sig, true);
    if (s->control.pgid > 0 && s->control.pgid != s->main.pgid)
        s->ops->kill(s, &s->control, sig, true);
}

static bool is_sigterm_phase(enum svc_sub sub)
{
    return sub == SUB_STOP_SIGTERM || sub == SUB_FINAL_SIGTERM;
}

static void enter_signal(struct service *s, enum svc_sub sub, enum service_result r)
{
    enter_signal_with(s, sub, r, 0);
}

/* sig overrides KillSignal= for a SIGTERM phase (the watchdog's SIGABRT). */
static void enter_signal_with(struct service *s, enum svc_sub sub, enum service_result r, int sig)
{
    record_result(s, r);
    s->control_kind = CONTROL_NONE;
    /* KillMode=none signals nothing, so there is nothing to wait for: systemd
     * moves on at once rather than sit out every kill phase's timeout. */
    if (s->unit->kill_mode == KILL_MODE_NONE || !unit_alive(s)) {
        s->ops->timer(s, 0);
        if (sub == SUB_STOP_SIGTERM || sub == SUB_STOP_SIGKILL)
            enter_stop_post(s);
        else
            enter_dead(s);
        return;
    }
    if (sig == 0 && is_sigterm_phase(sub))
        sig = s->start_after_stop && s->unit->restart_kill_signal ? s->unit->restart_kill_signal
                                                                  : s->unit->kill_signal;
    else if (sig == 0)
        sig = s->unit->final_kill_signal;
    set_sub(s, sub);
    kill_unit(s, sig);
    if (is_sigterm_phase(sub) && sig != SIGKILL) {
        /* A stopped process would never see the signal; SendSIGHUP= tells
         * shells and the like that their terminal is gone. */
        kill_unit(s, SIGCONT);
        if (s->unit->send_sighup && sig != SIGHUP)
            kill_unit(s, SIGHUP);
    }
    s->ops->timer(s, s->unit->timeout_stop_usec);
}

static void enter_stop_post(struct service *s)
{
    bool failed;
    if (control_begin(s, CONTROL_STOP_POST, SUB_STOP_POST, s->unit->timeout_stop_usec, &failed))
        return;
    enter_signal(s, SUB_FINAL_SIGTERM, RESULT_SUCCESS);
}

/* Gives up on a process still running (KillMode=none, SIGKILL ignored by a
 * process stuck in the kernel): the supervisor closes what it holds for it. */
static void proc_forget(struct service *s, struct svc_proc *p)
{
    if ((p->pid > 0 || p->pin > 0) && s->ops->forget)
        s->ops->forget(s, p);
    proc_reset(p);
}

static void enter_dead(struct service *s)
{
    s->ops->timer(s, 0);
    s->control_kind = CONTROL_NONE;
    proc_forget(s, &s->main);
    proc_forget(s, &s->control);
    if (s->start_after_stop) {
        s->start_after_stop = false;
        s->stop_wanted = false; /* the last request was a start: Restart= applies */
        set_sub(s, s->result == RESULT_SUCCESS ? SUB_DEAD : SUB_FAILED);
        begin_run(s);
        return;
    }
    bool skipped = s->skip_run;
    s->skip_run = false;
    if (!s->stop_wanted && !skipped && restart_wanted(s->unit, s->result, s->last_status)) {
        set_sub(s, SUB_AUTO_RESTART);
        uint64_t delay = restart_delay_usec(s->unit, s->restarts + 1);
        s->ops->timer(s, delay == 0 ? SVC_TIMER_NOW : delay);
        return;
    }
    set_sub(s, s->result == RESULT_SUCCESS ? SUB_DEAD : SUB_FAILED);
}

/* Sends sig to one proc the way kill_unit() treats it under KillMode=. */
static void kill_proc(struct service *s, struct svc_proc *p, int sig)
{
    switch (s->unit->kill_mode) {
    case KILL_MODE_NONE:
        return;
    case KILL_MODE_PROCESS:
        s->ops->kill(s, p, sig, false);
        return;
    case KILL_MODE_MIXED:
        s->ops->kill(s, p, sig, sig == SIGKILL);
        return;
    case KILL_MODE_CONTROL_GROUP:
        s->ops->kill(s, p, sig, true);
        return;
    }
}

void svc_proc_started(struct service *s, struct svc_proc *p)
{
    /* A kill phase began before the pid was known: deliver it now. */
    if (s->sub == SUB_STOP_SIGTERM || s->sub == SUB_FINAL_SIGTERM)
        kill_proc(s, p, s->unit->kill_signal);
    else if (s->sub == SUB_STOP_SIGKILL || s->sub == SUB_FINAL_SIGKILL)
        kill_proc(s, p, s->unit->final_kill_signal);
}

void svc_exec_done(struct service *s, struct svc_proc *p)
{
    if (p == &s->main && s->sub == SUB_START && s->unit->type == UNIT_TYPE_EXEC) {
        s->ops->timer(s, 0);
        enter_start_post(s);
    }
}

static bool command_succeeded(const struct service *s, const struct svc_proc *p, int status)
{
    if (p->flags & EXEC_FLAG_IGNORE_FAILURE)
        return true;
    return restart_classify(s->unit, status) == RESULT_SUCCESS;
}

/* A command of a start phase ended: its failure fails the start; else the
 * next command of the list runs, or the start goes on with next(). */
static void start_step_done(struct service *s, bool ok, enum service_result r,
                            void (*next)(struct service *s))
{
    bool failed;
    if (!ok) {
        enter_signal(s, SUB_STOP_SIGTERM, r);
        return;
    }
    if (control_next(s, &failed))
        return; /* the next command of the list runs */
    if (failed)
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
    else
        next(s);
}

static void control_exited(struct service *s, int status)
{
    bool ok = command_succeeded(s, &s->control, status);
    enum service_result r = restart_classify(s->unit, status);
    s->control.pid = 0;
    s->control.pidfd = -1;
    bool failed = false;

    switch (s->sub) {
    case SUB_CONDITION:
        /* ExecCondition=: 1-254 skips the unit, 255 or a signal fails it. */
        if (WIFEXITED(status) && WEXITSTATUS(status) > 0 && WEXITSTATUS(status) < 255) {
            log_unit_info(s->name, "ExecCondition= exited %d, skipping the unit",
                          WEXITSTATUS(status));
            s->skip_run = true;
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        } else {
            bool zero = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            start_step_done(s, zero, r == RESULT_SUCCESS ? RESULT_EXIT_CODE : r, enter_start_pre);
        }
        break;
    case SUB_START_PRE:
        start_step_done(s, ok, r, enter_start);
        break;
    case SUB_START_POST:
        start_step_done(s, ok, r, enter_running);
        break;
    case SUB_STOP:
        /* A failing ExecStop= does not fail the unit; carry on stopping. */
        if (!control_next(s, &failed))
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_STOP_POST:
        if (!control_next(s, &failed))
            enter_signal(s, SUB_FINAL_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_RELOAD:
        /* A failed reload fails the reload job, not the unit (systemd). */
        if (!ok) {
            if (s->reload_result == RESULT_SUCCESS)
                s->reload_result = r;
        } else if (control_next(s, &failed)) {
            break;
        } else if (failed) {
            s->reload_result = RESULT_RESOURCES;
        }
        s->control_kind = CONTROL_NONE;
        enter_running(s);
        break;
    default:
        svc_reaped_other(s);
        break;
    }
}

static void main_exited(struct service *s, int status)
{
    const struct unit *u = s->unit;
    enum service_result r = restart_classify(u, status);
    bool ok = command_succeeded(s, &s->main, status);
    s->main.pid = 0;
    s->main.pidfd = -1;
    if (s->no_process) {
        /* nothing ran: no exit status to show */
    } else if (WIFSIGNALED(status)) {
        log_unit_info(s->name, "main process exited, killed by signal %s%s",
                      strsignal(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
    } else if (WEXITSTATUS(status) != 0 || s->sub == SUB_RUNNING) {
        log_unit_info(s->name, "main process exited, status %d", WEXITSTATUS(status));
    }
    if (!s->no_process) {
        s->have_exit = true;
        s->last_status = status;
    }

    switch (s->sub) {
    case SUB_START:
        if (u->type == UNIT_TYPE_ONESHOT || u->type == UNIT_TYPE_FORKING) {
            if (!ok) {
                enter_signal(s, SUB_STOP_SIGTERM, r);
                break;
            }
            if (u->type == UNIT_TYPE_ONESHOT && s->start_idx < u->exec_start.n) {
                s->ops->timer(s, 0);
                enter_start(s);
            } else {
                s->ops->timer(s, 0);
                /* The daemon the start process left behind is the main
                 * process now: from PIDFile=, or guessed. */
                if (u->type == UNIT_TYPE_FORKING &&
                    (!s->ops->find_main || s->ops->find_main(s) < 0))
                    log_unit_warn(s->name,
                                  "cannot determine the main process; "
                                  "the unit stays active without one");
                enter_start_post(s);
            }
        } else if (u->type == UNIT_TYPE_NOTIFY) {
            /* Exited before READY=1: it never became ready. */
            log_unit_warn(s->name, "main process exited before sending READY=1");
            enter_signal(s, SUB_STOP_SIGTERM, ok ? RESULT_PROTOCOL : r);
        } else {
            /* Type=exec died before or right after exec. */
            enter_signal(s, SUB_STOP_SIGTERM, ok ? RESULT_SUCCESS : r);
        }
        break;
    case SUB_START_POST:
        /* enter_running() sees it gone when ExecStartPost= is done. */
        if (!ok)
            record_result(s, r);
        break;
    case SUB_RUNNING: {
        if (!ok)
            record_result(s, r);
        else if (u->remain_after_exit) {
            set_sub(s, SUB_EXITED);
            break;
        }
        bool failed;
        if (!control_begin(s, CONTROL_STOP, SUB_STOP, u->timeout_stop_usec, &failed))
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    }
    case SUB_STOP:
    case SUB_RELOAD: /* enter_running() sees it gone once the reload is done */
        if (!ok)
            record_result(s, r);
        break;
    default:
        /* In a kill phase the exit was asked for: not a failure of the unit. */
        svc_reaped_other(s);
        break;
    }
}

void svc_proc_exited(struct service *s, struct svc_proc *p, int wait_status)
{
    if (p == &s->main)
        main_exited(s, wait_status);
    else
        control_exited(s, wait_status);
}

void svc_spawn_failed(struct service *s, struct svc_proc *p)
{
    /* Through the exit paths, as a failure recorded as "resources" first;
     * a command whose failure is ignored ('-') goes on as after exit 0. */
    bool ignored = p->flags & EXEC_FLAG_IGNORE_FAILURE;
    if (!ignored)
        record_result(s, RESULT_RESOURCES);
    s->no_process = true;
    svc_proc_exited(s, p, ignored ? 0 : W_EXITCODE(1, 0));
    s->no_process = false;
}

void svc_reaped_other(struct service *s)
{
    switch (s->sub) {
    case SUB_STOP_SIGTERM:
    case SUB_STOP_SIGKILL:
        if (!unit_alive(s)) {
            s->ops->timer(s, 0);
            enter_stop_post(s);
        }
        break;
    case SUB_FINAL_SIGTERM:
    case SUB_FINAL_SIGKILL:
        if (!unit_alive(s))
            enter_dead(s);
        break;
    default:
        break;
    }
}

void svc_timer_fired(struct service *s)
{
    const struct unit *u = s->unit;
    switch (s->sub) {
    case SUB_CONDITION:
    case SUB_START_PRE:
    case SUB_START:
    case SUB_START_POST:
        log_unit_warn(s->name, "start operation timed out, terminating");
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_TIMEOUT);
        break;
    case SUB_STOP:
        log_unit_warn(s->name, "ExecStop= timed out, terminating");
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_TIMEOUT);
        break;
    case SUB_STOP_SIGTERM:
        if (u->send_sigkill) {
            log_unit_warn(s->name, "stop timed out, sending SIGKILL to the group");
            enter_signal(s, SUB_STOP_SIGKILL, RESULT_TIMEOUT);
        } else {
            log_unit_warn(s->name, "stop timed out, SendSIGKILL=no: leaving it");
            record_result(s, RESULT_TIMEOUT);
            enter_stop_post(s);
        }
        break;
    case SUB_STOP_SIGKILL:
        log_unit_warn(s->name, "processes still left after SIGKILL, ignoring");
        enter_stop_post(s);
        break;
    case SUB_STOP_POST:
        log_unit_warn(s->name, "ExecStopPost= timed out, terminating");
        enter_signal(s, SUB_FINAL_SIGTERM, RESULT_TIMEOUT);
        break;
    case SUB_FINAL_SIGTERM:
        if (u->send_sigkill) {
            enter_signal(s, SUB_FINAL_SIGKILL, RESULT_TIMEOUT);
        } else {
            record_result(s, RESULT_TIMEOUT);
            enter_dead(s);
        }
        break;
    case SUB_FINAL_SIGKILL:
        log_unit_warn(s->name, "processes still left after SIGKILL, ignoring");
        enter_dead(s);
        break;
    case SUB_RELOAD:
        /* Killed, and the reload ends when it is reaped (control_exited). */
        log_unit_warn(s->name, "reload timed out, killing it");
        s->reload_result = RESULT_TIMEOUT;
        if (s->control.pid > 0)
            s->ops->kill(s, &s->control, SIGKILL, s->unit->kill_mode == KILL_MODE_CONTROL_GROUP);
        break;
    case SUB_AUTO_RESTART:
        s->restarts++;
        log_unit_info(s->name, "scheduled restart, restart counter is at %u", s->restarts);
        begin_run(s);
        break;
    default:
        break;
    }
}

void svc_release(struct service *s)
{
    free(s->status_text);
    s->status_text = NULL;
    s->name = NULL;
    svc_links_free(s);
}

const struct svc_links svc_links_none;

struct svc_links *svc_links_edit(struct service *s)
{
    if (s->links != &svc_links_none)
        return (struct svc_links *)s->links; /* its own, allocated below */
    struct svc_links *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    s->links = l;
    return l;
}

/* Back to the shared empty set once nothing is left. */
static void links_drop_if_empty(struct service *s)
{
    const struct svc_links *l = s->links;
    if (l != &svc_links_none && !l->succ && !l->pred && !l->rdeps && !l->deps) {
        free((void *)l);
        s->links = &svc_links_none;
    }
}

void svc_links_clear_order(struct service *s)
{
    if (s->links == &svc_links_none)
        return;
    struct svc_links *l = (struct svc_links *)s->links;
    free(l->succ);
    free(l->pred);
    l->succ = l->pred = NULL;
    l->nsucc = l->npred = 0;
    links_drop_if_empty(s);
}

void svc_links_clear_requirements(struct service *s)
{
    if (s->links == &svc_links_none)
        return;
    struct svc_links *l = (struct svc_links *)s->links;
    free(l->rdeps);
    free(l->deps);
    l->rdeps = l->deps = NULL;
    l->nrdeps = l->ndeps = 0;
    links_drop_if_empty(s);
}

void svc_links_free(struct service *s)
{
    svc_links_clear_order(s);
    svc_links_clear_requirements(s);
    if (s->links != &svc_links_none) { /* counted, never filled (out of memory) */
        free((void *)s->links);
        s->links = &svc_links_none;
    }
}

void svc_invocation_id(const struct service *s, char out[33])
{
    out[0] = '\0';
    if (!s->have_invocation_id)
        return;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", s->invocation_id[i]);
}

void svc_set_unit(struct service *s, struct unit *u)
{
    s->unit = u;
    s->name = unit_name_short(u); /* lives in u: it must follow u */
}

void svc_notify_ready(struct service *s)
{
    s->reloading = false;
    if (s->sub == SUB_START && s->unit->type == UNIT_TYPE_NOTIFY) {
        s->ops->timer(s, 0);
        enter_start_post(s);
    }
}

void svc_notify_stopping(struct service *s)
{
    /* The service stops on its own: wait for it as systemd does, without
     * sending a signal, bounded by TimeoutStopSec=. */
    if (s->sub == SUB_RUNNING || s->sub == SUB_EXITED) {
        s->started_ok = true;
        set_sub(s, SUB_STOP_SIGTERM);
        s->ops->timer(s, s->unit->timeout_stop_usec);
    }
}

void svc_notify_extend_timeout(struct service *s, uint64_t usec)
{
    switch (s->sub) {
    case SUB_START_PRE:
    case SUB_START:
    case SUB_START_POST:
    case SUB_STOP:
    case SUB_STOP_SIGTERM:
    case SUB_STOP_POST:
        if (s->ops->timer_extend)
            s->ops->timer_extend(s, usec);
        break;
    default:
        break;
    }
}

void svc_watchdog_timeout(struct service *s)
{
    if (s->sub != SUB_RUNNING)
        return;
    log_unit_warn(s->name, "watchdog timeout, sending SIGABRT");
    enter_signal_with(s, SUB_STOP_SIGTERM, RESULT_WATCHDOG, SIGABRT);
}

bool svc_is_settled(const struct service *s)
{
    enum svc_state st = svc_state_of(s->sub);
    return st == SVC_INACTIVE || st == SVC_FAILED;
}

bool svc_is_busy_starting(const struct service *s)
{
    return s->sub == SUB_CONDITION || s->sub == SUB_START_PRE || s->sub == SUB_START ||
           s->sub == SUB_START_POST;
}
