/* supervisor.c - loads units and runs them: the real svc_ops (spawn, kill,
 * timers), spawn jobs whose report pipes are read from the loop, routing of
 * reaped pids to services, and the boot and shutdown queues.
 *
 * Spawning is in launch.c, reading unit files in unit_load.c.
 * Dependencies propagate through a queue, never by recursion: starting one
 * unit may finish its start job at once and make the next one ready.
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
#include "base/proc.h"
#include "run/reap.h"
#include "exec/spawn.h"
#include "run/pid_claim.h"
#include "base/pidfile.h"
#include "base/timespan.h"
#include "exec/tmpfiles.h"
#include "unit/unit_load.h"

/* A spawn whose report pipe is still open. */
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

/* --- the job queue: units ready to start (boot) or to stop (shutdown) ----- */

static void queue_push(struct pxinit *px, struct service *s)
{
    /* Each unit is queued at most once per phase, so nunits slots suffice. */
    if (px->qtail < px->nunits)
        px->queue[px->qtail++] = s;
}

static void boot_job_done(struct pxinit *px, struct service *s);
static void stop_job_done(struct pxinit *px, struct service *s);

/* Requires=/BindsTo= after a failed unit, or Requisite= on one not up:
 * the start is refused (the unit stays inactive, as systemd's job fails
 * with "dependency"). */
static bool start_allowed(struct service *s)
{
    if (s->dep_failed) {
        s->dep_failed = false;
        log_unit_error(s->name, "dependency failed, not starting");
        return false;
    }
    for (unsigned i = 0; i < s->links->ndeps; i++) {
        struct service *d = s->links->deps[i].s;
        if ((s->links->deps[i].kinds & DEP_REQUISITE) && svc_is_settled(d)) {
            log_unit_error(s->name, "Requisite=%s is not active, not starting", d->unit->name);
            return false;
        }
    }
    return true;
}

static void queue_drain(struct pxinit *px)
{
    if (px->draining)
        return;
    px->draining = true;
    while (px->qhead < px->qtail) {
        struct service *s = px->queue[px->qhead++];
        s->job_started = true;
        if ((px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) && !start_allowed(s)) {
            boot_job_done(px, s);
        } else if (px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) {
            svc_start(s, false);
            if (s->queued && !svc_is_busy_starting(s))
                boot_job_done(px, s);
        } else if (px->phase == PHASE_STOPPING) {
            svc_stop(s);
            if (s->queued && svc_is_settled(s))
                stop_job_done(px, s);
        }
    }
    px->qhead = px->qtail = 0;
    px->draining = false;
    /* boot_pending or stop_pending at 0 ends a phase: phase_step() looks. */
}

static void boot_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->boot_pending--;
    /* A failed start fails the units that require it and wait for it. */
    if (s->sub == SUB_FAILED || s->sub == SUB_AUTO_RESTART) {
        for (unsigned i = 0; i < s->links->nrdeps; i++) {
            if (!(s->links->rdeps[i].kinds & (DEP_REQUIRES | DEP_REQUISITE | DEP_BINDS_TO)))
                continue;
            for (unsigned k = 0; k < s->links->nsucc; k++)
                if (s->links->succ[k] == s->links->rdeps[i].s)
                    s->links->rdeps[i].s->dep_failed = true;
        }
    }
    for (unsigned i = 0; i < s->links->nsucc; i++) {
        struct service *n = s->links->succ[i];
        if (--n->wait_count == 0 && n->queued)
            queue_push(px, n);
    }
}

static void stop_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->stop_pending--;
    for (unsigned i = 0; i < s->links->npred; i++) {
        struct service *p = s->links->pred[i];
        if (--p->wait_count == 0 && p->queued)
            queue_push(px, p);
    }
}

/* --- process groups: signalled only while their id is pinned ---------------
 *
 * A group id names the unit's group only while no other group can get it:
 * while pxinit holds an unreaped child in that group or in the session of
 * that id (doc/DESIGN.md, "Signals never reach a reused id"). p->pin is that
 * child: first the process itself, then, once it is reaped, another child
 * found in the group; when there is none the group is forgotten. A pin other
 * than a unit's main or control process is indexed as PID_ROLE_GROUP_PIN, so
 * that its reaping finds the group. */

