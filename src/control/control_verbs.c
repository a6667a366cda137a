/* control_verbs.c - what each control request does (doc/protocol.md), and
 * the jobs of clients waiting for a unit to get somewhere (start waits until
 * active or failed, stop until inactive, reload until ExecReload= is done).
 *
 * Jobs are judged in an idle callback after state changes, never inside the
 * state machine's own callbacks: a restart passes through states (dead between
 * stop and start) that must not end a wait.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "control/control_verbs.h"

#include "control/control_int.h"
#include "control/control_show.h"
#include "base/log.h"
#include "run/phase.h"
#include "base/signame.h"
#include "run/supervisor.h"
#include "core/unit_type.h"
#include "core/timer.h"
#include "unit/unit_load.h"
#include "wire/verbs.h"

/* The first error met while an instance loaded, for the client that asked. */
struct instance_diag {
    char first[512];
    unsigned errors;
};

static void instance_on_diag(void *ctx, enum diag_level level, const char *message)
{
    struct instance_diag *d = ctx;
    if (level == DIAG_ERROR && d->errors++ == 0)
        snprintf(d->first, sizeof(d->first), "%s", message);
}

/* name ("web", "web.service", "app@1.2") with a unit suffix, in buf; NULL
 * when too long or out of memory. */
static const char *full_name(const char *name, char *buf, size_t size)
{
    char *full = unit_name_normalize(name);
    const char *r = NULL;
    if (full && strlen(full) < size)
        r = strcpy(buf, full);
    free(full);
    return r;
}

/* True, with an error line, when name is masked (systemctl's wording). */
static bool refuse_masked(struct ctl_client *c, const char *name)
{
    struct pxinit *px = c->ctl->px;
    char buf[PROTO_MAX_REQUEST];
    const char *full = full_name(name, buf, sizeof(buf));
    if (px->opts.no_units || !full ||
        !unit_masked(&px->opts.unit_dirs, px->opts.systemd_units, full))
        return false;
    ctl_error(c, PROTO_EXIT_FAILED, "Unit %s is masked.", full);
    return true;
}

/* The service named argv[i] or an error line (SPEC: 4, no such unit).
 * demand: a plain name not loaded comes from its file (status, logs: no). */
static struct service *unit_arg(struct ctl_client *c, const char *name, bool demand)
{
    struct service *s = NULL;
    struct pxinit *px = c->ctl->px;
    char buf[PROTO_MAX_REQUEST];
    /* With its suffix: "app@..-x" has dots but none of a unit type. */
    const char *full = proto_unit_name_ok(name) ? full_name(name, buf, sizeof(buf)) : NULL;
    if (full)
        s = unit_table_find(&px->table, full);
    if (!s && full && refuse_masked(c, full))
        return NULL;
    if (!s && full && (demand || strchr(full, '@')) && px->phase == PHASE_RUNNING &&
        !px->opts.no_units) {
        /* name@inst: made from the template name@.service on first use; a
         * plain name: loaded from its file (one not enabled, or new). */
        struct instance_diag d = {.errors = 0};
        struct unit_load_report rep = {.diag = instance_on_diag, .ctx = &d};
        struct unit *u =
            unit_load_instance_report(&px->opts.unit_dirs, px->opts.systemd_units, full, &rep);
        if (u)
            s = ctl_instance_add(c->ctl, u);
        else if (d.errors) {
            /* The template's line the instance name broke, e.g. a ".."
             * that %I put in a path. */
            ctl_error(c, PROTO_EXIT_FAILED, "%s: unit failed to load: %s%s", full, d.first,
                      d.errors > 1 ? " (and more, see the log)" : "");
            return NULL;
        }
    }
    if (!s)
        ctl_error(c, PROTO_EXIT_NO_UNIT, "%s: no such unit", name);
    return s;
}

/* Resolves every name in argv (options skipped); false when any is missing
 * (then nothing is done, as systemctl does). */
