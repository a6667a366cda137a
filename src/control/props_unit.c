/* props_unit.c - the Unit interface's properties (systemd's dbus-unit.c
 * order) after the ones a unit's type adds; and the set a unit that is
 * not loaded gets (not found, or masked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timespan.h"
#include "control/props.h"
#include "core/socket.h"
#include "core/timer.h"
#include "core/unit_type.h"
#include "wire/unit_state.h"

/* The names of the units that have a link of kind to s (links->rdeps), or
 * that s has one to (links->deps), space-separated in buf. */
static void dep_names(const struct service *s, bool reverse, unsigned kind, char *buf, size_t size)
{
    const struct svc_dep *v = reverse ? s->links->rdeps : s->links->deps;
    unsigned n = reverse ? s->links->nrdeps : s->links->ndeps;
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (!(v[i].kinds & kind))
            continue;
        size_t l = strlen(v[i].s->unit->name);
        if (len + l + 2 > size)
            break;
        if (len)
            buf[len++] = ' ';
        memcpy(buf + len, v[i].s->unit->name, l + 1);
        len += l;
    }
}

static void reverse_deps(const struct props_out *o, const char *key, const struct service *s,
                         unsigned kind)
{
    if (!props_want(o, key))
        return;
    char buf[2048];
    dep_names(s, true, kind, buf, sizeof(buf));
    props_str(o, key, buf);
}

static void names(const struct props_out *o, const struct unit *u)
{
    if (!props_want(o, "Names"))
        return;
    const struct strv *a = &unit_deps(u)->aliases;
    char *few[16], **v = a->n + 1 <= 16 ? few : malloc((a->n + 1) * sizeof(*v));
    if (!v) {
        props_str(o, "Names", u->name);
        return;
    }
    v[0] = u->name;
    for (size_t i = 0; i < a->n; i++)
        v[i + 1] = a->v[i];
    props_list(o, "Names", v, a->n + 1);
    if (v != few)
        free(v);
}

static const char *action_name(enum unit_action a)
{
    return a == UNIT_ACTION_EXIT ? "exit" : "none";
}

/* Triggers: what a timer or socket starts ("" for an Accept=yes socket:
 * its instances come and go). */
static const char *triggers(const struct service *s)
{
    if (s->unit->kind == UNIT_KIND_TIMER)
        return timer_activates(s);
    if (s->unit->kind == UNIT_KIND_SOCKET && !unit_socket(s->unit)->accept)
        return socket_activates(s);
    return "";
}

static void props_triggers(const struct props_out *o, const struct service *s,
                           const struct props_env *env)
{
    props_str(o, "Triggers", triggers(s));
    if (props_want(o, "TriggeredBy")) {
        char buf[2048] = "";
        if (env && env->triggered_by)
            env->triggered_by(env->ctx, s, buf, sizeof(buf));
        props_str(o, "TriggeredBy", buf);
    }
}

/* The Unit interface, from Id to CollectMode. load_state/load_error: NULL
 * for a loaded unit. */
