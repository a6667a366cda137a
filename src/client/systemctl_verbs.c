/* systemctl_verbs.c - systemctl's runtime verbs over pxinit's requests:
 * start/stop/restart/reload and their try-/-or- forms, kill, is-active,
 * is-failed, is-system-running, daemon-reload, reset-failed and
 * poweroff/halt/reboot (pxinit's shutdown). The daemon's errors become
 * systemctl's sentences and exit codes (systemctl-start-unit.c,
 * systemctl-is-active.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/signame.h"
#include "client/systemctl_int.h"
#include "wire/protocol.h"

/* systemd's explanation of a failed job by its result. */
static const char *why(const char *text)
{
    static const struct {
        const char *result, *why;
    } reasons[] = {
        {"exit-code", " because the control process exited with error code"},
        {"timeout", " because a timeout was exceeded"},
        {"signal", " because a fatal signal was delivered to the control process"},
        {"core-dump",
         " because a fatal signal was delivered causing the control process to dump "
         "core"},
        {"start-limit-hit", " because start of the service was attempted too often"},
        {"resources", " because of unavailable resources or another system error"},
    };
    const char *r = strstr(text, "(result: ");
    for (size_t i = 0; r && i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strncmp(r + 9, reasons[i].result, strlen(reasons[i].result)) == 0)
            return reasons[i].why;
    return "";
}

/* Each `error` line as systemctl words it. Returns systemctl's exit code. */
static int report(const char *verb, const struct sc_reply *r, int code)
{
    int exit = code == PROTO_EXIT_NO_UNIT ? SC_EXIT_NOT_INSTALLED : SC_EXIT_FAILURE;
    for (size_t i = 0; i < r->nerrors; i++) {
        char *text = strchr(r->errors[i], ' ');
        int ecode = atoi(r->errors[i]);
        text = text ? text + 1 : r->errors[i];
        char unit[300] = "", id[300];
        const char *colon = strstr(text, ": ");
        if (colon && (size_t)(colon - text) < sizeof(unit))
            snprintf(unit, sizeof(unit), "%.*s", (int)(colon - text), text);
        sc_unit_name(unit, id, sizeof(id));
        if (ecode == PROTO_EXIT_NO_UNIT)
            fprintf(stderr, "Failed to %s %s: Unit %s %s.\n", verb, id, id,
                    strcmp(verb, "start") == 0 || strcmp(verb, "restart") == 0 ? "not found"
                                                                               : "not loaded");
        else if (strstr(text, "failed (result: ") || strstr(text, "start failed"))
            fprintf(stderr,
                    "Job for %s failed%s.\nSee \"systemctl status %s\" and \"journalctl -xeu %s\" "
                    "for details.\n",
                    id, why(text), id, id);
        else if (strstr(text, "reload not supported"))
            fprintf(stderr, "Failed to %s %s: Job type reload is not applicable for unit %s.\n",
                    verb, id, id);
        else
            fprintf(stderr, "Failed to %s %s: %s\n", verb, unit[0] ? id : "units",
                    colon ? colon + 2 : text);
    }
    if (r->nerrors == 0)
        fprintf(stderr, "Failed to %s: the daemon answered %d\n", verb, code);
    return exit;
}

/* One request: "VERB [--no-block] UNIT...". Returns systemctl's code. */
static int send_units(struct systemctl *sc, const char *req_verb, const char *verb, char **units,
                      int n)
{
    char req[PROTO_MAX_REQUEST];
    bool waits = strcmp(req_verb, "start") == 0 || strcmp(req_verb, "stop") == 0 ||
                 strcmp(req_verb, "restart") == 0 || strcmp(req_verb, "reload") == 0;
    size_t len = (size_t)snprintf(req, sizeof(req), "%s%s", req_verb,
                                  waits && sc->no_block ? " --no-block" : "");
    for (int i = 0; i < n && len < sizeof(req); i++)
        len += (size_t)snprintf(req + len, sizeof(req) - len, " %s", units[i]);
    if (len + 2 > sizeof(req)) {
        fprintf(stderr, "systemctl: too many units for one request\n");
        return SC_EXIT_FAILURE;
    }
    strcpy(req + len, "\n");
    struct sc_reply r = {0};
    int code = sc_call(sc, req, waits, &r);
    if (code > 0)
        code = report(verb, &r, code);
    sc_reply_free(&r);
    return code < 0 ? SC_EXIT_FAILURE : code;
}

