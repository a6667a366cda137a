/* supervisor.c - runs the units: the real svc_ops (spawn, kill, timers,
 * the watchdog, state changes), the main pid a unit names or leaves
 * (PIDFile=, MAINPID=, a guess), and routing of reaped pids to services.
 *
 * Around it: the unit table (unit_table.c) and daemon-reload (reload.c),
 * spawning (launch.c), process-group pins and supervisor_signal()
 * (group_pin.c), the boot and shutdown jobs (job_queue.c), requirement
 * dependencies (propagate.c); reading unit files is unit_load.c's.
 */
#include "run/supervisor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec_dirs.h"
#include "run/launch.h"
#include "base/log.h"
#include "run/notify.h"
#include "output/output.h"
#include "output/spec.h"
#include "base/proc.h"
#include "run/reap.h"
#include "exec/spawn.h"
#include "run/pid_claim.h"
#include "run/pull.h"
#include "core/svc_events.h"
#include "core/unit_type.h"
#include "base/pidfile.h"
#include "base/timespan.h"
#include "exec/tmpfiles.h"
#include "run/group_pin.h"
#include "run/job_queue.h"
#include "run/propagate.h"
#include "run/reload.h"
#include "run/socket_conns.h"
#include "run/socket_run.h"
#include "run/timer_run.h"
#include "run/fdstore.h"
#include "run/unit_table.h"
#include "unit/unit_load.h"
#include "unit/unit_notice.h"

static struct pxinit *px_of(struct service *s)
{
    return s->ctx;
}

/* --- the kill list: services waiting for their processes to go ----------- */

static bool is_kill_phase(enum svc_sub sub)
{
    return sub == SUB_STOP_SIGTERM || sub == SUB_STOP_SIGKILL || sub == SUB_FINAL_SIGTERM ||
           sub == SUB_FINAL_SIGKILL;
}

static void kill_list_update(struct pxinit *px, struct service *s)
{
    bool want = is_kill_phase(s->sub);
    if (want == s->in_kill_list)
        return;
    if (want) {
        s->kill_prev = NULL;
        s->kill_next = px->killing;
        if (px->killing)
            px->killing->kill_prev = s;
        px->killing = s;
    } else {
        if (s->kill_prev)
            s->kill_prev->kill_next = s->kill_next;
        else
            px->killing = s->kill_next;
        if (s->kill_next)
            s->kill_next->kill_prev = s->kill_prev;
        s->kill_next = s->kill_prev = NULL;
    }
    s->in_kill_list = want;
}

static void op_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    if (supervisor_signal(px_of(s), s, p, sig, group) < 0 && errno != ESRCH)
        log_unit_warn(s->name, "cannot send signal %d: %s", sig, strerror(errno));
}

static bool op_group_alive(struct service *s, struct svc_proc *p)
{
    return group_pin_held(px_of(s), s, p);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct service *s = (struct service *)((char *)w - offsetof(struct service, timer));
    unit_timer_fired(s);
}

static void op_timer_extend(struct service *s, uint64_t usec)
{
    struct pxinit *px = px_of(s);
    double want = (double)usec / 1e6;
    if (ev_is_active(&s->timer) && ev_timer_remaining(px->loop, &s->timer) >= want)
        return;
    ev_timer_stop(px->loop, &s->timer);
    ev_timer_set(&s->timer, want, 0.);
    ev_timer_start(px->loop, &s->timer);
}

static void watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    svc_watchdog_timeout(w->data);
}

/* The watchdog runs while the unit is running and is re-armed by WATCHDOG=1.
 * Its timer is allocated the first time it is armed: most units have none. */
static void watchdog_update(struct pxinit *px, struct service *s, bool ping)
{
    if (s->unit->kind == UNIT_KIND_TIMER || s->unit->kind == UNIT_KIND_SOCKET)
        return; /* s->timer_rt and s->socket_rt share the watchdog's place */
    bool want = s->sub == SUB_RUNNING && s->watchdog_usec > 0 && s->watchdog_usec != USEC_INFINITY;
    if (!want) {
        if (s->watchdog)
            ev_timer_stop(px->loop, s->watchdog);
        return;
    }
    if (!s->watchdog) {
        s->watchdog = malloc(sizeof(*s->watchdog));
        if (!s->watchdog) {
            log_unit_warn(s->name, "out of memory: the watchdog is not armed");
            return;
        }
        ev_init(s->watchdog, watchdog_cb);
        s->watchdog->data = s;
    }
    if (ev_is_active(s->watchdog) && !ping)
        return;
    ev_timer_stop(px->loop, s->watchdog);
    ev_timer_set(s->watchdog, (double)s->watchdog_usec / 1e6, 0.);
    ev_timer_start(px->loop, s->watchdog);
}

