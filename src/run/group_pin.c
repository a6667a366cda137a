/* group_pin.c - process groups signalled only while their id is pinned
 * (group_pin.h), and supervisor_signal(), which every signal to a unit goes
 * through. */
#include "run/group_pin.h"

#include <errno.h>
#include <signal.h>

#include "base/log.h"
#include "base/proc.h"
#include "run/supervisor.h"

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
void group_pin_drop(struct pxinit *px, struct service *s, struct svc_proc *p)
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
    group_pin_drop(px, s, p);
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
void group_pin_reaped(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pid)
{
    if (p->pin != pid || p->pgid <= 1)
        return;
    if (pid == p->pid)
        p->pin = 0; /* pinned by its own index entry, deleted by the caller */
    if (kill(-p->pgid, 0) < 0 && errno == ESRCH) {
        group_pin_drop(px, s, p);
        p->pgid = 0;
        return;
    }
    group_repin(px, s, p, pid);
}

/* p's group takes pgid, pinned by pin (a child of pxinit; 0: find one). */
void group_pin_adopt(struct pxinit *px, struct service *s, struct svc_proc *p, pid_t pgid,
                     pid_t pin)
{
    group_pin_drop(px, s, p);
    p->pgid = pgid;
    p->pin = pin;
    if (pin <= 0)
        group_repin(px, s, p, 0);
}

/* True while p's group id is pinned and so still names the unit's group.
 * The process whose pid the id is pins it while unreaped; any other pin only
 * while it is still in the group or its session (it may have left). */
bool group_pin_held(struct pxinit *px, struct service *s, struct svc_proc *p)
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
    /* The group only while pinned (its id is still the unit's); the pid by
     * number without a pidfd: reap.h says why that is safe. */
    if (group)
        return proc_signal_group(group_pin_held(px, s, p) ? p->pgid : 0, 0, -1, sig);
    return proc_signal_group(0, p->pid, p->pidfd, sig);
}
