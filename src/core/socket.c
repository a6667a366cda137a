/* socket.c - the socket state machine (socket.h), after systemd 252's
 * src/core/socket.c:
 *
 *   dead/failed --start--> listening (fds open and watched)
 *   listening --traffic, Accept=no--> running (fds not watched, its
 *     service started) --service inactive or failed--> listening
 *   listening --traffic, Accept=yes--> listening (an instance per
 *     connection, started by the run layer)
 *   any active --stop--> dead (fds closed; what it started keeps running)
 *   an open failure, a service that cannot start, too many triggers -->
 *     failed (fds closed)
 * With commands: start-pre (ExecStartPre=), the fds opened, start-post
 * (ExecStartPost=), listening; and on the way down stop-pre (ExecStopPre=,
 * fds still open), the fds closed, stop-post (ExecStopPost=). A command
 * that fails takes the socket down with result exit-code or signal.
 *
 * Every effect goes through rt->ops; every change of the record through
 * socket_set(), which tells the supervisor (s->ops->changed).
 */
#include "core/socket.h"

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "base/log.h"
#include "base/timespan.h"
#include "core/unit_type.h"
#include "unit/cmdline.h"
#include "wire/unit_state.h"

static struct socket_rt *rt_of(const struct service *s)
{
    return s->unit->kind == UNIT_KIND_SOCKET ? s->socket_rt : NULL;
}

/* "web.socket" -> "web" + suffix; NULL without memory. */
static char *name_with(const char *name, const char *suffix)
{
    const char *dot = strrchr(name, '.');
    int len = dot ? (int)(dot - name) : (int)strlen(name);
    char *out = NULL;
    if (asprintf(&out, "%.*s%s", len, name, suffix) < 0)
        return NULL;
    return out;
}

int socket_rt_init(struct socket_rt *rt, const struct unit *u, const struct socket_ops *ops)
{
    memset(rt, 0, sizeof(*rt));
    rt->ops = ops;
    rt->sub = SOCKET_SUB_DEAD;
    const struct unit_socket *c = unit_socket(u);
    rt->default_service = name_with(u->name, c->accept ? "@.service" : ".service");
    return rt->default_service ? 0 : -1;
}

void socket_rt_release(struct socket_rt *rt)
{
    free(rt->default_service);
    rt->default_service = NULL;
}

const char *socket_activates(const struct service *s)
{
    const struct socket_rt *rt = rt_of(s);
    const struct unit_socket *c = unit_socket(s->unit);
    if (!c->accept && c->service)
        return c->service;
    return rt && rt->default_service ? rt->default_service : "";
}

static enum svc_sub generic_sub(enum socket_sub sub)
{
    switch (sub) {
    case SOCKET_SUB_DEAD:
        return SUB_DEAD;
    case SOCKET_SUB_FAILED:
        return SUB_FAILED;
    case SOCKET_SUB_START_PRE:
        return SUB_START_PRE;
    case SOCKET_SUB_START_POST:
        return SUB_START_POST;
    case SOCKET_SUB_STOP_PRE:
        return SUB_STOP;
    case SOCKET_SUB_STOP_POST:
        return SUB_STOP_POST;
    default:
        return SUB_RUNNING;
    }
}

static void watch(struct service *s, struct socket_rt *rt, bool on)
{
    if (rt->watching == on)
        return;
    if (rt->ops->watch(s, on) == 0)
        rt->watching = on;
    else
        log_unit_error(s->name, "out of memory: its sockets are not watched");
}

static void socket_set(struct service *s, struct socket_rt *rt, enum socket_sub sub)
{
    enum socket_sub old_sub = rt->sub;
    enum svc_sub old = s->sub;
    rt->sub = sub;
    s->sub = generic_sub(sub);
    if (generic_sub(old_sub) != s->sub)
        s->since_usec = s->ops->now(s);
    if (old_sub != sub)
        s->ops->changed(s, old);
}

static bool has_cmds(const struct service *s, enum svc_control kind)
{
    const struct unit_cmds *c = unit_cmds(s->unit);
    switch (kind) {
    case CONTROL_START_PRE:
        return c->exec_start_pre.n > 0;
    case CONTROL_START_POST:
        return c->exec_start_post.n > 0;
    case CONTROL_STOP:
        return c->exec_stop.n > 0; /* ExecStopPre= */
    case CONTROL_STOP_POST:
        return c->exec_stop_post.n > 0;
    default:
        return false;
    }
}

