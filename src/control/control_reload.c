/* control_reload.c - daemon-reload: re-reads the unit directories, starts
 * added units, stops removed ones, restarts changed ones (unit_equal()), and
 * keeps the old definition of a unit whose new file is broken.
 *
 * Services embed live watchers and are referenced by pids, spawn jobs and
 * waiting clients, so none ever moves: the table of pointers is rebuilt. A
 * removed service leaves the table at once but is freed only once it has
 * settled and no spawn is in flight; a changed one keeps running on its old
 * definition until it has stopped, then gets the new one and starts again.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/unit_type.h"
#include "control/control_int.h"
#include "base/log.h"
#include "run/supervisor.h"
#include "unit/unit_load.h"

struct reload_ctx {
    struct ctl_client *c;
    struct strv failed; /* names whose new file did not load */
};

static void on_diag(void *ctx, enum diag_level level, const char *message)
{
    struct reload_ctx *x = ctx;
    if (x->c)
        ctl_reply(x->c, "msg %s: %s", level == DIAG_ERROR ? "error" : "warning", message);
}

static void on_failed(void *ctx, const char *name, const char *path)
{
    struct reload_ctx *x = ctx;
    if (strv_push(&x->failed, name) < 0)
        log_warnx("daemon-reload: out of memory");
}

static void report(struct ctl_client *c, const char *name, const char *what)
{
    log_unit_info(name, "%s", what);
    if (c)
        ctl_reply(c, "msg %s: %s", name, what);
}

static struct unit *find_unit(struct unit **v, size_t n, const char *name, size_t *at)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(v[mid]->name, name);
        if (cmp == 0) {
            *at = mid;
            return v[mid];
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static struct ctl_swap *swap_of(struct ctl *ctl, struct service *s)
{
    for (size_t i = 0; i < ctl->nswaps; i++)
        if (ctl->swaps[i].s == s)
            return &ctl->swaps[i];
    return NULL;
}

static void swap_drop(struct ctl *ctl, struct ctl_swap *w)
{
    unit_free(w->u);
    *w = ctl->swaps[--ctl->nswaps];
}

static int swap_add(struct ctl *ctl, struct service *s, struct unit *u, bool start)
{
    struct ctl_swap *w = swap_of(ctl, s);
    if (w) {
        unit_free(w->u); /* a newer definition replaces the waiting one */
        w->u = u;
        w->start = w->start || start;
        return 0;
    }
    struct ctl_swap *v = realloc(ctl->swaps, (ctl->nswaps + 1) * sizeof(*v));
    if (!v)
        return -1;
    ctl->swaps = v;
    v[ctl->nswaps++] = (struct ctl_swap){.s = s, .u = u, .start = start};
    return 0;
}

static int retire(struct ctl *ctl, struct service *s)
{
    struct service **v = realloc(ctl->retired, (ctl->nretired + 1) * sizeof(*v));
    if (!v)
        return -1;
    ctl->retired = v;
    v[ctl->nretired++] = s;
    struct ctl_swap *w = swap_of(ctl, s);
    if (w)
        swap_drop(ctl, w);
    sb_slot_free(&ctl->board, s->board_slot);
    s->board_slot = -1;
    svc_links_clear_order(s);
    unit_stop(s);
    return 0;
}

struct pair {
    struct unit *u;
    struct service *s;
};

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->u->name, ((const struct pair *)b)->u->name);
}

/* Installs the new table and rebuilds the order; the services are the same
 * objects, only the arrays change. */
static void table_install(struct pxinit *px, struct pair *p, size_t n)
{
    qsort(p, n, sizeof(*p), pair_cmp);
    struct unit **units = malloc((n ? n : 1) * sizeof(*units));
    struct service **svcs = malloc((n ? n : 1) * sizeof(*svcs));
    struct service **queue = malloc((n ? n : 1) * sizeof(*queue));
    if (!units || !svcs || !queue) {
        /* Cannot happen often; keep running on the old table. */
        log_warnx("daemon-reload: out of memory building the unit table");
        free(units);
        free(svcs);
        free(queue);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct service *s = p[i].s;
        units[i] = p[i].u;
        svcs[i] = s;
        s->idx = (unsigned)i;
        svc_links_clear_order(s);
    }
    free(px->units);
    free(px->services);
    free(px->queue);
    free(px->start_order);
    px->start_order = NULL;
    px->units = units;
    px->services = svcs;
    px->queue = queue;
    px->nunits = n;
    px->qhead = px->qtail = 0;
    if (unit_load_order(px) < 0)
        log_warnx("daemon-reload: out of memory ordering units; ordering ignored");
}