struct guess {
    struct pxinit *px;
    struct service *s;
    pid_t found;
    int count;
};

static void guess_child(pid_t pid, void *ctx)
{
    struct guess *g = ctx;
    struct pid_entry *e = pidmap_get(&g->px->pids, pid);
    if (e && !(e->role == PID_ROLE_GROUP_PIN && e->owner == g->s))
        return; /* some unit's process or an intermediate */
    /* Only the unit's own: an orphan of another unit or of the main
     * command is never taken (systemd looks in the unit's cgroup). */
    if (pid_claim_check(g->px, g->s, pid, false) != PID_CLAIM_OK)
        return;
    g->found = pid;
    g->count++;
}

static void set_main_pid(struct pxinit *px, struct service *s, pid_t pid);

/* PIDFile=: the pid in it, when the unit may have it as main process. Of a
 * file another user could have written, the number is not logged. */
static pid_t pid_from_file(struct pxinit *px, struct service *s)
{
    const char *path = s->unit->pid_file;
    pid_t pid;
    bool trusted;
    if (pidfile_read(path, &pid, &trusted) < 0) {
        log_unit_warn(s->name, "PIDFile=%s: %s", path,
                      errno == EINVAL  ? "not a regular file with a pid in it"
                      : errno == EPERM ? "reached through another user's symlink, not read"
                                       : strerror(errno));
        return -1;
    }
    enum pid_claim_verdict v = pid_claim_check(px, s, pid, trusted);
    if (v == PID_CLAIM_OK)
        return pid;
    if (trusted)
        log_unit_warn(s->name, "PIDFile=%s names pid %d, refused: %s", path, (int)pid,
                      pid_claim_reason(v));
    else
        log_unit_warn(s->name, "PIDFile=%s (not root's) names a pid that is refused: %s", path,
                      pid_claim_reason(v));
    return -1;
}

static int op_find_main(struct service *s)
{
    struct pxinit *px = px_of(s);
    pid_t pid = s->unit->pid_file ? pid_from_file(px, s) : -1;
    if (pid < 0) {
        /* As systemd's GuessMainPID=: only when there is exactly one
         * candidate, an unclaimed child of ours that is the unit's. */
        struct guess g = {.px = px, .s = s};
        proc_for_each_child(guess_child, &g);
        if (g.count != 1)
            return -1;
        pid = g.found;
    }
    set_main_pid(px, s, pid);
    return 0;
}

/* MAINPID=: the unit's main process is another one from now on. */
static void set_main_pid(struct pxinit *px, struct service *s, pid_t pid)
{
    if (pid == s->main.pid || pid == getpid())
        return;
    reap_pidfd_close(px, &s->main.pidfd);
    s->main.pid = pid;
    s->main.pending = false;
    svc_stamps_main_start(s); /* systemd's ExecMainPID follows the main pid */
    /* A process pxinit did not fork itself may be reaped by its own parent
     * and its pid reused: only a pidfd pins it, budget or not. */
    bool own = proc_parent(pid) == getpid();
    s->main.pidfd = reap_pidfd_open(px, pid, own);
    if (s->main.pidfd < 0 && !own)
        log_unit_warn(s->name, "no pidfd for main pid %d (%s): it is signalled by pid", (int)pid,
                      strerror(errno));
    pid_t pgid = getpgid(pid);
    if (pgid > 1 && pgid != getpgrp())
        group_pin_adopt(px, s, &s->main, pgid, own ? pid : 0);
    if (pidmap_put(&px->pids, pid, PID_ROLE_MAIN, s) < 0)
        log_unit_warn(s->name, "cannot track main pid %d", (int)pid);
    log_unit_info(s->name, "main pid is now %d", (int)pid);
    run_hooks_unit_changed(&px->hooks, s); /* the board shows the main pid */
}

/* MAINPID= from a process of the unit (NotifyAccess= said so): taken for a
 * process of the unit, or any when root sent it; never pxinit, pid 1, the
 * main command or another unit's process. */