/* Releases p's pin (its index entry, unless the other proc shares it). */
static void pin_drop(struct pxinit *px, struct service *s, struct svc_proc *p)
{
    pid_t pin = p->pin;
    p->pin = 0;
    struct svc_proc *other = p == &s->main ? &s->control : &s->main;
    if (pin <= 0 || pin == p->pid || other->pin == pin)
        return;
    struct pid_entry *e = pidmap_get(&px->pids, pin);
    if (e && e->role == PID_ROLE_GROUP_PIN && e->owner == s)
        pidmap_del(&px->pids, pin);
}

struct pin_search {
    struct pxinit *px;
    struct service *s;
};

/* An orphan, or a process of s: a process another unit tracks would not
 * tell s when it is reaped (and it is cheap to rule out before its stat). */
static bool pin_candidate(pid_t pid, void *ctx)
{
    struct pin_search *ps = ctx;
    struct pid_entry *e = pidmap_get(&ps->px->pids, pid);
    return !e || e->owner == ps->s;
}

/* Pins p's group by another child of pxinit in it (not gone), or forgets it. */
static void group_repin(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t gone)
{
    pin_drop(px, s, p);
    struct pin_search ps = {px, s};
    pid_t pin = proc_find_member(p->pgid, gone, pin_candidate, &ps);
    if (pin > 0 &&
        (pidmap_get(&px->pids, pin) || pidmap_put(&px->pids, pin, PID_ROLE_GROUP_PIN, s) == 0)) {
        p->pin = pin;
        return;
    }
    log_unit_debug(s->name, "process group %d: no process of it left to pin it", (int)p->pgid);
    p->pgid = 0;
}

/* pid, p's pin, was reaped: a group that is empty now is forgotten at once,
 * before its id can be reused; one with members left gets a new pin. */
static void group_pin_reaped(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pid)
{
    if (p->pin != pid || p->pgid <= 1)
        return;
    if (pid == p->pid)
        p->pin = 0; /* pinned by its own index entry, deleted by the caller */
    if (kill(-p->pgid, 0) < 0 && errno == ESRCH) {
        pin_drop(px, s, p);
        p->pgid = 0;
        return;
    }
    group_repin(px, s, p, pid);
}

/* p's group takes pgid, pinned by pin (a child of pxinit; 0: find one). */
static void group_adopt(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pgid,
                        pid_t pin)
{
    pin_drop(px, s, p);
    p->pgid = pgid;
    p->pin = pin;
    if (pin <= 0)
        group_repin(px, s, p, 0);
}

/* True while p's group id is pinned and so still names the unit's group.
 * The process whose pid the id is pins it while unreaped; any other pin only
 * while it is still in the group or its session (it may have left). */
static bool group_pinned(struct pxinit *px, struct service *s, struct svc_proc *p)
{
    if (p->pgid <= 1)
        return false;
    if (p->pin > 0 && (p->pin == p->pgid || proc_in_group(p->pin, p->pgid)))
        return true;
    group_repin(px, s, p, 0);
    return p->pgid > 1;
}

int supervisor_signal(struct pxinit *px, struct service *s, struct svc_proc *p, int sig, bool group)
{
    if (group && group_pinned(px, s, p))
        return kill(-p->pgid, sig);
    if (!group && p->pid > 0)
        return proc_signal(p->pidfd, p->pid, sig); /* by pid without a pidfd: reap.h */
    errno = ESRCH;
    return -1;
}

static void op_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    if (supervisor_signal(px_of(s), s, p, sig, group) < 0 && errno != ESRCH)
        log_unit_warn(s->name, "cannot send signal %d: %s", sig, strerror(errno));
}