struct service *ctl_instance_add(struct ctl *ctl, struct unit *u)
{
    struct pxinit *px = ctl->px;
    struct pair *p = malloc((px->nunits + 1) * sizeof(*p));
    struct service *s = p ? supervisor_service_new(px, u) : NULL;
    if (!s) {
        free(p);
        unit_free(u);
        return NULL;
    }
    for (size_t i = 0; i < px->nunits; i++)
        p[i] = (struct pair){px->units[i], px->services[i]};
    p[px->nunits] = (struct pair){u, s};
    table_install(px, p, px->nunits + 1);
    free(p);
    s->board_slot = sb_slot_alloc(&ctl->board);
    ctl_publish(ctl, s);
    log_unit_info(s->name, "instantiated from its template");
    return s;
}

int ctl_daemon_reload(struct ctl *ctl, struct ctl_client *c)
{
    struct pxinit *px = ctl->px;
    if (px->phase != PHASE_RUNNING) {
        if (c)
            ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: not while %s",
                      px->phase == PHASE_BOOT ? "booting" : "shutting down");
        else
            log_warnx("daemon-reload ignored while not running");
        return PROTO_EXIT_FAILED;
    }
    if (px->opts.no_units) {
        if (c)
            ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: pxinit runs with --no-units");
        return PROTO_EXIT_FAILED;
    }
    log_info("reloading unit files");
    struct reload_ctx x = {.c = c};
    struct unit_load_report rep = {.diag = on_diag, .failed = on_failed, .ctx = &x};
    struct unit **nu = NULL;
    size_t nn = 0;
    unit_load_dirs_report(&px->opts.unit_dirs, px->opts.systemd_units, &nu, &nn, &rep);

    int code = 0;
    bool *used = calloc(nn ? nn : 1, sizeof(*used));
    bool *drop = calloc(nn ? nn : 1, sizeof(*drop));
    struct pair *p = malloc((px->nunits + nn + 1) * sizeof(*p));
    struct service **added = malloc((nn ? nn : 1) * sizeof(*added));
    struct service **restart = malloc((px->nunits ? px->nunits : 1) * sizeof(*restart));
    if (!used || !drop || !p || !added || !restart) {
        for (size_t j = 0; j < nn; j++)
            unit_free(nu[j]);
        free(nu), free(used), free(drop), free(p), free(added), free(restart);
        strv_clear(&x.failed);
        if (c)
            ctl_error(c, PROTO_EXIT_FAILED, "daemon-reload: out of memory");
        return PROTO_EXIT_FAILED;
    }
    size_t np = 0, nadded = 0, nrestart = 0;

    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = px->services[i];
        struct unit *ou = px->units[i];
        size_t j;
        struct unit *u = find_unit(nu, nn, ou->name, &j);
        if (u) {
            used[j] = true;
            if (unit_equal(ou, u)) {
                drop[j] = true; /* freed at the end: the search still reads nu */
            } else if (svc_is_settled(s) && !swap_of(ctl, s)) {
                svc_set_unit(s, u); /* not running: the new definition applies at once */
                unit_free(ou);
                ou = u;
                report(c, s->name, "unit file changed");
            } else if (swap_add(ctl, s, u, true) < 0) {
                drop[j] = true;
                if (c)
                    ctl_error(c, PROTO_EXIT_FAILED, "%s: out of memory, not reloaded", s->name);
                code = PROTO_EXIT_FAILED;
            } else {
                restart[nrestart++] = s;
                report(c, s->name, "unit file changed, restarting");
            }
            p[np++] = (struct pair){ou, s};
        } else if (ou->instantiated) {
            p[np++] = (struct pair){ou, s}; /* made on request: not in any directory */
        } else if (strv_contains(&x.failed, ou->name)) {
            if (c)
                ctl_error(c, PROTO_EXIT_FAILED,
                          "%s: new unit file is broken, keeping the previous definition", s->name);
            log_unit_warn(s->name, "new unit file is broken, keeping the previous definition");
            code = PROTO_EXIT_FAILED;
            p[np++] = (struct pair){ou, s};
        } else if (retire(ctl, s) == 0) {
            report(c, s->name, "unit file removed, stopping");
        } else {
            log_unit_warn(s->name, "out of memory: cannot remove it now");
            p[np++] = (struct pair){ou, s};
        }
    }
    /* Units removed above are still referenced by nothing in the table. */
    for (size_t i = 0; i < x.failed.n; i++) {
        size_t j;
        bool known = false;
        for (size_t k = 0; k < np; k++)
            known = known || strcmp(p[k].u->name, x.failed.v[i]) == 0;
        if (!known && !find_unit(nu, nn, x.failed.v[i], &j)) {
            if (c)
                ctl_error(c, PROTO_EXIT_FAILED, "%s: unit file is broken, not loaded",
                          x.failed.v[i]);
            code = PROTO_EXIT_FAILED;
        }
    }
    for (size_t j = 0; j < nn; j++) {
        if (used[j])
            continue;
        struct service *s = supervisor_service_new(px, nu[j]);
        if (!s) {
            if (c)
                ctl_error(c, PROTO_EXIT_FAILED, "%s: out of memory, not added", nu[j]->name);
            unit_free(nu[j]);
            code = PROTO_EXIT_FAILED;
            continue;
        }
        added[nadded++] = s;
        p[np++] = (struct pair){nu[j], s};
        report(c, s->name, "new unit, starting");
    }
    table_install(px, p, np);

    for (size_t i = 0; i < nadded; i++) {
        added[i]->board_slot = sb_slot_alloc(&ctl->board);
        ctl_publish(ctl, added[i]);
        unit_start(added[i], true);
    }
    for (size_t i = 0; i < nrestart; i++)
        unit_stop(restart[i]);
    for (size_t j = 0; j < nn; j++)
        if (drop[j])
            unit_free(nu[j]);
    free(nu), free(used), free(drop), free(p), free(added), free(restart);
    strv_clear(&x.failed);
    ctl_settle_soon(ctl);
    return code;
}