static void claim_main_pid(struct pxinit *px, struct service *s, pid_t pid, uid_t sender_uid)
{
    if (pid == s->main.pid)
        return;
    enum pid_claim_verdict v = pid_claim_check(px, s, pid, sender_uid == 0);
    if (v == PID_CLAIM_OK) {
        set_main_pid(px, s, pid);
        return;
    }
    if (!s->mainpid_refused) {
        s->mainpid_refused = true; /* once a run: a sender could repeat it */
        log_unit_warn(s->name, "MAINPID=%d refused: %s", (int)pid, pid_claim_reason(v));
    } else
        log_unit_debug(s->name, "MAINPID=%d refused: %s", (int)pid, pid_claim_reason(v));
}

void supervisor_notify(struct pxinit *px, struct service *s, const struct ucred *sender,
                       const struct notify_msg *m)
{
    if (m->status) {
        char *text = strndup(m->status, m->status_len);
        if (text) {
            free(s->status_text);
            s->status_text = text;
            log_unit_debug(s->name, "status: %s", text);
        }
    }
    if (m->has_errno)
        s->status_errno = m->err;
    /* FDSTOREREMOVE=1 wins over FDSTORE=1 (systemd); fds not kept are
     * closed by notify.c. */
    if (m->fdstore_remove)
        fdstore_remove(px, s, m->fdname, m->fdname_len);
    else if (m->fdstore)
        fdstore_add(px, s, m->fds, m->nfds, m->fdname, m->fdname_len, !m->fdpoll_off);
    if (m->has_mainpid)
        claim_main_pid(px, s, m->mainpid, sender->uid);
    if (m->has_watchdog_usec) {
        s->watchdog_usec = m->watchdog_usec;
        watchdog_update(px, s, true);
    }
    if (m->watchdog_ping)
        watchdog_update(px, s, true);
    if (m->reloading) {
        s->reloading = true;
        log_unit_info(s->name, "reloading");
    }
    if (m->has_extend)
        svc_notify_extend_timeout(s, m->extend_usec);
    if (m->ready)
        svc_notify_ready(s);
    if (m->stopping)
        svc_notify_stopping(s);
    if (m->watchdog_trigger)
        svc_watchdog_timeout(s);
}

static void op_timer(struct service *s, uint64_t usec)
{
    struct pxinit *px = px_of(s);
    ev_timer_stop(px->loop, &s->timer);
    if (usec == 0 || usec == USEC_INFINITY)
        return;
    /* Timers count from the loop's cached time, taken before this
     * iteration's work: refresh it so RestartSec= and timeouts are never
     * shorter than asked. "Now" is a timer already due: one a microsecond
     * ahead could still be ahead when the loop next looks, and libev then
     * sleeps its backend's minimum, a whole millisecond, per restart. */
    ev_now_update(px->loop);
    ev_timer_set(&s->timer, usec == SVC_TIMER_NOW ? 0. : (double)usec / 1e6, 0.);
    ev_timer_start(px->loop, &s->timer);
}

static uint64_t op_now(struct service *s)
{
    return (uint64_t)(ev_now(px_of(s)->loop) * 1e6);
}

static int exit_code_of(const struct service *s)
{
    if (!s->have_exit)
        return s->result == RESULT_SUCCESS ? 0 : 1;
    if (WIFEXITED(s->last_status))
        return WEXITSTATUS(s->last_status);
    return 1;
}

/* Recorded for phase_step(), which shuts down. The first request wins, and
 * none once the main command has exited: its status is the exit code then. */
static void exit_request(struct pxinit *px, int code)
{
    if (px->exit_code_fixed || px->main.exited)
        return;
    px->exit_code = code;
    px->exit_code_fixed = true;
}