static bool units_resolve(struct ctl_client *c, int argc, char **argv, struct service **out,
                          size_t *n)
{
    bool ok = true;
    *n = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        struct service *s = unit_arg(c, argv[i], true);
        if (s)
            out[(*n)++] = s;
        else
            ok = false;
    }
    if (ok && *n == 0) {
        ctl_error(c, PROTO_EXIT_USAGE, "no unit given");
        ok = false;
    }
    return ok;
}

static bool has_option(int argc, char **argv, const char *opt)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], opt) == 0)
            return true;
    return false;
}

static bool refuse_when_stopping(struct ctl_client *c)
{
    if (c->ctl->px->phase < PHASE_STOPPING)
        return false;
    ctl_error(c, PROTO_EXIT_FAILED, "pxinit is shutting down");
    ctl_request_done(c);
    return true;
}

static void reply_unit(struct ctl_client *c, struct service *s)
{
    struct sb_unit u;
    char line[PROTO_MAX_REQUEST];
    ctl_unit_record(c->ctl, s, &u);
    proto_format_unit(line, sizeof(line), &u);
    ctl_reply(c, "%s", line);
    if (u.timer) {
        proto_format_timer(line, sizeof(line), &u);
        ctl_reply(c, "%s", line);
    }
    ctl_reply_socket(c, s);
}

/* --- jobs --------------------------------------------------------------------- */

static void add_job(struct ctl_client *c, struct service *s, enum ctl_job_kind kind)
{
    struct ctl_job *v = realloc(c->jobs, (c->njobs + 1) * sizeof(*v));
    if (!v) {
        ctl_error(c, PROTO_EXIT_FAILED, "%s: out of memory, not waiting", s->name);
        return;
    }
    c->jobs = v;
    v[c->njobs++] = (struct ctl_job){.s = s, .kind = kind};
}

/* Where a start (or restart) job stands: -1 waiting, else the exit code (and
 * an error line when it failed). */
static int start_job_status(struct ctl_client *c, struct service *s)
{
    const char *what = "start";
    switch (svc_state_of(s->sub)) {
    case SVC_ACTIVE:
        return 0;
    case SVC_ACTIVATING:
        if (s->sub != SUB_AUTO_RESTART)
            return -1;
        what = "start failed, restart scheduled";
        break;
    case SVC_DEACTIVATING:
        return -1;
    case SVC_INACTIVE:
        if (s->result == RESULT_SUCCESS)
            return 0; /* a oneshot that is done, or a condition not met */
        what = "start failed";
        break;
    case SVC_FAILED:
        what = "start failed";
        break;
    }
    char ex[64] = "";
    bool by_exit = s->result == RESULT_EXIT_CODE || s->result == RESULT_SIGNAL ||
                   s->result == RESULT_CORE_DUMP;
    if (!by_exit)
        ; /* the last exit is an older run's: not the reason */
    else if (s->have_exit && WIFEXITED(s->last_status))
        snprintf(ex, sizeof(ex), ", exit code %d", WEXITSTATUS(s->last_status));
    else if (s->have_exit && WIFSIGNALED(s->last_status))
        snprintf(ex, sizeof(ex), ", killed by SIG%s", signal_to_name(WTERMSIG(s->last_status)));
    ctl_error(c, PROTO_EXIT_FAILED, "%s: %s (result: %s%s); see 'pxinit status %s'", s->name, what,
              service_result_name(s->result), ex, s->name);
    return PROTO_EXIT_FAILED;
}

static int job_status(struct ctl_client *c, struct ctl_job *j)
{
    struct service *s = j->s;
    switch (j->kind) {
    case CTL_JOB_START:
    case CTL_JOB_RESTART:
        return start_job_status(c, s);
    case CTL_JOB_STOP:
        return svc_is_settled(s) ? 0 : -1;
    case CTL_JOB_RELOAD:
        if (s->sub == SUB_RELOAD)
            return -1;
        if (s->reload_result == RESULT_SUCCESS)
            return 0;
        ctl_error(c, PROTO_EXIT_FAILED, "%s: reload failed (result: %s)", s->name,
                  service_result_name(s->reload_result));
        return PROTO_EXIT_FAILED;
    }
    return 0;
}