static void phase_next(struct service *s, struct socket_rt *rt);

/* Runs the commands of kind in sub (ExecStartPre= in start-pre, ...), one
 * after the other: each exit comes back through socket_proc_exited(). */
static void run_phase(struct service *s, struct socket_rt *rt, enum socket_sub sub,
                      enum svc_control kind)
{
    s->control_kind = kind;
    s->control_idx = 0;
    socket_set(s, rt, sub);
    phase_next(s, rt);
}

static void enter_final(struct service *s, struct socket_rt *rt)
{
    s->control_kind = CONTROL_NONE;
    socket_set(s, rt, s->result != RESULT_SUCCESS ? SOCKET_SUB_FAILED : SOCKET_SUB_DEAD);
    /* A start (a restart's) arrived while the stop ran its commands. */
    if (s->start_after_stop && (rt->sub == SOCKET_SUB_DEAD || rt->sub == SOCKET_SUB_FAILED)) {
        s->start_after_stop = false;
        socket_start(s, true);
    }
}

static void enter_stop_post(struct service *s, struct socket_rt *rt)
{
    watch(s, rt, false);
    rt->ops->close(s);
    if (has_cmds(s, CONTROL_STOP_POST))
        run_phase(s, rt, SOCKET_SUB_STOP_POST, CONTROL_STOP_POST);
    else
        enter_final(s, rt);
}

/* The way down from any state: ExecStopPre= with the fds still open, then
 * the fds closed, then ExecStopPost=. A failure's result is kept. */
static void enter_dead(struct service *s, struct socket_rt *rt, enum service_result r)
{
    watch(s, rt, false);
    if (s->result == RESULT_SUCCESS)
        s->result = r;
    bool was_up = rt->sub == SOCKET_SUB_LISTENING || rt->sub == SOCKET_SUB_RUNNING;
    if (was_up && has_cmds(s, CONTROL_STOP))
        run_phase(s, rt, SOCKET_SUB_STOP_PRE, CONTROL_STOP);
    else
        enter_stop_post(s, rt);
}

/* Accept=no with its service up already (started by hand, or still
 * running from before a stop of the socket): the service has the fds, so
 * pxinit does not watch them. */
static void enter_listening(struct service *s, struct socket_rt *rt)
{
    if (!unit_socket(s->unit)->accept && rt->ops->service_active(s)) {
        watch(s, rt, false);
        socket_set(s, rt, SOCKET_SUB_RUNNING);
        return;
    }
    watch(s, rt, true);
    socket_set(s, rt, SOCKET_SUB_LISTENING);
}

static bool conditions_met(struct service *s, struct socket_rt *rt)
{
    if (!s->ops->check_conditions)
        return true;
    const struct path_condition *cond = NULL;
    enum condition_result r = svc_conditions_check(s, &cond);
    if (r == CONDITION_MET)
        return true;
    svc_condition_log(s, cond, r);
    if (r == CONDITION_ASSERT_FAILED)
        s->result = RESULT_ASSERT;
    socket_set(s, rt, r == CONDITION_ASSERT_FAILED ? SOCKET_SUB_FAILED : SOCKET_SUB_DEAD);
    return false;
}

static void enter_start_post(struct service *s, struct socket_rt *rt)
{
    if (has_cmds(s, CONTROL_START_POST))
        run_phase(s, rt, SOCKET_SUB_START_POST, CONTROL_START_POST);
    else
        enter_listening(s, rt);
}

static void open_fds(struct service *s, struct socket_rt *rt)
{
    if (rt->ops->open(s) < 0) {
        if (s->result == RESULT_SUCCESS)
            s->result = RESULT_RESOURCES;
        enter_stop_post(s, rt);
        return;
    }
    enter_start_post(s, rt);
}

/* The current phase's next command, or what follows the phase. A command
 * runs for TimeoutStartSec= (start phases) or TimeoutStopSec= at most. */