static bool op_group_alive(struct service *s, struct svc_proc *p)
{
    return group_pinned(px_of(s), s, p);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct service *s = (struct service *)((char *)w - offsetof(struct service, timer));
    svc_timer_fired(s);
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
    /* A process pxinit did not fork itself may be reaped by its own parent
     * and its pid reused: only a pidfd pins it, budget or not. */
    bool own = proc_parent(pid) == getpid();
    s->main.pidfd = reap_pidfd_open(px, pid, own);
    if (s->main.pidfd < 0 && !own)
        log_unit_warn(s->name, "no pidfd for main pid %d (%s): it is signalled by pid", (int)pid,
                      strerror(errno));
    pid_t pgid = getpgid(pid);
    if (pgid > 1 && pgid != getpgrp())
        group_adopt(px, s, &s->main, pgid, own ? pid : 0);
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

/* Conflicts=: starting one stops the other. BindsTo=: a unit stops when the
 * one it is bound to stops for any reason. Requires=/PartOf=: it stops when
 * that one is stopped on request. (The chains are short: systemd's units
 * nest a few levels at most.) */
static void propagate_dependencies(struct pxinit *px, struct service *s, enum svc_sub old)
{
    enum svc_state was = svc_state_of(old), now = svc_state_of(s->sub);
    bool was_settled = was == SVC_INACTIVE || was == SVC_FAILED;
    bool settled = now == SVC_INACTIVE || now == SVC_FAILED;

    if (was_settled && now == SVC_ACTIVATING) {
        for (unsigned i = 0; i < s->links->ndeps; i++) {
            struct service *d = s->links->deps[i].s;
            if ((s->links->deps[i].kinds & DEP_CONFLICTS) && !svc_is_settled(d)) {
                log_unit_info(d->name, "stopping: %s conflicts with it", s->name);
                svc_stop(d);
            }
        }
    }
    if (!settled || was_settled || px->phase >= PHASE_STOPPING)
        return;
    for (unsigned i = 0; i < s->links->nrdeps; i++) {
        struct service *a = s->links->rdeps[i].s;
        unsigned k = s->links->rdeps[i].kinds;
        if (svc_is_settled(a) || a->stop_wanted)
            continue;
        if (k & DEP_BINDS_TO) {
            log_unit_info(a->name, "stopping: it is bound to %s, which stopped", s->name);
            svc_stop(a);
        } else if ((k & (DEP_REQUIRES | DEP_PART_OF)) && s->stop_wanted) {
            log_unit_info(a->name, "stopping: it %s %s, which was stopped",
                          k & DEP_PART_OF ? "is part of" : "requires", s->name);
            svc_stop(a);
        }
    }
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
    enum svc_state st = svc_state_of(s->sub);

    kill_list_update(px, s);
    watchdog_update(px, s, false);
    if ((s->sub == SUB_DEAD || s->sub == SUB_FAILED || s->sub == SUB_AUTO_RESTART) &&
        s->unit->runtime_dir_preserve != DIR_PRESERVE_YES &&
        !(s->sub == SUB_AUTO_RESTART && s->unit->runtime_dir_preserve == DIR_PRESERVE_RESTART))
        exec_dirs_remove_runtime(s->unit, s->name);
    run_hooks_unit_changed(&px->hooks, s);
    if (s->sub == SUB_FAILED)
        log_unit_info(s->name, "state failed (result: %s)", service_result_name(s->result));
    else if (s->sub == SUB_AUTO_RESTART)
        log_unit_info(s->name, "state auto-restart (result: %s)", service_result_name(s->result));
    else if (st != svc_state_of(old) || s->sub == SUB_RUNNING || s->sub == SUB_EXITED)
        log_unit_info(s->name, "state %s (%s)", svc_state_name(st), svc_sub_name(s->sub));
    else
        log_unit_debug(s->name, "state %s (%s)", svc_state_name(st), svc_sub_name(s->sub));

    if (s->queued && s->job_started) {
        if ((px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) && !svc_is_busy_starting(s))
            boot_job_done(px, s);
        else if (px->phase == PHASE_STOPPING && svc_is_settled(s))
            stop_job_done(px, s);
        queue_drain(px);
    }

    propagate_dependencies(px, s, old);

    /* SuccessAction=/FailureAction=exit end pxinit with the unit's code. */
    if (px->phase < PHASE_STOPPING) {
        if (s->sub == SUB_FAILED && s->unit->failure_action == UNIT_ACTION_EXIT) {
            log_unit_info(s->name, "FailureAction=exit: shutting down");
            exit_request(px, exit_code_of(s) ? exit_code_of(s) : 1);
        } else if (s->sub == SUB_DEAD && old != SUB_DEAD && s->result == RESULT_SUCCESS &&
                   s->unit->success_action == UNIT_ACTION_EXIT) {
            log_unit_info(s->name, "SuccessAction=exit: shutting down");
            exit_request(px, exit_code_of(s));
        }
    }
}

static void op_forget(struct service *s, struct svc_proc *p)
{
    struct pxinit *px = px_of(s);
    pin_drop(px, s, p);
    reap_pidfd_close(px, &p->pidfd);
    if (p->pid > 0)
        pidmap_del(&px->pids, p->pid); /* it is an orphan from now on */
}

static const struct svc_ops real_ops = {
    .forget = op_forget,
    .timer_extend = op_timer_extend,
    .find_main = op_find_main,
    .spawn = launch_command,
    .kill = op_kill,
    .group_alive = op_group_alive,
    .timer = op_timer,
    .changed = op_changed,
    .now = op_now,
};

int supervisor_load(struct pxinit *px)
{
    /* An image set up for systemd expects systemd-tmpfiles' directories. */
    if (px->opts.systemd_units)
        tmpfiles_apply();
    if (unit_load_dirs(&px->opts.unit_dirs, px->opts.systemd_units, &px->units, &px->nunits) < 0)
        return -1;
    size_t n = px->nunits ? px->nunits : 1;
    px->services = calloc(n, sizeof(*px->services));
    px->queue = calloc(n, sizeof(*px->queue));
    if (!px->services || !px->queue) {
        errno = ENOMEM;
        return -1;
    }
    /* One allocation per service: it embeds live watchers, so it must never
     * move when the table grows or shrinks (daemon-reload). */
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = supervisor_service_new(px, px->units[i]);
        if (!s) {
            errno = ENOMEM;
            return -1;
        }
        px->services[i] = s;
    }
    if (unit_load_order(px) < 0)
        return -1;
    log_debug("loaded %zu units", px->nunits);
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
    (void)output_unit_prepare(s); /* now rather than amid the boot's spawns (output.h) */
    return s;
}