static void unit_part_props(const struct props_out *o, const struct service *s,
                            const struct props_env *env, const char *load_state,
                            const char *load_error)
{
    const struct unit *u = s->unit;
    const struct unit_deps *d = unit_deps(u);
    props_str(o, "Id", u->name);
    names(o, u);
    props_str(o, "Following", "");
    props_list(o, "Requires", d->requires.v, d->requires.n);
    props_list(o, "Requisite", d->requisite.v, d->requisite.n);
    props_list(o, "Wants", d->wants.v, d->wants.n);
    props_list(o, "BindsTo", d->binds_to.v, d->binds_to.n);
    props_list(o, "PartOf", d->part_of.v, d->part_of.n);
    reverse_deps(o, "RequiredBy", s, DEP_REQUIRES);
    reverse_deps(o, "RequisiteOf", s, DEP_REQUISITE);
    reverse_deps(o, "WantedBy", s, DEP_WANTS);
    reverse_deps(o, "BoundBy", s, DEP_BINDS_TO);
    reverse_deps(o, "ConsistsOf", s, DEP_PART_OF);
    props_list(o, "Conflicts", d->conflicts.v, d->conflicts.n);
    reverse_deps(o, "ConflictedBy", s, DEP_CONFLICTS);
    props_list(o, "Before", d->before.v, d->before.n);
    props_list(o, "After", d->after.v, d->after.n);
    props_triggers(o, s, env);
    props_str(o, "Description", u->description ? u->description : u->name);
    props_str(o, "LoadState", load_state ? load_state : u->loaded ? "loaded" : "bad-setting");
    uint8_t st = load_state ? UNIT_STATE_INACTIVE : unit_state_of(s);
    props_str(o, "ActiveState", unit_state_name(st));
    props_str(o, "FreezerState", "running");
    props_str(o, "SubState", unit_sub_name(load_state ? UNIT_SUB_DEAD : unit_sub_of(s)));
    if (props_want(o, "FragmentPath")) {
        char buf[4096];
        const char *p = load_state ? NULL : unit_path(u, buf, sizeof(buf));
        props_str(o, "FragmentPath", p);
    }
    props_list(o, "DropInPaths", d->dropin_paths.v, d->dropin_paths.n);
    /* pxinit's own: keys it accepts without enforcing them (unit_notice.c). */
    props_list(o, "NotEnforced", d->not_enforced.v, d->not_enforced.n);
    props_str(o, "UnitFileState", ""); /* the client asks install_state() */
    props_str(o, "UnitFilePreset", "");
    const struct svc_stamps *t = &s->stamps;
    props_stamp(o, "StateChangeTimestamp", t->state_change, env);
    props_stamp(o, "InactiveExitTimestamp", t->inactive_exit, env);
    props_stamp(o, "ActiveEnterTimestamp", t->active_enter, env);
    props_stamp(o, "ActiveExitTimestamp", t->active_exit, env);
    props_stamp(o, "InactiveEnterTimestamp", t->inactive_enter, env);
    bool loaded = !load_state || strcmp(load_state, "masked") != 0;
    /* A template ("app@.service") is not started itself. */
    props_bool(o, "CanStart", loaded && !strstr(u->name, "@."));
    props_bool(o, "CanStop", loaded);
    props_bool(o, "CanReload",
               loaded && u->kind == UNIT_KIND_SERVICE && unit_cmds(u)->exec_reload.n > 0);
    props_bool(o, "CanIsolate", false);
    props_bool(o, "CanFreeze", false);
    props_bool(o, "StopWhenUnneeded", false);
    props_bool(o, "RefuseManualStart", false);
    props_bool(o, "RefuseManualStop", false);
    props_bool(o, "AllowIsolate", false);
    props_bool(o, "DefaultDependencies", true);
    props_str(o, "OnSuccessJobMode", "fail");
    props_str(o, "OnFailureJobMode", "replace");
    props_bool(o, "IgnoreOnIsolate", false);
    props_bool(o, "NeedDaemonReload", false);
    props_span(o, "JobTimeoutUSec", USEC_INFINITY);
    props_span(o, "JobRunningTimeoutUSec", USEC_INFINITY);
    props_str(o, "JobTimeoutAction", "none");
    props_bool(o, "ConditionResult", t->condition_result);
    props_bool(o, "AssertResult", t->assert_result);
    props_stamp(o, "ConditionTimestamp", t->condition, env);
    props_stamp(o, "AssertTimestamp", t->assert_, env);
    if (load_error)
        props_str(o, "LoadError", load_error);
    props_bool(o, "Transient", false);
    props_bool(o, "Perpetual", false);
    props_span(o, "StartLimitIntervalUSec", u->start_limit_interval_usec);
    props_u64(o, "StartLimitBurst", u->start_limit_burst);
    props_str(o, "StartLimitAction", "none");
    props_str(o, "FailureAction", action_name(u->failure_action));
    props_str(o, "FailureActionExitStatus", "-1");
    props_str(o, "SuccessAction", action_name(u->success_action));
    props_str(o, "SuccessActionExitStatus", "-1");
    props_str(o, "RebootArgument", "");
    if (props_want(o, "InvocationID")) {
        char id[33];
        svc_invocation_id(s, id);
        props_str(o, "InvocationID", id);
    }
    props_str(o, "CollectMode", "inactive");
}

static void type_props(const struct props_out *o, const struct service *s,
                       const struct props_env *env)
{
    switch (s->unit->kind) {
    case UNIT_KIND_SERVICE:
        props_service(o, s, env);
        break;
    case UNIT_KIND_TIMER:
        props_timer(o, s, env);
        break;
    case UNIT_KIND_SOCKET:
        props_socket(o, s, env);
        break;
    default:
        break; /* a target adds nothing */
    }
}

void props_unit(const struct props_out *o, const struct service *s, const struct props_env *env)
{
    type_props(o, s, env);
    unit_part_props(o, s, env, NULL, NULL);
}

void props_unloaded(const struct props_out *o, const char *name, bool masked)
{
    char err[512];
    snprintf(err, sizeof(err), "org.freedesktop.systemd1.%s \"Unit %s %s.\"",
             masked ? "UnitMasked" : "NoSuchUnit", name, masked ? "is masked" : "not found");
    const char *state = masked ? "masked" : "not-found";
    struct unit *u = unit_new(name);
    if (!u) {
        /* No memory for the record: what systemctl needs to tell. */
        props_str(o, "Id", name);
        props_str(o, "Names", name);
        props_str(o, "LoadState", state);
        props_str(o, "ActiveState", "inactive");
        props_str(o, "SubState", "dead");
        props_str(o, "LoadError", err);
        return;
    }
    struct service s;
    memset(&s, 0, sizeof(s));
    s.unit = u;
    s.name = unit_name_short(u);
    s.sub = SUB_DEAD;
    s.links = &svc_links_none;
    s.main.pidfd = s.control.pidfd = -1;
    if (unit_kind_of_name(name) >= 0) /* not for the types pxinit lacks (.mount) */
        type_props(o, &s, NULL);
    unit_part_props(o, &s, NULL, state, err);
    unit_free(u);
}
