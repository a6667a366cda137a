/* service.c - the service state machine (systemd's service states).
 *
 * Start:  condition (ExecCondition=) -> start-pre -> start -> start-post
 *         -> running (or exited)
 * Stop:   stop (ExecStop=) -> stop-sigterm -> stop-sigkill -> stop-post
 *         -> final-sigterm -> final-sigkill -> dead | failed | auto-restart
 * A main process that exits on its own, a failed command or a timeout enters
 * the same stop path, so whatever is left of the unit is always cleaned up
 * before it is declared dead or restarted. Effects go through s->ops.
 * doc/DESIGN.md has every transition on one page (a states x events table
 * that check_service_table keeps in step with this file); what is not the
 * machine sits beside it: svc_proc.c, svc_cmds.c, service_record.c,
 * service_states.c.
 */
#include "core/service.h"

#include <signal.h>
#include <sys/wait.h>

#include "base/log.h"
#include "base/timespan.h"
#include "unit/cmdline.h"

static void set_sub(struct service *s, enum svc_sub sub)
{
    enum svc_sub old = s->sub;
    s->sub = sub;
    s->since_usec = s->ops->now(s);
    if (old != sub)
        s->ops->changed(s, old);
}

void svc_reset_failed(struct service *s)
{
    if (s->sub == SUB_FAILED)
        set_sub(s, SUB_DEAD);
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

/* Starts the control list kind in state sub; false when there is nothing to run. */
static bool control_begin(struct service *s, enum svc_control kind, enum svc_sub sub,
                          uint64_t timeout, bool *failed)
{
    s->control_kind = kind;
    s->control_idx = 0;
    if (!svc_control_next(s, failed)) {
        s->control_kind = CONTROL_NONE;
        return false;
    }
    set_sub(s, sub);
    s->ops->timer(s, timeout);
    return true;
}

/* ExecStop=, then the kill phases (straight to them without ExecStop=). */
static void enter_stop(struct service *s)
{
    bool failed;
    if (!control_begin(s, CONTROL_STOP, SUB_STOP, s->unit->timeout_stop_usec, &failed))
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
}

static void enter_running(struct service *s)
{
    s->ops->timer(s, 0);
    s->started_ok = true;
    if (svc_proc_running(&s->main)) {
        set_sub(s, SUB_RUNNING);
    } else if ((s->unit->remain_after_exit || s->unit->type == UNIT_TYPE_FORKING) &&
               s->result == RESULT_SUCCESS) {
        set_sub(s, SUB_EXITED);
    } else if (s->result != RESULT_SUCCESS) {
        /* The main failed during ExecStartPost=: a failed start, no ExecStop=. */
        s->started_ok = false;
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
    } else {
        enter_stop(s); /* the main process is gone already: stop what is left */
    }
}

/* Runs the list kind as the start phase sub, then next() (start_step_done());
 * an empty list goes on to next() at once, one that cannot be spawned fails
 * the start ("resources"). */
static void enter_start_phase(struct service *s, enum svc_control kind, enum svc_sub sub,
                              void (*next)(struct service *s))
{
    bool failed;
    if (control_begin(s, kind, sub, s->unit->timeout_start_usec, &failed))
        return;
    if (!failed) {
        next(s);
        return;
    }
    set_sub(s, sub);
    enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
}

static void enter_start_post(struct service *s)
{
    enter_start_phase(s, CONTROL_START_POST, SUB_START_POST, enter_running);
}

static void enter_start(struct service *s)
{
    const struct unit *u = s->unit;
    enum svc_next next = svc_main_next(s);
    if (next == SVC_NEXT_NONE) { /* oneshot with no (more) ExecStart= */
        enter_start_post(s);
        return;
    }
    set_sub(s, SUB_START);
    if (next == SVC_NEXT_FAILED) {
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
        return;
    }
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

/* Condition*=/Assert*= (through the ops: they read the file system): false
 * when the run must not go on (handled: skipped as dead, or failed). */
static bool conditions_met(struct service *s)
{
    const struct path_condition *c = NULL;
    enum condition_result r = svc_conditions_check(s, &c);
    if (r == CONDITION_MET)
        return true;
    svc_condition_log(s, c, r);
    if (r == CONDITION_ASSERT_FAILED)
        s->result = RESULT_ASSERT;
    set_sub(s, r == CONDITION_ASSERT_FAILED ? SUB_FAILED : SUB_DEAD);
    return false;
}

/* Begins a run from dead, failed or auto-restart. */
static void begin_run(struct service *s)
{
    s->ops->timer(s, 0);
    if (!svc_run_reset(s)) {
        s->result = RESULT_START_LIMIT;
        set_sub(s, SUB_FAILED);
    } else if (conditions_met(s))
        enter_start_phase(s, CONTROL_CONDITION, SUB_CONDITION, enter_start_pre);
}

static void enter_start_pre(struct service *s)
{
    enter_start_phase(s, CONTROL_START_PRE, SUB_START_PRE, enter_start);
}

void svc_start(struct service *s, bool explicit_request)
{
    s->stop_wanted = false;
    /* The start limit stays: a unit that hit it refuses an explicit start
     * too until reset-failed or the interval passes (SPEC, as systemd). */
    if (explicit_request)
        s->restarts = 0;
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
    case SUB_EXITED:
        enter_stop(s);
        break;
    default: /* dead, failed, or already stopping */
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
    if (!control_begin(s, CONTROL_RELOAD, SUB_RELOAD, s->unit->timeout_start_usec, &failed) &&
        failed) {
        s->reload_result = RESULT_RESOURCES;
        return SVC_RELOAD_FAILED;
    }
    /* Only '-' commands, none of which could be spawned: reloaded, trivially. */
    return SVC_RELOAD_STARTED;
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
    if (s->unit->kill_mode == KILL_MODE_NONE || !svc_unit_alive(s)) {
        s->ops->timer(s, 0);
        if (sub == SUB_STOP_SIGTERM || sub == SUB_STOP_SIGKILL)
            enter_stop_post(s);
        else
            enter_dead(s);
        return;
    }
    if (sig == 0)
        sig = svc_phase_signal(s, sub);
    set_sub(s, sub);
    svc_kill_phase(s, sig, sub == SUB_STOP_SIGTERM || sub == SUB_FINAL_SIGTERM);
    s->ops->timer(s, s->unit->timeout_stop_usec);
}

static void enter_stop_post(struct service *s)
{
    bool failed;
    if (control_begin(s, CONTROL_STOP_POST, SUB_STOP_POST, s->unit->timeout_stop_usec, &failed))
        return;
    enter_signal(s, SUB_FINAL_SIGTERM, RESULT_SUCCESS);
}

static void enter_dead(struct service *s)
{
    s->ops->timer(s, 0);
    s->control_kind = CONTROL_NONE;
    svc_proc_forget(s, &s->main);
    svc_proc_forget(s, &s->control);
    if (s->start_after_stop) {
        s->start_after_stop = false;
        s->stop_wanted = false; /* the last request was a start: Restart= applies */
        s->restart_stopped = true;
        set_sub(s, s->result == RESULT_SUCCESS ? SUB_DEAD : SUB_FAILED);
        s->restart_stopped = false;
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

void svc_exec_done(struct service *s, struct svc_proc *p)
{
    if (p == &s->main && s->sub == SUB_START && s->unit->type == UNIT_TYPE_EXEC) {
        s->ops->timer(s, 0);
        enter_start_post(s);
    }
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
    if (svc_control_next(s, &failed))
        return; /* the next command of the list runs */
    if (failed)
        enter_signal(s, SUB_STOP_SIGTERM, RESULT_RESOURCES);
    else
        next(s);
}

static void control_exited(struct service *s, int status)
{
    bool ok = svc_command_ok(s, &s->control, status);
    enum service_result r = restart_classify(s->unit, status);
    bool failed = false;

    switch (s->sub) {
    case SUB_CONDITION:
        /* ExecCondition=: 1-254 skips the unit, 255 or a signal fails it;
         * '-' does not make a failure success here. */
        if (svc_condition_skips(s, status)) {
            s->skip_run = true;
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        } else {
            start_step_done(s, status == 0, r == RESULT_SUCCESS ? RESULT_EXIT_CODE : r,
                            enter_start_pre);
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
        if (!svc_control_next(s, &failed))
            enter_signal(s, SUB_STOP_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_STOP_POST:
        if (!svc_control_next(s, &failed))
            enter_signal(s, SUB_FINAL_SIGTERM, RESULT_SUCCESS);
        break;
    case SUB_RELOAD:
        /* A failed reload fails the reload job, not the unit (systemd). */
        if (ok && svc_control_next(s, &failed))
            break; /* the next ExecReload= runs */
        if (!ok && s->reload_result == RESULT_SUCCESS)
            s->reload_result = r;
        else if (failed)
            s->reload_result = RESULT_RESOURCES;
        s->control_kind = CONTROL_NONE;
        enter_running(s);
        break;
    default:
        svc_reaped_other(s);
        break;
    }
}

/* The main process exited in start: the end of a oneshot's or the forking
 * start process's run, else a start that failed. */
static void start_exited(struct service *s, bool ok, enum service_result r)
{
    const struct unit *u = s->unit;
    bool waits = u->type == UNIT_TYPE_ONESHOT || u->type == UNIT_TYPE_FORKING;
    if (u->type == UNIT_TYPE_NOTIFY) /* exited before READY=1: it never became ready */
        log_unit_warn(s->name, "main process exited before sending READY=1");
    if (!ok || !waits) { /* Type=exec (or simple) died before or right after exec */
        if (ok)
            r = u->type == UNIT_TYPE_NOTIFY ? RESULT_PROTOCOL : RESULT_SUCCESS;
        enter_signal(s, SUB_STOP_SIGTERM, r);
        return;
    }
    s->ops->timer(s, 0);
    if (u->type == UNIT_TYPE_ONESHOT && s->start_idx < u->exec_start.n) {
        enter_start(s);
        return;
    }
    if (u->type == UNIT_TYPE_FORKING)
        svc_main_find(s);
    enter_start_post(s);
}

static void main_exited(struct service *s, int status)
{
    const struct unit *u = s->unit;
    enum service_result r = restart_classify(u, status);
    bool ok = svc_command_ok(s, &s->main, status);
    svc_main_exit_note(s, status);

    switch (s->sub) {
    case SUB_START:
        start_exited(s, ok, r);
        break;
    case SUB_RUNNING:
        if (!ok)
            record_result(s, r);
        else if (u->remain_after_exit) {
            set_sub(s, SUB_EXITED);
            break;
        }
        enter_stop(s);
        break;
    case SUB_START_POST: /* enter_running() sees it gone when ExecStartPost= is done */
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
    p->pid = 0;
    p->pidfd = -1;
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
    if (!ignored && s->result == RESULT_SUCCESS)
        s->result = RESULT_RESOURCES;
    s->no_process = true;
    svc_proc_exited(s, p, ignored ? 0 : W_EXITCODE(1, 0));
    s->no_process = false;
}

void svc_reaped_other(struct service *s)
{
    switch (s->sub) {
    case SUB_STOP_SIGTERM:
    case SUB_STOP_SIGKILL:
        if (!svc_unit_alive(s)) {
            s->ops->timer(s, 0);
            enter_stop_post(s);
        }
        break;
    case SUB_FINAL_SIGTERM:
    case SUB_FINAL_SIGKILL:
        if (!svc_unit_alive(s))
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

void svc_watchdog_timeout(struct service *s)
{
    if (s->sub != SUB_RUNNING)
        return;
    log_unit_warn(s->name, "watchdog timeout, sending SIGABRT");
    enter_signal_with(s, SUB_STOP_SIGTERM, RESULT_WATCHDOG, SIGABRT);
}