static void client_jobs_check(struct ctl_client *c)
{
    bool waiting = false;
    for (size_t i = 0; i < c->njobs; i++) {
        struct ctl_job *j = &c->jobs[i];
        if (j->done)
            continue;
        int r = job_status(c, j);
        if (r < 0) {
            waiting = true;
            continue;
        }
        j->done = true;
        if (r && !c->code)
            c->code = r;
    }
    if (!waiting)
        ctl_request_done(c);
}

/* Re-evaluates the jobs of waiting clients. */
static void jobs_check(struct ctl *ctl)
{
    struct ctl_client *c = ctl->clients;
    while (c) {
        /* ctl_request_done() may free c (a reply to a vanished reader). */
        struct ctl_client *next = c->next;
        if (c->busy && !c->in_dispatch && c->njobs)
            client_jobs_check(c);
        c = next;
    }
}

/* Ends the request now or leaves it waiting for its jobs. */
static void wait_or_done(struct ctl_client *c, bool no_block)
{
    if (no_block || c->njobs == 0) {
        ctl_request_done(c);
        return;
    }
    ctl_settle_soon(c->ctl); /* the first look happens once the loop is idle */
}

/* --- verbs -------------------------------------------------------------------- */

static void verb_ping(struct ctl_client *c, int argc, char **argv)
{
    ctl_request_done(c);
}

/* status of a masked unit: a record saying so (systemctl: loaded "masked",
 * inactive), exit 3. False when name is not masked. */
static bool reply_masked(struct ctl_client *c, const char *name)
{
    struct pxinit *px = c->ctl->px;
    char buf[PROTO_MAX_REQUEST], line[PROTO_MAX_REQUEST];
    const char *full = full_name(name, buf, sizeof(buf));
    if (px->opts.no_units || !full ||
        !unit_masked(&px->opts.unit_dirs, px->opts.systemd_units, full))
        return false;
    struct sb_unit u = {.pid = -1, .pgid = -1, .exit_code = -1, .exit_signal = -1};
    proto_short_name(full, u.name, sizeof(u.name));
    u.state = UNIT_STATE_INACTIVE;
    u.sub = UNIT_SUB_MASKED;
    proto_format_unit(line, sizeof(line), &u);
    ctl_reply(c, "%s", line);
    if (!c->code)
        c->code = PROTO_EXIT_NOT_ACTIVE;
    return true;
}

static void verb_status(struct ctl_client *c, int argc, char **argv)
{
    struct pxinit *px = c->ctl->px;
    bool any = false;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        any = true;
        char buf[PROTO_MAX_REQUEST];
        const char *full =
            proto_unit_name_ok(argv[i]) ? full_name(argv[i], buf, sizeof(buf)) : NULL;
        struct service *s = full ? unit_table_find(&px->table, full) : NULL;
        if (!s && full && reply_masked(c, full))
            continue;
        if (!s)
            s = unit_arg(c, argv[i], false);
        if (!s)
            continue;
        reply_unit(c, s);
        if (svc_state_of(s->sub) != SVC_ACTIVE && !c->code)
            c->code = PROTO_EXIT_NOT_ACTIVE;
    }
    if (!any)
        for (size_t i = 0; i < px->table.n; i++)
            reply_unit(c, px->table.svc[i]);
    ctl_request_done(c);
}

static void verb_list(struct ctl_client *c, int argc, char **argv)
{
    struct pxinit *px = c->ctl->px;
    for (size_t i = 0; i < px->table.n; i++)
        reply_unit(c, px->table.svc[i]);
    ctl_request_done(c);
}

/* list-timers: every timer, active or not (the client filters, as
 * systemctl's --all does). */
static void verb_list_timers(struct ctl_client *c, int argc, char **argv)
{
    struct pxinit *px = c->ctl->px;
    struct timer_view tv;
    for (size_t i = 0; i < px->table.n; i++)
        if (timer_view_of(px->table.svc[i], &tv))
            reply_unit(c, px->table.svc[i]);
    ctl_request_done(c);
}

