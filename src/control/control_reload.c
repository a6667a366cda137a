/* control_reload.c - the control plane's side of the unit table: the
 * daemon-reload verb (asks run/reload.c, reports each change and file
 * problem to the client), instances made on request, and the table watch
 * that gives units their status board records. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "base/log.h"
#include "control/control_int.h"
#include "run/reload.h"
#include "run/unit_table.h"

struct reload_client {
    struct ctl_client *c; /* NULL: SIGHUP */
    int code;
};

static void on_diag(void *ctx, enum diag_level level, const char *message)
{
    struct reload_client *x = ctx;
    if (x->c)
        ctl_reply(x->c, "msg %s: %s", level == DIAG_ERROR ? "error" : "warning", message);
}

static void report(struct ctl_client *c, const char *name, const char *what)
{
    log_unit_info(name, "%s", what);
    if (c)
        ctl_reply(c, "msg %s: %s", name, what);
}

static void on_change(void *ctx, const char *name, enum unit_change what)
{
    struct reload_client *x = ctx;
    struct ctl_client *c = x->c;
    switch (what) {
    case UNIT_CHANGED:
        report(c, name, "unit file changed");
        break;
    case UNIT_RESTARTING:
        report(c, name, "unit file changed, restarting");
        break;
    case UNIT_KEPT_BROKEN:
        if (c)
            ctl_error(c, PROTO_EXIT_FAILED,
                      "%s: new unit file is broken, keeping the previous definition", name);
        log_unit_warn(name, "new unit file is broken, keeping the previous definition");
        x->code = PROTO_EXIT_FAILED;
        break;
    case UNIT_REMOVED:
        report(c, name, "unit file removed, stopping");
        break;
    case UNIT_NOT_LOADED:
        if (c)
            ctl_error(c, PROTO_EXIT_FAILED, "%s: unit file is broken, not loaded", name);
        x->code = PROTO_EXIT_FAILED;
        break;
    case UNIT_ADDED:
        report(c, name, "new unit, starting");
        break;
    }
}

int ctl_daemon_reload(struct ctl *ctl, struct ctl_client *c)
{
    struct pxinit *px = ctl->px;
    struct reload_client x = {.c = c};
    struct reload_report rep = {.diag = on_diag, .change = on_change, .ctx = &x};
    if (reload_units(px, &rep) == 0) {
        ctl_settle_soon(ctl);
        return x.code;
    }
    if (errno == EBUSY && !c)
        log_warnx("daemon-reload ignored while not running");
    else if (errno == EBUSY)
        ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: not while %s",
                  px->phase == PHASE_BOOT ? "booting" : "shutting down");
    else if (errno == ENOTSUP && c)
        ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: pxinit runs with --no-units");
    else if (c)
        ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: out of memory");
    return PROTO_EXIT_FAILED;
}

struct service *ctl_instance_add(struct ctl *ctl, struct unit *u)
{
    struct service *s = unit_table_insert(&ctl->px->table, u);
    if (!s) {
        unit_free(u);
        return NULL;
    }
    log_unit_info(s->name,
                  strchr(s->name, '@') ? "instantiated from its template" : "loaded on request");
    return s;
}

/* --- the table watch: board records follow the table ----------------------- */

static void on_added(void *ctx, struct service *s)
{
    struct ctl *ctl = ctx;
    s->board_slot = sb_slot_alloc(&ctl->board);
    ctl_publish(ctl, s);
}

static void on_removed(void *ctx, struct service *s)
{
    struct ctl *ctl = ctx;
    sb_slot_free(&ctl->board, s->board_slot);
    s->board_slot = -1;
}

/* Requests waiting for a unit that a daemon-reload removed end with an
 * error. */
static void ctl_jobs_forget(struct ctl *ctl, struct service *s)
{
    for (struct ctl_client *c = ctl->clients; c; c = c->next) {
        for (size_t i = 0; i < c->njobs; i++) {
            if (c->jobs[i].s != s || c->jobs[i].done)
                continue;
            c->jobs[i].done = true;
            ctl_error(c, PROTO_EXIT_FAILED, "%s: unit removed by daemon-reload", s->name);
        }
    }
    ctl_settle_soon(ctl);
}

static void on_forget(void *ctx, struct service *s)
{
    ctl_jobs_forget(ctx, s);
}

const struct unit_table_watch ctl_table_watch = {
    .added = on_added,
    .removed = on_removed,
    .forget = on_forget,
};