/* Nothing runs for s and nothing is about to. */
static bool is_idle(struct service *s)
{
    return svc_is_settled(s) && !s->in_kill_list && !s->main.pending && !s->control.pending &&
           s->main.pid == 0 && s->control.pid == 0 && !s->main.job && !s->control.job;
}

static void retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct ctl *ctl = (struct ctl *)((char *)w - offsetof(struct ctl, settle_retry));
    ctl_settle_soon(ctl);
}

void ctl_reload_settle(struct ctl *ctl)
{
    struct pxinit *px = ctl->px;
    bool waiting = false;
    for (size_t i = ctl->nretired; i-- > 0;) {
        struct service *s = ctl->retired[i];
        /* px->jobs: a spawn report still in flight may name the service;
         * its end changes no state, so look again a little later. */
        if (!is_idle(s) || px->jobs) {
            waiting = waiting || is_idle(s);
            continue;
        }
        ctl_jobs_forget(ctl, s);
        struct unit *u = s->unit;
        log_unit_debug(s->name, "removed");
        supervisor_service_free(px, s);
        unit_free(u);
        ctl->retired[i] = ctl->retired[--ctl->nretired];
    }
    for (size_t i = ctl->nswaps; i-- > 0;) {
        struct ctl_swap *w = &ctl->swaps[i];
        struct service *s = w->s;
        if (!is_idle(s))
            continue;
        struct unit *old = s->unit;
        bool start = w->start;
        svc_set_unit(s, w->u);
        if (s->idx < px->nunits && px->services[s->idx] == s)
            px->units[s->idx] = w->u;
        w->u = old; /* swap_drop() frees what it holds: the old definition */
        swap_drop(ctl, w);
        if (start)
            unit_start(s, true);
    }
    if (waiting && !ev_is_active(&ctl->settle_retry)) {
        ev_timer_init(&ctl->settle_retry, retry_cb, 0.05, 0.);
        ev_timer_start(px->loop, &ctl->settle_retry);
    }
}

void ctl_reload_free(struct ctl *ctl)
{
    ev_timer_stop(ctl->px->loop, &ctl->settle_retry);
    for (size_t i = 0; i < ctl->nretired; i++) {
        struct unit *u = ctl->retired[i]->unit;
        supervisor_service_free(ctl->px, ctl->retired[i]);
        unit_free(u);
    }
    free(ctl->retired);
    ctl->retired = NULL;
    ctl->nretired = 0;
    while (ctl->nswaps)
        swap_drop(ctl, &ctl->swaps[0]);
    free(ctl->swaps);
    ctl->swaps = NULL;
}
