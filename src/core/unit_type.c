/* unit_type.c - the table of unit types and the wrappers the generic code
 * calls (unit_type.h). The service type wraps service.c as it is. */
#include "core/unit_type.h"

#include <stdlib.h>

#include "base/log.h"

static uint8_t service_sub_code(const struct service *s)
{
    return (uint8_t)s->sub; /* service.c keeps its enum equal to the codes */
}

static const struct unit_type_ops service_type = {
    .suffix = ".service",
    .start = svc_start,
    .stop = svc_stop,
    .restart = svc_restart,
    .reload = svc_reload,
    .sub_code = service_sub_code,
    .reset_failed = svc_reset_failed,
};

static const struct unit_type_ops *const unit_types[UNIT_KIND_MAX] = {
    [UNIT_KIND_SERVICE] = &service_type,
    [UNIT_KIND_TARGET] = &target_type_ops,
    [UNIT_KIND_TIMER] = &timer_type_ops,
    [UNIT_KIND_SOCKET] = &socket_type_ops,
};

const struct unit_type_ops *unit_type_of(const struct service *s)
{
    unsigned kind = s->unit->kind;
    return kind < UNIT_KIND_MAX && unit_types[kind] ? unit_types[kind] : &service_type;
}

void unit_start(struct service *s, bool explicit_request)
{
    unit_type_of(s)->start(s, explicit_request);
}

void unit_stop(struct service *s)
{
    unit_type_of(s)->stop(s);
}

/* An explicit restart reaches the active units that Requires=/PartOf= it
 * too (systemd.unit(5)), whatever their type, each once however the graph
 * loops: breadth first through a list, never by recursion, so a long chain
 * costs no stack. Without memory for the list only s itself restarts. */
static bool restart_reaches(const struct service *s, unsigned i)
{
    const struct service *a = s->links->rdeps[i].s;
    return (s->links->rdeps[i].kinds & (DEP_REQUIRES | DEP_PART_OF)) && !svc_is_settled(a) &&
           a->sub != SUB_AUTO_RESTART && !a->restart_visiting;
}

void unit_restart(struct service *s)
{
    if (s->restart_visiting)
        return;
    struct service **v = NULL;
    size_t n = 0, cap = 0;
    s->restart_visiting = true;
    unit_type_of(s)->restart(s);
    struct service *cur = s;
    for (size_t next = 0;; cur = v[next++]) {
        if (cur != s)
            unit_type_of(cur)->restart(cur);
        for (unsigned i = 0; i < cur->links->nrdeps; i++) {
            if (!restart_reaches(cur, i))
                continue;
            struct service *a = cur->links->rdeps[i].s;
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                struct service **nv = realloc(v, ncap * sizeof(*nv));
                if (!nv) {
                    log_unit_warn(a->name, "out of memory: not restarted with %s", cur->name);
                    continue;
                }
                v = nv;
                cap = ncap;
            }
            log_unit_info(a->name, "restarting with %s", cur->name);
            a->restart_visiting = true;
            v[n++] = a;
        }
        if (next == n)
            break;
    }
    s->restart_visiting = false;
    for (size_t i = 0; i < n; i++)
        v[i]->restart_visiting = false;
    free(v);
}

enum svc_reload_result unit_reload(struct service *s)
{
    const struct unit_type_ops *t = unit_type_of(s);
    return t->reload ? t->reload(s) : SVC_RELOAD_UNSUPPORTED;
}

uint8_t unit_state_of(const struct service *s)
{
    const struct unit_type_ops *t = unit_type_of(s);
    return t->state_code ? t->state_code(s) : (uint8_t)svc_state_of(s->sub);
}

void unit_proc_exited(struct service *s, struct svc_proc *p, int wait_status)
{
    const struct unit_type_ops *t = unit_type_of(s);
    if (t->proc_exited)
        t->proc_exited(s, p, wait_status);
    else
        svc_proc_exited(s, p, wait_status);
}

void unit_spawn_failed(struct service *s, struct svc_proc *p)
{
    const struct unit_type_ops *t = unit_type_of(s);
    if (t->spawn_failed)
        t->spawn_failed(s, p);
    else
        svc_spawn_failed(s, p);
}

void unit_timer_fired(struct service *s)
{
    const struct unit_type_ops *t = unit_type_of(s);
    if (t->timer_fired)
        t->timer_fired(s);
    else
        svc_timer_fired(s);
}

uint8_t unit_sub_of(const struct service *s)
{
    return unit_type_of(s)->sub_code(s);
}

void unit_reset_failed(struct service *s)
{
    const struct unit_type_ops *t = unit_type_of(s);
    /* The state first, with the old result: a failed unit turning dead
     * must not look like a success (SuccessAction=). */
    if (t->reset_failed)
        t->reset_failed(s);
    s->result = RESULT_SUCCESS;
    s->reload_result = RESULT_SUCCESS;
    s->restarts = 0;
    start_limit_reset(&s->start_limit);
}
