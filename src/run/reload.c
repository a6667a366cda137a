/* reload.c - daemon-reload in the running daemon (reload.h): loading, the
 * table's reload, and settling what waits from an idle watcher, with a
 * short retry while a removed unit waits for a spawn report or a reap that
 * changes no state. */
#include "run/reload.h"

#include <errno.h>
#include <stdlib.h>

#include "base/log.h"
#include "run/socket_run.h"
#include "run/timer_run.h"
#include "unit/unit_load.h"
#include "unit/unit_notice.h"

static struct pxinit *px_of_idle(ev_idle *w)
{
    return (struct pxinit *)((char *)w - offsetof(struct pxinit, reload_settle));
}

static void settle_soon(struct pxinit *px)
{
    if (unit_table_pending(&px->table) && !ev_is_active(&px->reload_settle))
        ev_idle_start(px->loop, &px->reload_settle);
}

static void settle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
    struct pxinit *px = px_of_idle(w);
    ev_idle_stop(loop, w);
    /* Shutdown stops every unit by the order the table had: no new
     * definition, no new graph and no start then. */
    if (px->phase != PHASE_RUNNING)
        return;
    /* px->jobs: a spawn report still in flight may name a removed unit. */
    bool again = unit_table_settle(&px->table, px->jobs != NULL);
    timer_run_table_changed(px); /* new definitions may activate other units */
    socket_run_table_changed(px);
    if (again && !ev_is_active(&px->reload_retry))
        ev_timer_start(loop, &px->reload_retry);
}

static void retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    settle_soon((struct pxinit *)((char *)w - offsetof(struct pxinit, reload_retry)));
}

void reload_init(struct pxinit *px)
{
    ev_idle_init(&px->reload_settle, settle_cb);
    ev_timer_init(&px->reload_retry, retry_cb, 0.05, 0.);
}

void reload_unit_changed(struct pxinit *px, struct service *s)
{
    settle_soon(px);
}

struct load_ctx {
    const struct reload_report *rep;
    struct strv failed; /* names whose new file did not load */
};

static void on_diag(void *ctx, enum diag_level level, const char *message)
{
    struct load_ctx *x = ctx;
    if (x->rep && x->rep->diag)
        x->rep->diag(x->rep->ctx, level, message);
}

static void on_failed(void *ctx, const char *name, const char *path)
{
    struct load_ctx *x = ctx;
    if (strv_push(&x->failed, name) < 0)
        log_warnx("daemon-reload: out of memory");
}

int reload_units(struct pxinit *px, const struct reload_report *rep)
{
    if (px->phase != PHASE_RUNNING) {
        errno = EBUSY;
        return -1;
    }
    if (px->opts.no_units) {
        errno = ENOTSUP;
        return -1;
    }
    log_info("reloading unit files");
    struct load_ctx x = {.rep = rep};
    struct unit_load_report lr = {.diag = on_diag, .failed = on_failed, .ctx = &x};
    struct unit **units = NULL;
    size_t n = 0;
    int r = unit_load_dirs_report(&px->opts.unit_dirs, px->opts.systemd_units, &units, &n, &lr);
    if (r == 0)
        unit_not_enforced_summary(units, n);
    if (r == 0)
        r = unit_table_reload(&px->table, units, n, &x.failed, rep ? rep->change : NULL,
                              rep ? rep->ctx : NULL);
    int e = errno;
    timer_run_table_changed(px); /* a stopped timer takes its new Unit= in place */
    socket_run_table_changed(px);
    strv_clear(&x.failed);
    if (r < 0) {
        log_warnx("daemon-reload: out of memory, nothing changed");
        errno = e;
        return -1;
    }
    settle_soon(px);
    return 0;
}

void reload_stop(struct pxinit *px)
{
    ev_idle_stop(px->loop, &px->reload_settle);
    ev_timer_stop(px->loop, &px->reload_retry);
}