static void verb_jobs(struct ctl_client *c, int argc, char **argv, enum ctl_job_kind kind)
{
    struct pxinit *px = c->ctl->px;
    if (kind != CTL_JOB_STOP && refuse_when_stopping(c))
        return;
    struct service **v = calloc((size_t)argc, sizeof(*v));
    size_t n;
    if (!v) {
        ctl_error(c, PROTO_EXIT_FAILED, "out of memory");
        ctl_request_done(c);
        return;
    }
    if (!units_resolve(c, argc - 1, argv + 1, v, &n)) {
        free(v);
        ctl_request_done(c);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct service *s = v[i];
        switch (kind) {
        case CTL_JOB_START:
            unit_start(s, true);
            break;
        case CTL_JOB_STOP:
            unit_stop(s);
            break;
        case CTL_JOB_RESTART:
            unit_restart(s);
            break;
        case CTL_JOB_RELOAD:
            if (s->sub == SUB_RELOAD) {
                break; /* wait for the reload under way */
            }
            switch (unit_reload(s)) {
            case SVC_RELOAD_STARTED:
                break;
            case SVC_RELOAD_UNSUPPORTED:
                ctl_error(c, PROTO_EXIT_FAILED,
                          "%s: reload not supported: the unit has no ExecReload= (to send a "
                          "signal: pxinit kill -s HUP %s)",
                          s->name, s->name);
                continue;
            case SVC_RELOAD_NOT_ACTIVE:
                ctl_error(c, PROTO_EXIT_FAILED, "%s: not active (%s), cannot reload", s->name,
                          unit_sub_name(unit_sub_of(s)));
                continue;
            case SVC_RELOAD_FAILED:
                ctl_error(c, PROTO_EXIT_FAILED,
                          "%s: reload failed: cannot run ExecReload=", s->name);
                continue;
            }
            break;
        }
        add_job(c, s, kind);
    }
    free(v);
    (void)px;
    wait_or_done(c, has_option(argc, argv, "--no-block"));
}

static void verb_start(struct ctl_client *c, int argc, char **argv)
{
    verb_jobs(c, argc, argv, CTL_JOB_START);
}

static void verb_stop(struct ctl_client *c, int argc, char **argv)
{
    verb_jobs(c, argc, argv, CTL_JOB_STOP);
}

static void verb_restart(struct ctl_client *c, int argc, char **argv)
{
    verb_jobs(c, argc, argv, CTL_JOB_RESTART);
}

static void verb_reload(struct ctl_client *c, int argc, char **argv)
{
    verb_jobs(c, argc, argv, CTL_JOB_RELOAD);
}

/* kill SIG UNIT...: the signal goes to the unit's process groups. */
static void verb_kill(struct ctl_client *c, int argc, char **argv)
{
    int sig = argc > 1 ? signal_from_string(argv[1]) : -1;
    if (sig <= 0) {
        ctl_error(c, PROTO_EXIT_USAGE, "kill: %s: not a signal (want: kill SIG UNIT...)",
                  argc > 1 ? argv[1] : "(none)");
        ctl_request_done(c);
        return;
    }
    struct service **v = calloc((size_t)argc, sizeof(*v));
    size_t n;
    if (!v || !units_resolve(c, argc - 2, argv + 2, v, &n)) {
        if (!v)
            ctl_error(c, PROTO_EXIT_FAILED, "out of memory");
        free(v);
        ctl_request_done(c);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct service *s = v[i];
        struct svc_proc *procs[2] = {&s->main, &s->control};
        int sent = 0;
        for (int k = 0; k < 2; k++) {
            pid_t pgid = procs[k]->pgid;
            if (pgid <= 1 || (k == 1 && pgid == s->main.pgid))
                continue;
            if (supervisor_signal(c->ctl->px, s, procs[k], sig, true) == 0)
                sent++;
            else if (errno != ESRCH)
                ctl_error(c, PROTO_EXIT_FAILED, "%s: cannot signal group %d: %s", s->name,
                          (int)pgid, strerror(errno));
        }
        if (sent)
            log_unit_info(s->name, "sent SIG%s to its process group (by uid %u)",
                          signal_to_name(sig), (unsigned)c->uid);
        else
            ctl_error(c, PROTO_EXIT_FAILED, "%s: no process to signal (%s)", s->name,
                      unit_sub_name(unit_sub_of(s)));
    }
    free(v);
    ctl_request_done(c);
}