/* For the try- and -or- forms: each unit's ActiveState and CanReload. */
static int units_state(struct systemctl *sc, struct sc_set *set)
{
    static char *const props[] = {"Id", "LoadState", "ActiveState", "CanReload", NULL};
    for (int i = 0; i < sc->nargs; i++) {
        char *one[1] = {sc->args[i]};
        size_t before = set->n;
        int code = sc_fetch(sc, one, 1, false, (char **)props, set);
        if (code != 0)
            return code < 0 ? SC_EXIT_FAILURE : code;
        if (set->n == before) /* keep one set per unit */
            (void)sc_set_add(set, sc->args[i], "LoadState", "not-found");
    }
    return 0;
}

static bool is_active(const struct sc_unit *u)
{
    const char *s = sc_get(u, "ActiveState");
    return s && (strcmp(s, "active") == 0 || strcmp(s, "reloading") == 0 ||
                 strcmp(s, "activating") == 0);
}

/* try-restart, reload-or-restart, try-reload-or-restart: the units split
 * into those to restart and those to reload, then one request each. */
static int conditional(struct systemctl *sc, bool try_only, bool reload_first, const char *verb)
{
    struct sc_set set = {0};
    int code = units_state(sc, &set);
    char **restart = calloc((size_t)sc->nargs + 1, sizeof(char *));
    char **reload = calloc((size_t)sc->nargs + 1, sizeof(char *));
    int nrestart = 0, nreload = 0;
    for (int i = 0; code == 0 && restart && reload && i < sc->nargs && (size_t)i < set.n; i++) {
        const struct sc_unit *u = &set.units[i];
        const char *load = sc_get(u, "LoadState");
        bool known = !load || strcmp(load, "not-found") != 0;
        if (try_only && (!known || !is_active(u)))
            continue; /* systemd: nothing to do, no error */
        const char *can = sc_get(u, "CanReload");
        if (reload_first && is_active(u) && can && strcmp(can, "yes") == 0)
            reload[nreload++] = sc->args[i];
        else
            restart[nrestart++] = sc->args[i];
    }
    if (code == 0 && (!restart || !reload)) {
        fprintf(stderr, "systemctl: out of memory\n");
        code = SC_EXIT_FAILURE;
    }
    if (code == 0 && nrestart > 0)
        code = send_units(sc, "restart", verb, restart, nrestart);
    if (code == 0 && nreload > 0)
        code = send_units(sc, "reload", verb, reload, nreload);
    free(restart);
    free(reload);
    sc_set_free(&set);
    return code;
}

int sc_job_verb(struct systemctl *sc)
{
    const char *v = sc->verb;
    if (strcmp(v, "start") == 0 || strcmp(v, "stop") == 0 || strcmp(v, "restart") == 0 ||
        strcmp(v, "reload") == 0)
        return send_units(sc, v, v, sc->args, sc->nargs);
    if (strcmp(v, "try-restart") == 0 || strcmp(v, "condrestart") == 0)
        return conditional(sc, true, false, "try-restart");
    if (strcmp(v, "reload-or-restart") == 0)
        return conditional(sc, false, true, "reload-or-restart");
    return conditional(sc, true, true, "try-reload-or-restart"); /* and force-reload */
}

