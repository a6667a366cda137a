/* svc_quiet.h - services whose ops do nothing, for suites that test what
 * sits around the machine (the unit table, propagation), not the machine:
 * a spawn only marks the process pending, nothing is signalled or timed,
 * the clock stands at 0, and the units have no conditions to check. The
 * suite gives its own `changed`, which is what it observes. */
#ifndef PXINIT_SVC_QUIET_H
#define PXINIT_SVC_QUIET_H

#include "core/service.h"

static inline int quiet_spawn(struct service *s, const struct exec_command *cmd, bool is_main)
{
    (void)cmd;
    (is_main ? &s->main : &s->control)->pending = true;
    return 0;
}

static inline void quiet_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    (void)s, (void)p, (void)sig, (void)group;
}

static inline bool quiet_group_alive(struct service *s, struct svc_proc *p)
{
    (void)s, (void)p;
    return false;
}

static inline void quiet_timer(struct service *s, uint64_t usec)
{
    (void)s, (void)usec;
}

static inline uint64_t quiet_now(struct service *s)
{
    (void)s;
    return 0;
}

#define SVC_QUIET_OPS(changed_fn)                                                   \
    {                                                                               \
        .spawn = quiet_spawn, .kill = quiet_kill, .group_alive = quiet_group_alive, \
        .timer = quiet_timer, .changed = (changed_fn), .now = quiet_now,            \
        .check_conditions = condition_check,                                        \
    }

#endif