static void op_changed(struct service *s, enum svc_sub old)
{
    struct pxinit *px = px_of(s);

    unit_stamps_changed(s, op_now(s));
    kill_list_update(px, s);
    watchdog_update(px, s, false);
    if ((s->sub == SUB_DEAD || s->sub == SUB_FAILED || s->sub == SUB_AUTO_RESTART) &&
        s->unit->runtime_dir_preserve != DIR_PRESERVE_YES &&
        !(s->sub == SUB_AUTO_RESTART && s->unit->runtime_dir_preserve == DIR_PRESERVE_RESTART))
        exec_dirs_remove_runtime(s->unit, s->name);
    run_hooks_unit_changed(&px->hooks, s);
    svc_log_changed(s, old, px->phase >= PHASE_STOPPING || socket_conn_of(px->sockets, s));

    job_queue_changed(px, s);
    propagate_changed(&px->propagate, s, old);
    socket_run_unit_changed(px, s, old); /* before reload's: an ended instance leaves */
    reload_unit_changed(px, s);
    pull_unit_changed(px, s, old);
    timer_run_unit_changed(px, s, old);
    fdstore_unit_changed(px, s);

    /* SuccessAction=/FailureAction=exit end pxinit with the unit's code. */
    if (px->phase < PHASE_STOPPING) {
        if (s->sub == SUB_FAILED && s->unit->failure_action == UNIT_ACTION_EXIT) {
            log_unit_notice(s->name, "FailureAction=exit: shutting down");
            exit_request(px, exit_code_of(s) ? exit_code_of(s) : 1);
        } else if (s->sub == SUB_DEAD && old != SUB_DEAD && s->result == RESULT_SUCCESS &&
                   s->unit->success_action == UNIT_ACTION_EXIT) {
            log_unit_notice(s->name, "SuccessAction=exit: shutting down");
            exit_request(px, exit_code_of(s));
        }
    }
}

static void op_forget(struct service *s, struct svc_proc *p)
{
    struct pxinit *px = px_of(s);
    group_pin_drop(px, s, p);
    reap_pidfd_close(px, &p->pidfd);
    if (p->pid > 0)
        pidmap_del(&px->pids, p->pid); /* it is an orphan from now on */
}

static const struct svc_ops real_ops = {
    .forget = op_forget,
    .timer_extend = op_timer_extend,
    .find_main = op_find_main,
    .check_conditions = condition_check,
    .spawn = launch_command,
    .kill = op_kill,
    .group_alive = op_group_alive,
    .timer = op_timer,
    .changed = op_changed,
    .now = op_now,
};

static struct service *table_service_new(void *ctx, struct unit *u)
{
    return supervisor_service_new(ctx, u);
}

static void table_service_free(void *ctx, struct service *s)
{
    supervisor_service_free(ctx, s);
}

static int table_reserve(void *ctx, size_t n)
{
    struct pxinit *px = ctx;
    return job_queue_reserve(&px->jobq, n);
}

static bool table_triggered_only(void *ctx, struct service *s)
{
    return timer_run_activates(ctx, s) || socket_run_activates(ctx, s);
}

static const struct unit_table_ops table_ops = {
    .service_new = table_service_new,
    .service_free = table_service_free,
    .reserve = table_reserve,
    .triggered_only = table_triggered_only,
};

int supervisor_load(struct pxinit *px)
{
    unit_table_init(&px->table, &table_ops, px);
    reload_init(px);
    /* An image set up for systemd expects systemd-tmpfiles' directories. */
    if (px->opts.systemd_units)
        tmpfiles_apply();
    struct unit **units;
    size_t n;
    if (unit_load_dirs(&px->opts.unit_dirs, px->opts.systemd_units, &units, &n) < 0)
        return -1;
    unit_not_enforced_summary(units, n);
    if (unit_table_load(&px->table, units, n) < 0) {
        for (size_t i = 0; i < n; i++)
            unit_free(units[i]);
        free(units);
        errno = ENOMEM;
        return -1;
    }
    free(units);
    log_debug("loaded %zu units", n);
    return 0;
}

struct service *supervisor_service_new(struct pxinit *px, struct unit *u)
{
    struct service *s = malloc(sizeof(*s));
    if (!s)
        return NULL;
    svc_init(s, u, &real_ops, px);
    ev_init(&s->timer, timer_cb);
    s->watchdog_usec = u->watchdog_usec;
    /* Now rather than amid the boot's spawns (output.h). A timer runs no
     * process: it has none (the output calls take NULL). */
    struct output_spec os;
    output_spec_of_unit(&os, u, &px->conf);
    bool quiet = u->kind == UNIT_KIND_TIMER || (u->kind == UNIT_KIND_SOCKET && !u->cmds);
    s->output = quiet ? NULL : output_unit_new(px->output, &os);
    output_unit_pid(s->output, &s->main.pid); /* each line's _PID */
    if ((!s->output && px->output && !quiet) || timer_run_attach(px, s) < 0 ||
        socket_run_attach(px, s) < 0) {
        timer_run_detach(px, s);
        output_unit_free(s->output);
        free(s);
        return NULL;
    }
    return s;
}

