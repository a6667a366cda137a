/* pid_claim.c - which unit a process belongs to, and whether a unit may take
 * a pid as its main process.
 *
 * A unit names its main process itself (MAINPID=, a PID file it may write);
 * pxinit then signals that pid as root and books its exit on the unit. So a
 * claim is taken, as systemd takes it (CVE-2018-16888), only for a process
 * of the unit, or when root made it. systemd asks the cgroup; pxinit has
 * none, and asks what it knows without one: the sessions and groups it
 * spawned the unit's processes into, their descendants, and the run's
 * $INVOCATION_ID in /proc/PID/environ.
 */
#include "run/pid_claim.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "base/pidmap.h"
#include "base/proc.h"
#include "core/service.h"

/* Ancestors looked at: a unit's processes nest a few levels deep. */
#define PID_CLAIM_MAX_DEPTH 16

enum pid_claim_verdict pid_claim_judge(const struct pid_claim *c)
{
    if (c->reserved)
        return PID_CLAIM_RESERVED;
    if (c->other_unit)
        return PID_CLAIM_OTHER_UNIT;
    if (c->control)
        return PID_CLAIM_CONTROL;
    if (!c->exists)
        return PID_CLAIM_GONE;
    if (c->trusted || c->of_unit)
        return PID_CLAIM_OK;
    return PID_CLAIM_FOREIGN;
}

const char *pid_claim_reason(enum pid_claim_verdict v)
{
    switch (v) {
    case PID_CLAIM_OK:
        return "accepted";
    case PID_CLAIM_RESERVED:
        return "it is pxinit's own or the main command's";
    case PID_CLAIM_CONTROL:
        return "it is the unit's control process";
    case PID_CLAIM_OTHER_UNIT:
        return "it belongs to another unit";
    case PID_CLAIM_GONE:
        return "no such process";
    case PID_CLAIM_FOREIGN:
        return "it is not a process of the unit";
    }
    return "refused";
}

/* The unit a tracked main or control process is of. */
static struct service *tracked_owner(struct pxinit *px, pid_t pid)
{
    struct pid_entry *e = pid > 1 ? pidmap_get(&px->pids, pid) : NULL;
    if (e && (e->role == PID_ROLE_MAIN || e->role == PID_ROLE_CONTROL))
        return e->owner;
    return NULL;
}

/* The unit found through the pid index: pid itself, the leader of its group
 * or session, or an ancestor (a process that called setsid() keeps its
 * parent until that exits). */
static struct service *indexed_owner(struct pxinit *px, pid_t pid)
{
    struct service *s = tracked_owner(px, pid);
    if (!s)
        s = tracked_owner(px, getpgid(pid));
    if (!s)
        s = tracked_owner(px, getsid(pid));
    pid_t self = getpid(), p = pid;
    for (int depth = 0; !s && depth < PID_CLAIM_MAX_DEPTH; depth++) {
        p = proc_parent(p);
        if (p <= 1 || p == self)
            break;
        s = tracked_owner(px, p);
    }
    return s;
}

static bool hex_to_id(const char *hex, uint8_t id[16])
{
    if (strlen(hex) != 32)
        return false;
    for (int i = 0; i < 32; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return false;
        if (i % 2 == 0)
            id[i / 2] = (uint8_t)(v << 4);
        else
            id[i / 2] |= (uint8_t)v;
    }
    return true;
}

/* $INVOCATION_ID of pid as 16 bytes; false when it has none. */
static bool invocation_id_of(pid_t pid, uint8_t id[16])
{
    char hex[34];
    return proc_env_value(pid, "INVOCATION_ID", hex, sizeof(hex)) && hex_to_id(hex, id);
}

static bool in_groups_of(pid_t id, const struct svc_proc *p)
{
    if (id <= 1)
        return false;
    if (p->pgid > 1 && id == p->pgid)
        return true;
    return p->pid > 1 && (id == getpgid(p->pid) || id == getsid(p->pid));
}

bool pid_claim_of_unit(struct pxinit *px, struct service *s, pid_t pid)
{
    pid_t pgid = getpgid(pid), sid = getsid(pid);
    if (in_groups_of(pgid, &s->main) || in_groups_of(pgid, &s->control) ||
        in_groups_of(sid, &s->main) || in_groups_of(sid, &s->control))
        return true;
    if (indexed_owner(px, pid) == s)
        return true;
    uint8_t id[16];
    return s->have_invocation_id && invocation_id_of(pid, id) &&
           memcmp(id, s->invocation_id, sizeof(id)) == 0;
}

struct service *pid_claim_owner(struct pxinit *px, pid_t pid)
{
    struct service *s = indexed_owner(px, pid);
    uint8_t id[16];
    if (s || !invocation_id_of(pid, id))
        return s;
    for (size_t i = 0; i < px->table.n; i++) {
        struct service *t = px->table.svc[i];
        if (t && t->have_invocation_id && memcmp(id, t->invocation_id, sizeof(id)) == 0)
            return t;
    }
    return NULL;
}

enum pid_claim_verdict pid_claim_check(struct pxinit *px, struct service *s, pid_t pid,
                                       bool trusted)
{
    struct pid_claim c = {.trusted = trusted};
    c.reserved = pid <= 1 || pid == getpid() || (px->main.pid > 0 && pid == px->main.pid);
    struct pid_entry *e = c.reserved ? NULL : pidmap_get(&px->pids, pid);
    if (e && (e->role == PID_ROLE_MAINCMD || e->role == PID_ROLE_INTERMEDIATE))
        c.reserved = true;
    else if (e && e->owner != s)
        c.other_unit = true;
    else if (e && pid == s->control.pid)
        c.control = true;
    if (!c.reserved && !c.other_unit && !c.control) {
        /* A process in another unit's session or group, or below one of
         * its processes, is that unit's, whoever asks. */
        struct service *owner = indexed_owner(px, pid);
        c.other_unit = owner && owner != s;
        c.exists = kill(pid, 0) == 0 || errno == EPERM;
    }
    if (!c.trusted && c.exists && !c.other_unit)
        c.of_unit = pid_claim_of_unit(px, s, pid);
    return pid_claim_judge(&c);
}