int sc_kill(struct systemctl *sc)
{
    const char *sig = sc->signal ? sc->signal : "SIGTERM";
    int n = signal_from_string(sig);
    if (n <= 0) {
        fprintf(stderr, "Failed to parse signal string %s.\n", sig);
        return SC_EXIT_FAILURE;
    }
    char req_verb[32];
    snprintf(req_verb, sizeof(req_verb), "kill %d", n);
    int code = send_units(sc, req_verb, "kill unit", sc->args, sc->nargs);
    return code == SC_EXIT_NOT_INSTALLED ? SC_EXIT_FAILURE : code;
}

int sc_is_active(struct systemctl *sc, bool failed)
{
    bool found = false;
    static char *const props[] = {"Id", "ActiveState", NULL};
    for (int i = 0; i < sc->nargs; i++) {
        struct sc_set set = {0};
        char *one[1] = {sc->args[i]};
        int code = sc_fetch(sc, one, 1, false, (char **)props, &set);
        if (code < 0) {
            sc_set_free(&set);
            return SC_EXIT_FAILURE;
        }
        const char *st = set.n > 0 ? sc_get(&set.units[0], "ActiveState") : NULL;
        if (!st || !*st)
            st = code == 0 ? "unknown" : "inactive";
        if (!sc->quiet)
            printf("%s\n", st);
        if (failed ? strcmp(st, "failed") == 0
                   : strcmp(st, "active") == 0 || strcmp(st, "reloading") == 0)
            found = true;
        sc_set_free(&set);
    }
    /* systemctl(1): 0 when at least one unit is in the state asked for. */
    return found ? SC_EXIT_OK : failed ? SC_EXIT_FAILURE : SC_EXIT_NOT_RUNNING;
}

int sc_is_system_running(struct systemctl *sc)
{
    static char *const props[] = {"SystemState", NULL};
    struct sc_set set = {0};
    bool quiet = sc->quiet;
    sc->quiet = true; /* unreachable: systemctl says "offline" */
    int code = sc_fetch(sc, NULL, 0, false, (char **)props, &set);
    sc->quiet = quiet;
    const char *st = set.n > 0 ? sc_get(&set.units[0], "SystemState") : NULL;
    char state[32];
    snprintf(state, sizeof(state), "%s", code < 0 ? "offline" : st && *st ? st : "");
    sc_set_free(&set);
    if (code >= 0 && !state[0]) {
        /* A daemon without `show`: degraded when a unit has failed. */
        static char *const all[] = {"Id", "ActiveState", NULL};
        code = sc_fetch(sc, NULL, 0, true, (char **)all, &set);
        bool bad = false;
        for (size_t i = 0; i < set.n; i++)
            bad |= strcmp(sc_get(&set.units[i], "ActiveState") ?: "", "failed") == 0;
        snprintf(state, sizeof(state), "%s", code != 0 ? "unknown" : bad ? "degraded" : "running");
        sc_set_free(&set);
    }
    if (!sc->quiet)
        printf("%s\n", state);
    return strcmp(state, "running") == 0 ? SC_EXIT_OK : SC_EXIT_FAILURE;
}

int sc_simple_verb(struct systemctl *sc)
{
    const char *v = sc->verb;
    if (strcmp(v, "reset-failed") == 0) {
        int code =
            send_units(sc, "reset-failed", "reset failed state of unit", sc->args, sc->nargs);
        return code == SC_EXIT_NOT_INSTALLED ? SC_EXIT_FAILURE : code;
    }
    if (sc->nargs > 0) {
        fprintf(stderr, "This command expects no arguments.\n");
        return SC_EXIT_FAILURE;
    }
    if (strcmp(v, "daemon-reload") == 0)
        return send_units(sc, "daemon-reload", "reload daemon", NULL, 0);
    /* poweroff, halt, reboot: pxinit ends (SPEC: as `pxinit shutdown`). Its
     * shutdown sweep signals every process, this one too, before the reply
     * or EOF reaches it: the client ends on those, not on the sweep. */
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    return send_units(sc, "shutdown", v, NULL, 0);
}
