/* pid_claim.h - which unit a process belongs to, and whether a unit may take
 * a pid as its main process (MAINPID=, PIDFile=, the forking guess). */
#ifndef PXINIT_PID_CLAIM_H
#define PXINIT_PID_CLAIM_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/pxinit.h"

enum pid_claim_verdict {
    PID_CLAIM_OK,
    PID_CLAIM_RESERVED,   /* pid 1, pxinit, the main command, an intermediate */
    PID_CLAIM_CONTROL,    /* the unit's own control process */
    PID_CLAIM_OTHER_UNIT, /* another unit tracks it */
    PID_CLAIM_GONE,       /* no such process */
    PID_CLAIM_FOREIGN,    /* not the unit's, and no root said so */
};

/* What is known about a claimed pid; of_unit matters only when the rest
 * does not decide. */
struct pid_claim {
    bool reserved, control, other_unit, exists;
    bool trusted; /* root sent it, or a PID file only root could write */
    bool of_unit; /* in a session or group of the unit, or has its $INVOCATION_ID */
};

/* systemd's rule (CVE-2018-16888), without cgroups. Pure. */
enum pid_claim_verdict pid_claim_judge(const struct pid_claim *c);
const char *pid_claim_reason(enum pid_claim_verdict v);

/* Judges pid as s's next main process, gathering the facts from the pid
 * index and /proc. trusted: the claim comes from root. */
enum pid_claim_verdict pid_claim_check(struct pxinit *px, struct service *s, pid_t pid,
                                       bool trusted);

/* True when pid is a process of s's current run: its main or control
 * process, in a session or process group one of them leads or left, a
 * descendant of one, or carrying the run's $INVOCATION_ID. */
bool pid_claim_of_unit(struct pxinit *px, struct service *s, pid_t pid);

/* The unit pid is a process of (as above, for any unit), or NULL. */
struct service *pid_claim_owner(struct pxinit *px, pid_t pid);

#endif
