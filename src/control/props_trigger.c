/* props_trigger.c - what a timer (systemd's dbus-timer.c) and a socket
 * (dbus-socket.c) add to `show`: the units that only start others. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "base/calendar.h"
#include "base/sockaddr.h"
#include "base/timespan.h"
#include "control/props.h"
#include "core/socket.h"
#include "core/timer.h"
#include "unit/unit_socket.h"

static const char *base_name(enum timer_base b)
{
    switch (b) {
    case TIMER_ACTIVE:
        return "OnActiveUSec";
    case TIMER_BOOT:
        return "OnBootUSec";
    case TIMER_STARTUP:
        return "OnStartupUSec";
    case TIMER_UNIT_ACTIVE:
        return "OnUnitActiveUSec";
    case TIMER_UNIT_INACTIVE:
        return "OnUnitInactiveUSec";
    case TIMER_CALENDAR:
        return "OnCalendar";
    }
    return "OnActiveUSec";
}

/* TimersMonotonic and TimersCalendar: one line per On*= value, in
 * systemd's "{ BASE=VALUE ; next_elapse=... }" form. pxinit keeps one
 * next elapse per timer, not per value: a monotonic value's is not known
 * (0); a calendar value's is computed from now. */
static void timer_values(const struct props_out *o, const struct unit_timer *c,
                         const struct props_env *env, bool calendar)
{
    const char *key = calendar ? "TimersCalendar" : "TimersMonotonic";
    if (!props_want(o, key))
        return;
    for (size_t i = 0; i < c->n; i++) {
        const struct timer_value *v = &c->v[i];
        if ((v->base == TIMER_CALENDAR) != calendar)
            continue;
        if (!calendar) {
            char span[128];
            props_fmt(o, key, "{ %s=%s ; next_elapse=0 }", base_name(v->base),
                      timespan_format(v->usec, span, sizeof(span)));
            continue;
        }
        char *text = v->cal ? calendar_format(v->cal) : NULL;
        uint64_t next = 0;
        char when[64];
        if (!v->cal || !env || calendar_next(v->cal, env->realtime_now, &next) < 0)
            next = 0;
        props_time_text(next, when, sizeof(when));
        props_fmt(o, key, "{ OnCalendar=%s ; next_elapse=%s }", text ? text : "", when);
        free(text);
    }
}

void props_timer(const struct props_out *o, const struct service *s, const struct props_env *env)
{
    const struct unit_timer *c = unit_timer(s->unit);
    struct timer_view tv = {0};
    bool have = timer_view_of(s, &tv);
    props_str(o, "Unit", timer_activates(s));
    timer_values(o, c, env, false);
    timer_values(o, c, env, true);
    props_bool(o, "OnClockChange", c->on_clock_change);
    props_bool(o, "OnTimezoneChange", c->on_timezone_change);
    /* Unix usec, as a ...Timestamp: the client formats them. */
    props_u64(o, "NextElapseUSecRealtime",
              have && tv.next_elapse != USEC_INFINITY ? tv.next_elapse : 0);
    props_u64(o, "NextElapseUSecMonotonic", 0);
    props_u64(o, "LastTriggerUSec", have ? tv.last_trigger : 0);
    uint64_t mono = 0;
    if (have && tv.last_trigger && env && tv.last_trigger <= env->realtime_now &&
        env->realtime_now - tv.last_trigger <= env->monotonic_now)
        mono = env->monotonic_now - (env->realtime_now - tv.last_trigger);
    props_u64(o, "LastTriggerUSecMonotonic", mono);
    props_str(o, "Result", service_result_name(s->result));
    props_span(o, "AccuracyUSec", c->accuracy_usec);
    props_span(o, "RandomizedDelayUSec", c->randomized_delay_usec);
    props_bool(o, "FixedRandomDelay", c->fixed_random_delay);
    props_bool(o, "Persistent", c->persistent);
    props_bool(o, "WakeSystem", c->wake_system);
    props_bool(o, "RemainAfterElapse", c->remain_after_elapse);
}

/* Listen: one pair per port, "TYPE ADDRESS" (doc/protocol.md). */
static void listen_props(const struct props_out *o, const struct unit_socket *def)
{
    if (!props_want(o, "Listen"))
        return;
    for (size_t i = 0; i < def->n; i++) {
        const struct socket_listen *l = &def->v[i];
        char addr[sizeof(struct sockaddr_un) + 64];
        const char *a = l->text ? l->text : "";
        if (l->kind != SOCKET_LISTEN_FIFO) {
            int n = sock_addr_format(&l->addr, addr, sizeof(addr));
            if (n > 0 && (size_t)n < sizeof(addr))
                a = addr;
        }
        props_fmt(o, "Listen", "%s %s", unit_socket_listen_type(l->kind), a);
    }
}

static const char *ipv6_only_name(enum bind_ipv6_only b)
{
    return b == BIND_IPV6_BOTH ? "both" : b == BIND_IPV6_ONLY ? "ipv6-only" : "default";
}

void props_socket(const struct props_out *o, const struct service *s, const struct props_env *env)
{
    (void)env;
    const struct unit_socket *c = unit_socket(s->unit);
    struct socket_view v;
    bool have = socket_view_of(s, &v);
    props_str(o, "BindIPv6Only", ipv6_only_name(c->bind_ipv6_only));
    props_u64(o, "Backlog", c->backlog);
    props_str(o, "SocketUser", c->socket_user);
    props_str(o, "SocketGroup", c->socket_group);
    props_fmt(o, "SocketMode", "%04o", (unsigned)c->socket_mode);
    props_fmt(o, "DirectoryMode", "%04o", (unsigned)c->directory_mode);
    props_bool(o, "Accept", c->accept);
    props_bool(o, "KeepAlive", c->keep_alive);
    props_bool(o, "NoDelay", c->no_delay);
    props_u64(o, "ReceiveBuffer", c->receive_buffer);
    props_u64(o, "SendBuffer", c->send_buffer);
    props_bool(o, "FreeBind", c->free_bind);
    props_bool(o, "ReusePort", c->reuse_port);
    props_bool(o, "PassCredentials", c->pass_credentials);
    props_bool(o, "RemoveOnStop", c->remove_on_stop);
    listen_props(o, c);
    props_list(o, "Symlinks", c->symlinks.v, c->symlinks.n);
    props_str(o, "Result", service_result_name(s->result));
    props_u64(o, "NConnections", have ? v.n_connections : 0);
    props_u64(o, "NAccepted", have ? v.n_accepted : 0);
    props_u64(o, "NRefused", 0);
    props_str(o, "FileDescriptorName", c->fd_name ? c->fd_name : s->name);
    props_span(o, "TriggerLimitIntervalUSec", c->trigger_limit_interval_usec);
    props_u64(o, "TriggerLimitBurst", c->trigger_limit_burst);
    props_u64(o, "MaxConnections", c->max_connections);
    props_u64(o, "MaxConnectionsPerSource", c->max_connections_per_source);
    props_kill(o, s->unit);
}