static void phase_next(struct service *s, struct socket_rt *rt)
{
    bool failed = false;
    if (svc_control_next(s, &failed)) {
        bool starting = rt->sub == SOCKET_SUB_START_PRE || rt->sub == SOCKET_SUB_START_POST;
        s->ops->timer(s, starting ? s->unit->timeout_start_usec : s->unit->timeout_stop_usec);
        return;
    }
    s->ops->timer(s, 0);
    enum socket_sub sub = rt->sub;
    s->control_kind = CONTROL_NONE;
    if (failed && s->result == RESULT_SUCCESS)
        s->result = RESULT_RESOURCES;
    if (failed || (s->stop_wanted && sub <= SOCKET_SUB_START_POST)) {
        /* A start that failed, or was stopped meanwhile, goes down. */
        if (sub == SOCKET_SUB_STOP_POST)
            enter_final(s, rt);
        else
            enter_stop_post(s, rt);
        return;
    }
    switch (sub) {
    case SOCKET_SUB_START_PRE:
        open_fds(s, rt);
        break;
    case SOCKET_SUB_START_POST:
        enter_listening(s, rt);
        break;
    case SOCKET_SUB_STOP_PRE:
        enter_stop_post(s, rt);
        break;
    case SOCKET_SUB_STOP_POST:
        enter_final(s, rt);
        break;
    default:
        break;
    }
}

void socket_proc_exited(struct service *s, struct svc_proc *p, int wait_status)
{
    struct socket_rt *rt = rt_of(s);
    p->pid = 0;
    p->pidfd = -1;
    if (rt && p == &s->control)
        s->ops->timer(s, 0);
    if (!rt || p != &s->control || s->control_kind == CONTROL_NONE)
        return;
    if (!svc_command_ok(s, p, wait_status)) {
        log_unit_warn(s->name, "a command of %s failed", socket_sub_name(rt->sub));
        if (s->result == RESULT_SUCCESS)
            s->result = WIFSIGNALED(wait_status) ? RESULT_SIGNAL : RESULT_EXIT_CODE;
        s->control_kind = CONTROL_NONE;
        if (rt->sub == SOCKET_SUB_STOP_POST)
            enter_final(s, rt);
        else
            enter_stop_post(s, rt);
        return;
    }
    phase_next(s, rt);
}

/* A command ran past its timeout: killed (its group), it ends the phase as
 * a failure, "timeout". */
void socket_timer_fired(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt || s->control_kind == CONTROL_NONE || (s->control.pid <= 0 && !s->control.pending))
        return;
    log_unit_warn(s->name, "%s timed out: killing its command", socket_sub_name(rt->sub));
    if (s->result == RESULT_SUCCESS)
        s->result = RESULT_TIMEOUT;
    s->ops->kill(s, &s->control, SIGKILL, true);
}

void socket_spawn_failed(struct service *s, struct svc_proc *p)
{
    bool ignored = p->flags & EXEC_FLAG_IGNORE_FAILURE;
    if (!ignored && s->result == RESULT_SUCCESS)
        s->result = RESULT_RESOURCES;
    socket_proc_exited(s, p, ignored ? 0 : W_EXITCODE(1, 0));
}

void socket_start(struct service *s, bool explicit_request)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt)
        return;
    s->stop_wanted = false;
    if (rt->sub == SOCKET_SUB_STOP_PRE || rt->sub == SOCKET_SUB_STOP_POST) {
        s->start_after_stop = true; /* enter_final() starts it */
        return;
    }
    if (rt->sub != SOCKET_SUB_DEAD && rt->sub != SOCKET_SUB_FAILED)
        return;
    if (explicit_request)
        s->restarts = 0;
    s->result = RESULT_SUCCESS;
    rt->trigger_window = 0;
    rt->trigger_count = 0;
    if (!conditions_met(s, rt))
        return;
    s->started_ok = true;
    if (has_cmds(s, CONTROL_START_PRE))
        run_phase(s, rt, SOCKET_SUB_START_PRE, CONTROL_START_PRE);
    else
        open_fds(s, rt);
}