void supervisor_service_free(struct pxinit *px, struct service *s)
{
    ev_timer_stop(px->loop, &s->timer);
    output_unit_free(s);
    if (s->watchdog) {
        ev_timer_stop(px->loop, s->watchdog);
        free(s->watchdog);
    }
    reap_pidfd_close(px, &s->main.pidfd);
    reap_pidfd_close(px, &s->control.pidfd);
    pin_drop(px, s, &s->main);
    pin_drop(px, s, &s->control);
    svc_release(s); /* and its links */
    free(s);
}

void supervisor_boot(struct pxinit *px)
{
    px->boot_pending = px->nunits;
    px->qhead = px->qtail = 0;
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = px->services[i];
        s->wait_count = s->links->npred;
        s->queued = true;
        s->job_started = false;
    }
    /* In start order, so independent units start in a deterministic order. */
    for (size_t k = 0; k < px->nunits; k++) {
        struct service *s = px->services[px->start_order[k]];
        if (s->wait_count == 0)
            queue_push(px, s);
    }
    queue_drain(px);
}

void supervisor_stop_all(struct pxinit *px)
{
    px->phase = PHASE_STOPPING;
    output_stopping(px);
    px->stop_pending = px->nunits;
    px->qhead = px->qtail = 0;
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = px->services[i];
        s->wait_count = s->links->nsucc;
        s->queued = true;
        s->job_started = false;
    }
    /* In reverse start order. */
    for (size_t k = px->nunits; k-- > 0;) {
        struct service *s = px->services[px->start_order[k]];
        if (s->wait_count == 0)
            queue_push(px, s);
    }
    queue_drain(px);
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
    output_proc_exited(s); /* its last partial line, once the pipe is read */
    svc_proc_exited(s, p, status);
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
    for (size_t i = 0; px->services && i < px->nunits; i++) {
        if (px->services[i])
            supervisor_service_free(px, px->services[i]);
        unit_free(px->units[i]);
    }
    free(px->services);
    free(px->units);
    free(px->start_order);
    free(px->queue);
    pidmap_free(&px->pids);
}