static void verb_daemon_reload(struct ctl_client *c, int argc, char **argv)
{
    if (refuse_when_stopping(c))
        return;
    int code = ctl_daemon_reload(c->ctl, c);
    if (code && !c->code)
        c->code = code;
    ctl_request_done(c);
}

static void verb_shutdown(struct ctl_client *c, int argc, char **argv)
{
    log_info("shutdown requested through the control socket (uid %u)", (unsigned)c->uid);
    ctl_request_done(c);
    phase_shutdown(c->ctl->px);
}

static void logs_line(void *ctx, const char *line, size_t len)
{
    struct ctl_client *c = ctx;
    if (!line) {
        /* The unit went away (daemon-reload, shutdown): the follow ends. */
        ctl_follow_end(c);
        return;
    }
    ctl_reply_line(c, line, len);
}

/* logs [-n N] [-f] UNIT: the remembered lines, then (-f) new ones as they come. */
static void verb_logs(struct ctl_client *c, int argc, char **argv)
{
    size_t n = (size_t)-1;
    bool follow = false;
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0) {
            follow = true;
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || end == argv[i]) {
                ctl_error(c, PROTO_EXIT_USAGE, "logs: -n wants a number");
                ctl_request_done(c);
                return;
            }
            n = v;
        } else if (!name) {
            name = argv[i];
        } else {
            ctl_error(c, PROTO_EXIT_USAGE, "logs: one unit at a time");
            ctl_request_done(c);
            return;
        }
    }
    if (!name) {
        ctl_error(c, PROTO_EXIT_USAGE, "logs: no unit given");
        ctl_request_done(c);
        return;
    }
    struct service *s = unit_arg(c, name, false);
    if (!s) {
        ctl_request_done(c);
        return;
    }
    output_tail(s->output, n, logs_line, c);
    if (!follow) {
        ctl_request_done(c);
        return;
    }
    /* No loop iteration between tail and follow: no line lost or doubled. */
    c->busy = true;
    c->following = true;
    output_follow(s->output, &c->follow, logs_line, c);
}

/* The handler of each verb the daemon answers, by the shared table's ids
 * (wire/verbs.h names them); none for the client's offline verbs. */
static void (*const verbs[VERB__COUNT])(struct ctl_client *c, int argc, char **argv) = {
    [VERB_PING] = verb_ping,
    [VERB_STATUS] = verb_status,
    [VERB_LIST] = verb_list,
    [VERB_START] = verb_start,
    [VERB_STOP] = verb_stop,
    [VERB_RESTART] = verb_restart,
    [VERB_RELOAD] = verb_reload,
    [VERB_KILL] = verb_kill,
    [VERB_DAEMON_RELOAD] = verb_daemon_reload,
    [VERB_SHUTDOWN] = verb_shutdown,
    [VERB_LOGS] = verb_logs,
    [VERB_LIST_TIMERS] = verb_list_timers,
    [VERB_LIST_SOCKETS] = ctl_verb_list_sockets,
    [VERB_SHOW] = ctl_verb_show,
    [VERB_RESET_FAILED] = ctl_verb_reset_failed,
    [VERB_JOURNAL] = ctl_verb_journal,
};

static void dispatch(struct ctl_client *c, int argc, char **argv)
{
    int v = verb_find(argv[0]);
    if (v >= 0 && verbs[v]) {
        verbs[v](c, argc, argv);
        return;
    }
    ctl_error(c, PROTO_EXIT_USAGE, "%.64s: unknown request", argv[0]);
    ctl_request_done(c);
}

/* After changes: daemon-reload's retired and swapped units first, so that a
 * job on a removed unit ends with its error, then the waiting jobs. */
static void settle(struct ctl *ctl)
{
    jobs_check(ctl);
}

static void reload_without_client(struct ctl *ctl)
{
    ctl_daemon_reload(ctl, NULL);
}

const struct ctl_dispatcher ctl_verbs = {
    .request = dispatch,
    .settle = settle,
    .reload = reload_without_client,
};