void socket_stop(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt)
        return;
    s->stop_wanted = true;
    s->start_after_stop = false;
    switch (rt->sub) {
    case SOCKET_SUB_DEAD:
    case SOCKET_SUB_FAILED:
    case SOCKET_SUB_STOP_PRE:
    case SOCKET_SUB_STOP_POST:
        return; /* down, or on its way */
    case SOCKET_SUB_START_PRE:
    case SOCKET_SUB_START_POST:
        /* Its command's end takes it down (stop_wanted). */
        if (s->control.pid > 0 || s->control.pending)
            s->ops->kill(s, &s->control, SIGTERM, true);
        return;
    case SOCKET_SUB_RUNNING:
        /* At shutdown its service may have stopped first, unseen. */
        if (rt->ops->service_active(s))
            log_unit_warn(s->name, "stopping, but %s is still running: it keeps its sockets",
                          socket_activates(s));
        break;
    default:
        break;
    }
    s->result = RESULT_SUCCESS;
    enter_dead(s, rt, RESULT_SUCCESS);
}

void socket_restart(struct service *s)
{
    socket_stop(s);
    socket_start(s, true);
}

/* TriggerLimitIntervalSec=/TriggerLimitBurst=: false (and the socket
 * failed) past the burst in one interval; an interval or burst of 0 is no
 * limit, as systemd's ratelimit. */
static bool trigger_allowed(struct service *s, struct socket_rt *rt)
{
    const struct unit_socket *c = unit_socket(s->unit);
    uint64_t interval = c->trigger_limit_interval_usec;
    unsigned burst = c->trigger_limit_burst;
    if (!c->trigger_limit_burst_set && c->accept)
        burst = burst > 200 ? burst : 200;
    if (interval == 0 || burst == 0)
        return true;
    uint64_t now = s->ops->now(s);
    if (rt->trigger_window == 0 || now < rt->trigger_window ||
        (interval != USEC_INFINITY && now - rt->trigger_window >= interval)) {
        rt->trigger_window = now ? now : 1;
        rt->trigger_count = 0;
    }
    if (++rt->trigger_count <= burst)
        return true;
    log_unit_error(s->name,
                   "trigger limit hit (more than %u in %.3gs): refusing further activation", burst,
                   (double)interval / USEC_PER_SEC);
    enter_dead(s, rt, RESULT_TRIGGER_LIMIT);
    return false;
}

static void trigger(struct service *s, struct socket_rt *rt)
{
    if (!trigger_allowed(s, rt))
        return;
    watch(s, rt, false);
    rt->n_triggers++;
    socket_set(s, rt, SOCKET_SUB_RUNNING);
    if (rt->ops->service_active(s))
        return; /* it was started meanwhile: its end brings the socket back */
    log_unit_debug(s->name, "traffic: starting %s", socket_activates(s));
    enum service_result why = RESULT_RESOURCES;
    rt->triggering = true;
    int r = rt->ops->trigger(s, &why);
    rt->triggering = false;
    if (rt->sub != SOCKET_SUB_RUNNING)
        return; /* stopped meanwhile */
    if (r < 0) {
        log_unit_error(s->name, "failed to start %s: closing its sockets", socket_activates(s));
        enter_dead(s, rt, why);
        return;
    }
    /* A service that did not stay up (a condition said no, its start
     * failed at once) gave its news while we were triggering. */
    if (!rt->ops->service_active(s))
        enter_listening(s, rt);
}

void socket_readable(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt || rt->sub != SOCKET_SUB_LISTENING)
        return;
    if (unit_socket(s->unit)->accept)
        rt->ops->accept(s);
    else
        trigger(s, rt);
}

bool socket_conn_allowed(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt || rt->sub != SOCKET_SUB_LISTENING)
        return false;
    return trigger_allowed(s, rt);
}

void socket_accept_failed(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (rt && rt->sub == SOCKET_SUB_LISTENING)
        enter_dead(s, rt, RESULT_RESOURCES);
}

void socket_service_changed(struct service *s, bool now_inactive, bool auto_restart)
{
    struct socket_rt *rt = rt_of(s);
    if (!rt || rt->triggering || unit_socket(s->unit)->accept)
        return;
    if (rt->sub == SOCKET_SUB_RUNNING && now_inactive && !auto_restart)
        enter_listening(s, rt);
    else if (rt->sub == SOCKET_SUB_LISTENING && !now_inactive)
        enter_listening(s, rt); /* started by other means: it has the fds now */
}

