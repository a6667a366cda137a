/* control_show.c - the `show` request (doc/protocol.md): the properties of
 * units, or of the manager, as `systemctl show` prints them, in `prop UNIT
 * KEY VALUE` lines (props.h makes the pairs).
 *
 * Answered at once from what the daemon holds: no file is read, except
 * that a unit that is not loaded is looked up as masked or not (as status
 * does), and nothing waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strv.h"
#include "config/paths.h"
#include "control/control_int.h"
#include "control/control_show.h"
#include "control/props.h"
#include "core/socket.h"
#include "core/timer.h"
#include "core/unit_type.h"
#include "unit/unit_load.h"
#include "wire/escape.h"
#include "wire/status_line.h"

/* Names given with -p: at most this many (a longer list is cut). */
#define SHOW_MAX_PROPS 256

struct show_emit {
    struct ctl_client *c;
    char unit[PROTO_MAX_REQUEST]; /* esc_word()'d */
};

static void emit_line(void *ctx, const char *key, const char *value)
{
    struct show_emit *e = ctx;
    char v[3200];
    esc_word(v, sizeof(v), value, NULL);
    ctl_reply(e->c, "prop %s %s %s", e->unit, key, v);
}

static uint64_t clock_usec(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) < 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* TriggeredBy: the timers and Accept=no sockets that start s. */
static void triggered_by(void *ctx, const struct service *s, char *buf, size_t size)
{
    struct pxinit *px = ctx;
    size_t len = 0;
    buf[0] = '\0';
    if (!px->timers && !px->sockets)
        return; /* nothing triggers anything: no walk of the table */
    for (size_t i = 0; i < px->table.n; i++) {
        const struct service *t = px->table.svc[i];
        const char *what = NULL;
        if (t->unit->kind == UNIT_KIND_TIMER)
            what = timer_activates(t);
        else if (t->unit->kind == UNIT_KIND_SOCKET && !unit_socket(t->unit)->accept)
            what = socket_activates(t);
        if (!what || unit_table_find(&px->table, what) != s)
            continue;
        int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "", t->unit->name);
        if (w < 0 || (size_t)w >= size - len) {
            buf[len] = '\0';
            return;
        }
        len += (size_t)w;
    }
}

static const char *system_state(struct pxinit *px)
{
    switch (px->phase) {
    case PHASE_BOOT:
        return "starting";
    case PHASE_RUNNING:
        for (size_t i = 0; i < px->table.n; i++)
            if (unit_state_of(px->table.svc[i]) == UNIT_STATE_FAILED)
                return "degraded";
        return "running";
    default:
        return "stopping";
    }
}

/* The daemon's unit directories, then systemd's tree when it reads it. */
static void manager_unit_path(struct pxinit *px, char *buf, size_t size)
{
    struct strv all = {0};
    size_t len = 0;
    buf[0] = '\0';
    if (strv_extend(&all, &px->opts.unit_dirs) < 0 ||
        (px->opts.systemd_units && paths_systemd_dirs(false, &all) < 0)) {
        strv_clear(&all);
        return;
    }
    for (size_t i = 0; i < all.n; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", len ? ":" : "", all.v[i]);
        if (w < 0 || (size_t)w >= size - len) {
            buf[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
    strv_clear(&all);
}

static void show_manager(struct ctl_client *c, const struct props_out *o)
{
    struct pxinit *px = c->ctl->px;
    char path[2048];
    struct props_manager m = {
        .version = PACKAGE_VERSION,
        .system_state = system_state(px),
        .unit_path = path,
        .environment = "",
    };
    manager_unit_path(px, path, sizeof(path));
    for (size_t i = 0; i < px->table.n; i++) {
        const struct service *s = px->table.svc[i];
        uint8_t st = unit_state_of(s);
        m.n_names += 1 + (unsigned)unit_deps(s->unit)->aliases.n;
        m.n_failed_units += st == UNIT_STATE_FAILED;
        m.n_jobs += st == UNIT_STATE_ACTIVATING || st == UNIT_STATE_DEACTIVATING;
    }
    props_manager(o, &m);
}

/* The unit named as typed ("web", "web.service"): its properties, or the
 * set of one that is not loaded (masked or not found). */
static void show_named(struct ctl_client *c, struct props_out *o, struct show_emit *e,
                       const struct props_env *env, const char *name)
{
    struct pxinit *px = c->ctl->px;
    if (!proto_unit_name_ok(name)) {
        ctl_error(c, PROTO_EXIT_USAGE, "show: %.64s: not a unit name", name);
        return;
    }
    char *full = unit_name_normalize(name);
    if (!full) {
        ctl_error(c, PROTO_EXIT_FAILED, "show: out of memory");
        return;
    }
    esc_word(e->unit, sizeof(e->unit), name, NULL);
    struct service *s = unit_table_find(&px->table, full);
    if (s)
        props_unit(o, s, env);
    else
        props_unloaded(
            o, full,
            !px->opts.no_units && unit_masked(&px->opts.unit_dirs, px->opts.systemd_units, full));
    free(full);
}

void ctl_verb_show(struct ctl_client *c, int argc, char **argv)
{
    struct pxinit *px = c->ctl->px;
    struct show_emit *e = malloc(sizeof(*e));
    char **only = calloc(SHOW_MAX_PROPS, sizeof(*only));
    if (!e || !only) {
        ctl_error(c, PROTO_EXIT_FAILED, "show: out of memory");
        goto done;
    }
    e->c = c;
    struct props_out o = {.emit = emit_line, .ctx = e, .only = only, .nonly = 0};
    bool all = false;
    int first_unit = argc;
    for (int i = 1; i < argc; i++) {
        const char *list = NULL;
        if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
            list = argv[++i];
        else if (strncmp(argv[i], "-p", 2) == 0 && argv[i][2])
            list = argv[i] + 2;
        else if (strcmp(argv[i], "--all-units") == 0)
            all = true;
        else if (argv[i][0] == '-') {
            ctl_error(c, PROTO_EXIT_USAGE, "show: %.64s: unknown option", argv[i]);
            goto done;
        } else if (first_unit == argc)
            first_unit = i;
        if (!list)
            continue;
        /* argv's words are the request's own: split the list in place. */
        for (char *p = (char *)list; p && *p && o.nonly < SHOW_MAX_PROPS;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            if (*p)
                only[o.nonly++] = p;
            p = comma ? comma + 1 : NULL;
        }
        if (o.nonly == 0) {
            ctl_error(c, PROTO_EXIT_USAGE, "show: -p wants property names");
            goto done;
        }
    }
    struct props_env env = {
        .realtime_now = clock_usec(CLOCK_REALTIME),
        .monotonic_now = clock_usec(CLOCK_MONOTONIC),
        .triggered_by = triggered_by,
        .ctx = px,
    };
    if (all) {
        for (size_t i = 0; i < px->table.n; i++) {
            struct service *s = px->table.svc[i];
            esc_word(e->unit, sizeof(e->unit), s->unit->name, NULL);
            props_unit(&o, s, &env);
        }
    } else if (first_unit == argc) {
        snprintf(e->unit, sizeof(e->unit), "-");
        show_manager(c, &o);
    } else {
        for (int i = first_unit; i < argc; i++) {
            if (argv[i][0] == '-') {
                if (strcmp(argv[i], "-p") == 0)
                    i++; /* its list */
                continue;
            }
            show_named(c, &o, e, &env, argv[i]);
        }
    }
done:
    free(only);
    free(e);
    ctl_request_done(c);
}
