/* svc_proc.c - a service's processes, as the state machine sees them: whether
 * any is left (processes, then their groups), letting go of one, and how the
 * signal of a kill phase reaches them under KillMode=. The machine
 * (service.c) decides when; this file decides whom. Effects go through
 * s->ops, as in service.c.
 */
#include <signal.h>
#include <sys/wait.h>

#include "core/service.h"
#include "unit/cmdline.h"

void svc_proc_reset(struct svc_proc *p)
{
    p->pid = 0;
    p->pidfd = -1;
    p->pgid = 0;
    p->pin = 0;
    p->pending = false;
    p->flags = 0;
    p->job = NULL;
}

bool svc_proc_running(const struct svc_proc *p)
{
    return p->pending || p->pid > 0;
}

/* Gives up on a process still running (KillMode=none, SIGKILL ignored by a
 * process stuck in the kernel): the supervisor closes what it holds for it. */
void svc_proc_forget(struct service *s, struct svc_proc *p)
{
    if ((p->pid > 0 || p->pin > 0) && s->ops->forget)
        s->ops->forget(s, p);
    svc_proc_reset(p);
}

/* Whether proc's group still has a member; forgets the group once empty. */
static bool group_left(struct service *s, struct svc_proc *p)
{
    if (p->pgid <= 0)
        return false;
    if (s->ops->group_alive(s, p))
        return true;
    p->pgid = 0; /* empty now: never signal that number again */
    return false;
}

bool svc_unit_alive(struct service *s)
{
    if (svc_proc_running(&s->main) || svc_proc_running(&s->control))
        return true;
    if (s->unit->kill_mode == KILL_MODE_PROCESS || s->unit->kill_mode == KILL_MODE_NONE)
        return false;
    bool main_left = group_left(s, &s->main);
    bool control_left = group_left(s, &s->control);
    return main_left || control_left;
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

/* The stop-sigterm and final-sigterm phases send KillSignal= (or
 * RestartKillSignal= for a restart), the SIGKILL phases FinalKillSignal=. */
int svc_phase_signal(const struct service *s, enum svc_sub sub)
{
    const struct unit *u = s->unit;
    if (sub == SUB_STOP_SIGTERM || sub == SUB_FINAL_SIGTERM)
        return s->start_after_stop && u->restart_kill_signal ? u->restart_kill_signal
                                                             : u->kill_signal;
    return u->final_kill_signal;
}

void svc_kill_phase(struct service *s, int sig, bool sigterm_phase)
{
    kill_unit(s, sig);
    if (sigterm_phase && sig != SIGKILL) {
        /* A stopped process would never see the signal; SendSIGHUP= tells
         * shells and the like that their terminal is gone. */
        kill_unit(s, SIGCONT);
        if (s->unit->send_sighup && sig != SIGHUP)
            kill_unit(s, SIGHUP);
    }
}

/* Sends sig to one proc the way kill_unit() treats it under KillMode=. */
void svc_kill_proc(struct service *s, struct svc_proc *p, int sig)
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
    if (p == &s->main)
        svc_stamps_main_start(s);
    /* A kill phase began before the pid was known: deliver it now. */
    if (s->sub == SUB_STOP_SIGTERM || s->sub == SUB_FINAL_SIGTERM)
        svc_kill_proc(s, p, s->unit->kill_signal);
    else if (s->sub == SUB_STOP_SIGKILL || s->sub == SUB_FINAL_SIGKILL)
        svc_kill_proc(s, p, s->unit->final_kill_signal);
}