static const char *const sub_names[] = {
    [SOCKET_SUB_DEAD] = "dead",
    [SOCKET_SUB_START_PRE] = "start-pre",
    [SOCKET_SUB_START_POST] = "start-post",
    [SOCKET_SUB_LISTENING] = "listening",
    [SOCKET_SUB_RUNNING] = "running",
    [SOCKET_SUB_STOP_PRE] = "stop-pre",
    [SOCKET_SUB_STOP_POST] = "stop-post",
    [SOCKET_SUB_FAILED] = "failed",
};

const char *socket_sub_name(enum socket_sub sub)
{
    return (unsigned)sub < sizeof(sub_names) / sizeof(sub_names[0]) ? sub_names[sub] : "unknown";
}

uint8_t socket_sub_code(const struct service *s)
{
    static const uint8_t codes[] = {
        [SOCKET_SUB_DEAD] = UNIT_SUB_DEAD,
        [SOCKET_SUB_START_PRE] = UNIT_SUB_START_PRE,
        [SOCKET_SUB_START_POST] = UNIT_SUB_START_POST,
        [SOCKET_SUB_LISTENING] = UNIT_SUB_LISTENING,
        [SOCKET_SUB_RUNNING] = UNIT_SUB_RUNNING,
        [SOCKET_SUB_STOP_PRE] = UNIT_SUB_STOP_PRE,
        [SOCKET_SUB_STOP_POST] = UNIT_SUB_STOP_POST,
        [SOCKET_SUB_FAILED] = UNIT_SUB_FAILED,
    };
    const struct socket_rt *rt = rt_of(s);
    return rt ? codes[rt->sub] : (uint8_t)s->sub;
}

uint8_t socket_state_code(const struct service *s)
{
    const struct socket_rt *rt = rt_of(s);
    switch (rt ? rt->sub : SOCKET_SUB_DEAD) {
    case SOCKET_SUB_DEAD:
        return UNIT_STATE_INACTIVE;
    case SOCKET_SUB_FAILED:
        return UNIT_STATE_FAILED;
    case SOCKET_SUB_START_PRE:
    case SOCKET_SUB_START_POST:
        return UNIT_STATE_ACTIVATING;
    case SOCKET_SUB_STOP_PRE:
    case SOCKET_SUB_STOP_POST:
        return UNIT_STATE_DEACTIVATING;
    default:
        return UNIT_STATE_ACTIVE;
    }
}

/* Shown for a socket whose fds array does not fit its definition (a
 * reload replaced it while it was dead, and there was no memory to size
 * the array again): nothing open. */
#define VIEW_NONE_MAX 64
static const int view_none[VIEW_NONE_MAX] = {[0 ... VIEW_NONE_MAX - 1] = -1};

bool socket_view_of(const struct service *s, struct socket_view *v)
{
    memset(v, 0, sizeof(*v));
    const struct socket_rt *rt = rt_of(s);
    if (!rt)
        return false;
    v->def = unit_socket(s->unit);
    if (rt->fds && rt->nfds >= v->def->n)
        v->fds = rt->fds;
    else if (v->def->n <= VIEW_NONE_MAX)
        v->fds = view_none;
    else
        return false;
    v->activates = socket_activates(s);
    v->n_accepted = rt->n_accepted;
    v->n_connections = rt->n_connections;
    v->n_triggers = rt->n_triggers;
    return true;
}

static void socket_reset_failed(struct service *s)
{
    struct socket_rt *rt = rt_of(s);
    if (rt && rt->sub == SOCKET_SUB_FAILED)
        socket_set(s, rt, SOCKET_SUB_DEAD);
}

const struct unit_type_ops socket_type_ops = {
    .suffix = ".socket",
    .start = socket_start,
    .stop = socket_stop,
    .restart = socket_restart,
    .sub_code = socket_sub_code,
    .state_code = socket_state_code,
    .proc_exited = socket_proc_exited,
    .spawn_failed = socket_spawn_failed,
    .timer_fired = socket_timer_fired,
    .reset_failed = socket_reset_failed,
};
