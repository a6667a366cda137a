/* unit_type.c - the table of unit types and the wrappers the generic code
 * calls (unit_type.h). The service type wraps service.c as it is. */
#include "core/unit_type.h"

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
};

static const struct unit_type_ops *const unit_types[UNIT_KIND_MAX] = {
    [UNIT_KIND_SERVICE] = &service_type,
    [UNIT_KIND_TARGET] = &target_type_ops,
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
 * loops. */
void unit_restart(struct service *s)
{
    if (s->restart_visiting)
        return;
    s->restart_visiting = true;
    unit_type_of(s)->restart(s);
    for (unsigned i = 0; i < s->links->nrdeps; i++) {
        struct service *a = s->links->rdeps[i].s;
        if ((s->links->rdeps[i].kinds & (DEP_REQUIRES | DEP_PART_OF)) && !svc_is_settled(a) &&
            a->sub != SUB_AUTO_RESTART) {
            log_unit_info(a->name, "restarting with %s", s->name);
            unit_restart(a);
        }
    }
    s->restart_visiting = false;
}

enum svc_reload_result unit_reload(struct service *s)
{
    const struct unit_type_ops *t = unit_type_of(s);
    return t->reload ? t->reload(s) : SVC_RELOAD_UNSUPPORTED;
}

uint8_t unit_state_of(const struct service *s)
{
    return (uint8_t)svc_state_of(s->sub);
}

uint8_t unit_sub_of(const struct service *s)
{
    return unit_type_of(s)->sub_code(s);
}
