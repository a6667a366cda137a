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
 *
 * No one calls up into this file to say a phase is over: the supervisor
 * counts start and stop jobs (boot_pending, stop_pending) and records an
 * exit action (exit_code_fixed), mainproc.c records the main's exit
 * (main.exited), and phase_step(), run by main.c after every loop
 * iteration, looks at that state and decides. What a signal means is decided
 * here too (phase_signal): signals.c only takes them.
 */
#include "run/phase.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "run/mainproc.h"
#include "base/proc.h"
#include "base/tty.h"
#include "run/supervisor.h"

static bool is_job_control(int sig)
{
    return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Job control as dumb-init does it: forwarded (as SIGSTOP to a main in its
 * own session, see mainproc_forward), then pxinit stops itself too, unless
 * it is PID 1, so the shell that started it sees it stopped. A container's
 * PID 1 never stops. */
bool phase_signal(struct pxinit *px, int sig)
{
    if (px->opts.command && px->main.started) {
        bool alive = mainproc_alive(px);
        mainproc_forward(px, sig);
        if (sig == SIGTERM && mainproc_alive(px))
            mainproc_terminate(px);
        if (alive && !px->is_pid1 && is_job_control(sig))
            raise(SIGSTOP); /* resumed by SIGCONT, which is forwarded too */
        /* SIGTERM armed a timer; a stop took time the loop must notice. */
        return sig != SIGTERM && !is_job_control(sig);
    }
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        log_info("received %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        phase_shutdown(px);
        break;
    case SIGHUP:
        log_info("received SIGHUP: daemon-reload");
        run_hooks_daemon_reload(&px->hooks);
        break;
    default:
        log_debug("ignoring signal %d", sig);
        break;
    }
    return false;
}

void phase_signals_ignored(const struct pxinit *px, sigset_t *set)
{
    sigemptyset(set);
    if (!px->opts.command) {
        sigaddset(set, SIGTSTP);
        sigaddset(set, SIGTTIN);
        sigaddset(set, SIGTTOU);
    } else if (px->main.tty_mode == TTY_MODE_FOREGROUND ||
               px->main.tty_mode == TTY_MODE_BACKGROUND) {
        /* pxinit keeps a controlling terminal, and the main's group gets
         * these from it directly. Caught, SIGTTOU would restart a background
         * write to the terminal forever; ignored, the write proceeds. */
        sigaddset(set, SIGTTIN);
        sigaddset(set, SIGTTOU);
    }
}

/* Every unit's start job finished: start the main command, if any. */
static void boot_done(struct pxinit *px)
{
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
    log_notice("shutting down");
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

/* Every unit is stopped: signal the rest and wait. */
static void units_stopped(struct pxinit *px)
{
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

/* One decision; true when it changed the phase or what pxinit waits for. */
static bool step_once(struct pxinit *px)
{
    if (px->phase == PHASE_BOOT && px->jobq.boot_pending == 0) {
        boot_done(px);
        return true;
    }
    if (px->main.exited && !px->exit_code_fixed)
        px->exit_code = px->main.exit_code;
    if (px->main.exited && px->phase < PHASE_STOPPING) {
        log_debug("main command ended: stopping units");
        supervisor_stop_all(px);
        return true;
    }
    /* SuccessAction=/FailureAction=exit: shut down and exit with its code,
     * whatever the main command does. */
    if (px->exit_code_fixed && px->phase < PHASE_STOPPING && !px->shutdown_requested) {
        phase_shutdown(px);
        return true;
    }
    if (px->phase == PHASE_STOPPING && px->jobq.stop_pending == 0) {
        units_stopped(px);
        return true;
    }
    return false;
}

bool phase_step(struct pxinit *px)
{
    bool acted = false;
    while (px->phase != PHASE_DONE && step_once(px))
        acted = true;
    return acted;
}
