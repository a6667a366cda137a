/* phase.c - boot, run, stop, kill, exit.
 *
 * The final phase signals every process left - as PID 1 with kill(-1), which
 * reaches escaped orphans too; as a subreaper each remaining child - gives
 * them --grace seconds, then SIGKILL, and leaves the loop only when nothing is
 * left. tini, dumb-init and catatonit exit at once and let the kernel
 * SIGKILL the rest; pxinit lets them finish their handlers.
 *
 * A subreaper sees only its children: a leftover's own child in a session
 * of its own (sshd's login session below its monitor) becomes pxinit's only
 * when that leftover exits. So after each burst of reaps, the children the
 * SIGTERM has not reached yet get it too, until the SIGKILL.
 *
 * Whether anything is left costs kill(-1, 0) (a walk of every process) or, as
 * a subreaper, a scan of /proc: it is asked once per burst of reaps, from an
 * idle watcher, not once per reaped pid.
 */
#include "run/phase.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "run/mainproc.h"
#include "base/proc.h"
#include "run/supervisor.h"

void phase_boot_done(struct pxinit *px)
{
    if (px->phase != PHASE_BOOT)
        return;
    px->phase = PHASE_RUNNING;
    log_debug("all units started");
    if (px->opts.command && !px->main.started)
        mainproc_start(px);
}

void phase_shutdown(struct pxinit *px)
{
    if (px->phase >= PHASE_STOPPING)
        return;
    if (mainproc_alive(px)) {
        /* Units stop after the main, as s6-overlay does around CMD. */
        if (px->shutdown_requested)
            return;
        px->shutdown_requested = true;
        mainproc_forward(px, SIGTERM);
        mainproc_terminate(px);
        return;
    }
    log_info("shutting down");
    supervisor_stop_all(px);
}

void phase_exit_with(struct pxinit *px, int code)
{
    if (px->phase >= PHASE_STOPPING || px->exit_code_fixed)
        return;
    px->exit_code = code;
    px->exit_code_fixed = true;
    phase_shutdown(px);
}

void phase_main_exited(struct pxinit *px)
{
    if (!px->exit_code_fixed)
        px->exit_code = px->main.exit_code;
    if (px->phase >= PHASE_STOPPING)
        return;
    log_debug("main command ended: stopping units");
    supervisor_stop_all(px);
}

static void signal_child(pid_t pid, void *ctx)
{
    int sig = *(int *)ctx;
    pid_t pgid = getpgid(pid);
    /* pxinit's own group is never signalled as a whole. */
    (void)proc_signal_group(pgid != getpgrp() ? pgid : 0, pid, -1, sig);
}

/* Sends sig to everything left; returns true when something was there. */
static bool signal_rest(struct pxinit *px, int sig)
{
    if (px->is_pid1) {
        if (kill(-1, sig) < 0)
            return errno != ESRCH;
        return true;
    }
    return proc_for_each_child(signal_child, &sig) > 0;
}

static bool anything_left(struct pxinit *px)
{
    if (px->is_pid1)
        return kill(-1, 0) == 0 || errno != ESRCH;
    return proc_for_each_child(NULL, NULL) > 0;
}

struct termed {
    pid_t pid, pgid;
};

struct term_pass {
    const struct termed *before; /* reached by earlier passes */
    size_t nbefore;
    struct termed *now; /* the children of this pass */
    size_t n, cap;
};

static bool reached_before(const struct term_pass *p, pid_t pid, pid_t pgid)
{
    for (size_t i = 0; i < p->nbefore; i++)
        if (p->before[i].pid == pid || (pgid > 1 && p->before[i].pgid == pgid))
            return true;
    return false;
}

static void term_child(pid_t pid, void *ctx)
{
    struct term_pass *p = ctx;
    pid_t pgid = getpgid(pid);
    if (pgid == getpgrp())
        pgid = 0; /* pxinit's own group is never signalled as a whole */
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        struct termed *v = realloc(p->now, cap * sizeof(*v));
        if (v) {
            p->now = v;
            p->cap = cap;
        }
    }
    if (p->n < p->cap)
        p->now[p->n++] = (struct termed){pid, pgid}; /* else: signalled again next pass */
    /* A child in a group the SIGTERM reached is no news: its parent's
     * group kill gave it the signal already. */
    if (reached_before(p, pid, pgid))
        return;
    int sig = SIGTERM;
    signal_child(pid, &sig);
    sig = SIGCONT;
    signal_child(pid, &sig);
}

/* As a subreaper: SIGTERM (and SIGCONT) to each child it has not reached
 * yet. Only children are signalled by pid - pxinit has not reaped them, so
 * their pids are theirs - and the list is of the children of this pass, so
 * a pid reaped and reused later is a new process. True when any is left. */
static bool term_new_children(struct pxinit *px)
{
    struct term_pass p = {.before = px->termed, .nbefore = px->ntermed};
    int count = proc_for_each_child(term_child, &p);
    free(px->termed);
    px->termed = p.now;
    px->ntermed = p.n;
    return count > 0;
}

static void finish(struct pxinit *px)
{
    px->phase = PHASE_DONE;
    free(px->termed);
    px->termed = NULL;
    px->ntermed = 0;
    ev_idle_stop(px->loop, &px->exit_idle);
    ev_timer_stop(px->loop, &px->kill_timer);
    ev_break(px->loop, EVBREAK_ALL);
}

static void exit_idle_cb(struct ev_loop *loop, ev_idle *w, int revents);

static void kill_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    if (!px->kill_sent_sigkill) {
        px->kill_sent_sigkill = true;
        log_warnx("processes left after %gs grace period, sending SIGKILL", px->opts.grace_sec);
        signal_rest(px, SIGKILL);
        /* SIGKILL cannot be ignored; a process stuck in the kernel can still
         * hold on. Don't wait for it forever. */
        ev_timer_set(w, 5., 0.);
        ev_timer_start(loop, w);
        return;
    }
    log_warnx("processes still left after SIGKILL, exiting anyway");
    finish(px);
}

void phase_units_stopped(struct pxinit *px)
{
    if (px->phase != PHASE_STOPPING)
        return;
    if (mainproc_alive(px)) {
        /* Shutdown began without the main's exit (FailureAction=exit). */
        mainproc_forward(px, SIGTERM);
        mainproc_terminate(px);
    }
    px->phase = PHASE_KILLING;
    ev_idle_init(&px->exit_idle, exit_idle_cb);
    log_debug("units stopped, terminating remaining processes");
    if (!(px->is_pid1 ? signal_rest(px, SIGTERM) : term_new_children(px))) {
        finish(px);
        return;
    }
    if (px->is_pid1)
        signal_rest(px, SIGCONT);
    ev_timer_init(&px->kill_timer, kill_timer_cb, px->opts.grace_sec, 0.);
    ev_timer_start(px->loop, &px->kill_timer);
    phase_reaped(px);
}

/* Runs when no event is pending: every reap of the burst is done. */
static void exit_idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    ev_idle_stop(loop, w);
    if (px->phase != PHASE_KILLING)
        return;
    /* Until the SIGKILL, a subreaper's pass both signals the children that
     * came since the last one and tells whether any is left. */
    bool left = px->is_pid1 || px->kill_sent_sigkill ? anything_left(px) : term_new_children(px);
    if (!left)
        finish(px);
}

void phase_reaped(struct pxinit *px)
{
    if (px->phase != PHASE_KILLING)
        return;
    ev_idle_start(px->loop, &px->exit_idle);
}