void supervisor_service_free(struct pxinit *px, struct service *s)
{
    pull_forget(px, s);
    ev_timer_stop(px->loop, &s->timer);
    output_unit_free(s->output);
    s->output = NULL;
    timer_run_detach(px, s);
    socket_run_detach(px, s);
    fdstore_forget(px, s);
    if (s->unit->kind != UNIT_KIND_TIMER && s->unit->kind != UNIT_KIND_SOCKET && s->watchdog) {
        ev_timer_stop(px->loop, s->watchdog);
        free(s->watchdog);
    }
    reap_pidfd_close(px, &s->main.pidfd);
    reap_pidfd_close(px, &s->control.pidfd);
    group_pin_drop(px, s, &s->main);
    group_pin_drop(px, s, &s->control);
    svc_release(s); /* and its links */
    free(s);
}

void supervisor_boot(struct pxinit *px)
{
    job_queue_boot(px);
}

void supervisor_stop_all(struct pxinit *px)
{
    px->phase = PHASE_STOPPING;
    px->propagate.stopping = true; /* units stop in order from now on */
    output_stopping(px->output);
    job_queue_stop_all(px);
}

/* --- reaping ------------------------------------------------------------------ */

bool supervisor_child_exited(struct pxinit *px, pid_t pid, int status)
{
    /* Taken for any pid, so that a report nobody claims frees its slot too. */
    char what[256];
    int fail_stage, fail_err;
    bool spawn_failed = spawn_take_failure(pid, &fail_stage, &fail_err, what, sizeof(what));
    struct pid_entry *e = pidmap_get(&px->pids, pid);
    if (!e && px->jobs) {
        /* Its pid may still sit in a report pipe: the intermediate wrote it
         * before exiting, and only then was the service re-parented to us. */
        launch_drain_all(px);
        e = pidmap_get(&px->pids, pid);
    }
    if (!e)
        return false;
    enum pid_role role = e->role;
    struct service *s = e->owner;
    if (role == PID_ROLE_MAIN || role == PID_ROLE_CONTROL) {
        /* Datagrams it sent before exiting are older than its exit. */
        notify_drain(px);
        e = pidmap_get(&px->pids, pid);
        if (!e)
            return true;
        role = e->role;
        s = e->owner;
    }
    pidmap_del(&px->pids, pid);
    if (role == PID_ROLE_INTERMEDIATE)
        return true;
    if (role != PID_ROLE_MAIN && role != PID_ROLE_CONTROL && role != PID_ROLE_GROUP_PIN)
        return false;
    /* Before the service hears of the exit (and perhaps signals the group). */
    group_pin_reaped(px, s, &s->main, pid);
    group_pin_reaped(px, s, &s->control, pid);
    if (role == PID_ROLE_GROUP_PIN)
        return true;
    struct svc_proc *p = role == PID_ROLE_MAIN ? &s->main : &s->control;
    if (p->pid != pid)
        return true; /* a process the service forgot already */
    if (p->job)
        launch_job_drain(px, p->job); /* picks up an exec error before the exit */
    if (spawn_failed)
        log_unit_error(s->name, "failed to %s for %s: %s", spawn_stage_name(fail_stage), what,
                       strerror(fail_err));
    reap_pidfd_close(px, &p->pidfd);
    output_proc_exited(s->output); /* its last partial line, once the pipe is read */
    unit_proc_exited(s, p, status);
    return true;
}

void supervisor_reaped_any(struct pxinit *px)
{
    struct service *s = px->killing;
    while (s) {
        struct service *next = s->kill_next;
        svc_reaped_other(s);
        s = next;
    }
}

void supervisor_free(struct pxinit *px)
{
    while (px->jobs)
        launch_job_free(px, px->jobs);
    reload_stop(px);
    unit_table_free(&px->table);
    timer_run_free(px);
    socket_run_free(px);
    fdstore_free(px);
    job_queue_free(&px->jobq);
    propagate_free(&px->propagate);
    pull_free(px);
    pidmap_free(&px->pids);
}
