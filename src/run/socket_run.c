/* socket_run.c - socket units in the running daemon (socket_run.h): the
 * real struct socket_ops (opening, watching and closing the fds, starting
 * the service a socket activates), the index of activated services, and
 * the fds a service is given. Accept=yes connections are
 * socket_accept.c's. */
#include "run/socket_run.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fd_close.h"
#include "base/log.h"
#include "core/socket.h"
#include "core/unit_type.h"
#include "run/socket_conns.h"
#include "run/socket_open.h"
#include "run/unit_table.h"

static struct pxinit *px_of(struct service *s)
{
    return s->ctx; /* the supervisor's record: struct pxinit */
}

/* --- the ops ------------------------------------------------------------------ */

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    socket_readable(w->data);
}

static void fds_close(struct pxinit *px, struct socket_run *sr)
{
    for (size_t i = 0; i < sr->rt.nfds; i++) {
        if (sr->io)
            ev_io_stop(px->loop, &sr->io[i]);
        if (sr->rt.fds[i] >= 0)
            close(sr->rt.fds[i]);
        sr->rt.fds[i] = -1;
    }
    free(sr->io);
    sr->io = NULL;
    sr->paused = false;
}

/* rt.fds holding at least n entries, every one -1; 0 or -1 (ENOMEM). */
static int fds_size(struct socket_run *sr, size_t n)
{
    if (n > sr->rt.nfds) {
        int *v = realloc(sr->rt.fds, n * sizeof(*v));
        if (!v)
            return -1;
        sr->rt.fds = v;
        sr->rt.nfds = n;
    }
    for (size_t i = 0; i < sr->rt.nfds; i++)
        sr->rt.fds[i] = -1;
    return 0;
}

static int op_open(struct service *s)
{
    struct pxinit *px = px_of(s);
    struct socket_run *sr = socket_run_of(s);
    const struct unit_socket *c = unit_socket(s->unit);
    fds_close(px, sr);
    if (fds_size(sr, c->n) < 0 || !(sr->io = calloc(c->n ? c->n : 1, sizeof(*sr->io)))) {
        log_unit_error(s->name, "out of memory: its sockets are not opened");
        return -1;
    }
    sr->rt.nfds = c->n;
    for (size_t i = 0; i < c->n; i++) {
        const struct socket_listen *l = &c->v[i];
        const char *what = "socket";
        int fd = socket_open(s->unit, l, &what);
        if (fd < 0) {
            log_unit_error(s->name, "cannot listen on %s: %s failed: %s", l->text, what,
                           strerror(errno));
            fds_close(px, sr);
            return -1;
        }
        sr->rt.fds[i] = fd;
        ev_io_init(&sr->io[i], io_cb, fd, EV_READ);
        sr->io[i].data = s;
    }
    if (c->symlinks.n && socket_symlinks_make(s->unit) < 0)
        log_unit_warn(s->name, "cannot make its Symlinks=: %s", strerror(errno));
    return 0;
}

static void op_close(struct service *s)
{
    struct socket_run *sr = socket_run_of(s);
    bool was_open = false;
    for (size_t i = 0; i < sr->rt.nfds; i++)
        was_open = was_open || sr->rt.fds[i] >= 0;
    fds_close(px_of(s), sr);
    if (was_open && unit_socket(s->unit)->remove_on_stop)
        socket_paths_remove(s->unit);
}

static int op_watch(struct service *s, bool on)
{
    struct pxinit *px = px_of(s);
    struct socket_run *sr = socket_run_of(s);
    /* Shutting down, nothing is started: a readable fd would only spin. */
    if (on && px->phase >= PHASE_STOPPING)
        on = false;
    for (size_t i = 0; sr->io && i < sr->rt.nfds; i++) {
        if (on && sr->rt.fds[i] >= 0 && !sr->paused)
            ev_io_start(px->loop, &sr->io[i]);
        else
            ev_io_stop(px->loop, &sr->io[i]);
    }
    return 0;
}

static struct service *activated(struct service *s)
{
    return unit_table_find(&px_of(s)->table, socket_activates(s));
}

static bool op_service_active(struct service *s)
{
    struct service *svc = activated(s);
    return svc && !svc_is_settled(svc);
}

static int op_trigger(struct service *s, enum service_result *why)
{
    struct pxinit *px = px_of(s);
    struct service *svc = activated(s);
    if (!svc || svc->unit->kind != UNIT_KIND_SERVICE) {
        log_unit_error(s->name, "the service to start, %s, is not loaded", socket_activates(s));
        *why = RESULT_RESOURCES;
        return -1;
    }
    if (px->phase >= PHASE_STOPPING)
        return 0;
    /* Not an explicit request: a service past its start limit stays down,
     * and so does the socket (systemd's service-start-limit-hit). */
    unit_start(svc, false);
    if (svc->sub == SUB_FAILED && svc->result == RESULT_START_LIMIT) {
        *why = RESULT_SERVICE_START_LIMIT;
        return -1;
    }
    return 0;
}

static void op_accept(struct service *s)
{
    socket_accept_run(px_of(s), s);
}

static const struct socket_ops real_socket_ops = {
    .open = op_open,
    .close = op_close,
    .watch = op_watch,
    .service_active = op_service_active,
    .trigger = op_trigger,
    .accept = op_accept,
};

/* --- attach, detach ----------------------------------------------------------- */

static void pause_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct sockets *ss = (struct sockets *)((char *)w - offsetof(struct sockets, pause));
    socket_accept_resume(ss->px);
}

static struct sockets *sockets_get(struct pxinit *px)
{
    if (px->sockets)
        return px->sockets;
    struct sockets *ss = calloc(1, sizeof(*ss));
    if (!ss)
        return NULL;
    ev_timer_init(&ss->pause, pause_cb, 0.1, 0.);
    ratelimit_init(&ss->rl, 10., 5, 10);
    ss->index_dirty = true;
    ss->px = px;
    px->sockets = ss;
    return ss;
}

int socket_run_attach(struct pxinit *px, struct service *s)
{
    if (s->unit->kind != UNIT_KIND_SOCKET)
        return 0;
    struct sockets *ss = sockets_get(px);
    struct socket_run *sr = ss ? calloc(1, sizeof(*sr)) : NULL;
    if (!sr)
        return -1;
    if (ss->n == ss->cap) {
        size_t cap = ss->cap ? ss->cap * 2 : 16;
        struct socket_run **v = realloc(ss->all, cap * sizeof(*v));
        if (!v) {
            free(sr);
            return -1;
        }
        ss->all = v;
        ss->cap = cap;
    }
    if (socket_rt_init(&sr->rt, s->unit, &real_socket_ops) < 0) {
        free(sr);
        return -1;
    }
    sr->s = s;
    sr->pos = ss->n;
    ss->all[ss->n++] = sr;
    ss->index_dirty = true;
    s->socket_rt = &sr->rt;
    return 0;
}

void socket_run_detach(struct pxinit *px, struct service *s)
{
    struct sockets *ss = px->sockets;
    if (!ss)
        return;
    if (s->unit->kind != UNIT_KIND_SOCKET) {
        struct sock_conn *c = socket_conn_of(ss, s);
        if (c)
            socket_conn_drop(ss, c); /* an instance freed at shutdown */
        return;
    }
    if (!s->socket_rt)
        return;
    struct socket_run *sr = socket_run_of(s);
    fds_close(px, sr);
    for (size_t i = 0; i < ss->nconns; i++)
        if (ss->conns[i].sock == s)
            ss->conns[i].sock = NULL; /* its instances run on */
    ss->all[sr->pos] = ss->all[--ss->n];
    ss->all[sr->pos]->pos = sr->pos;
    ss->index_dirty = true;
    socket_rt_release(&sr->rt);
    free(sr->rt.fds);
    free(sr);
    s->socket_rt = NULL;
}

/* --- the services sockets activate -------------------------------------------- */

static uintptr_t target_of(const struct service *sock)
{
    return (uintptr_t)socket_run_of(sock)->target;
}

static int by_activated(const void *a, const void *b)
{
    const struct service *x = *(struct service *const *)a, *y = *(struct service *const *)b;
    uintptr_t tx = target_of(x), ty = target_of(y);
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return strcmp(x->unit->name, y->unit->name);
}

/* The Accept=no sockets of the table whose service is loaded, sorted by
 * that service (found by its name or an alias of it), then by name; false
 * without memory (logged). */
static bool index_fresh(struct pxinit *px, struct sockets *ss)
{
    if (!ss->index_dirty)
        return true;
    struct service **v = realloc(ss->index, (ss->n ? ss->n : 1) * sizeof(*v));
    if (!v) {
        log_warnx("sockets: out of memory: the services they start are not followed");
        return false;
    }
    ss->index = v;
    ss->nindex = 0;
    for (size_t i = 0; i < ss->n; i++) {
        struct service *t = ss->all[i]->s;
        ss->all[i]->indexed_as = socket_activates(t);
        ss->all[i]->target = unit_table_find(&px->table, socket_activates(t));
        if (!unit_socket(t->unit)->accept && ss->all[i]->target &&
            unit_table_find(&px->table, t->unit->name) == t)
            v[ss->nindex++] = t;
    }
    qsort(v, ss->nindex, sizeof(*v), by_activated);
    ss->index_dirty = false;
    return true;
}

/* The sockets that activate s: *count of them from the position returned. */
static size_t index_find(const struct sockets *ss, const struct service *s, size_t *count)
{
    uintptr_t key = (uintptr_t)s;
    size_t lo = 0, hi = ss->nindex;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (target_of(ss->index[mid]) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ss->nindex && target_of(ss->index[end]) == key)
        end++;
    *count = end - lo;
    return lo;
}

void socket_run_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old)
{
    struct sockets *ss = px->sockets;
    if (!ss || !ss->n)
        return;
    if (s->unit->kind == UNIT_KIND_SOCKET) {
        if (s->socket_rt && socket_run_of(s)->indexed_as != socket_activates(s))
            ss->index_dirty = true;
        return;
    }
    bool was = svc_state_of(old) == SVC_INACTIVE || svc_state_of(old) == SVC_FAILED;
    bool now = svc_is_settled(s);
    if (was == now)
        return;
    if (now && socket_conn_of(ss, s)) {
        socket_conn_ended(px, s);
        return;
    }
    if (!index_fresh(px, ss))
        return;
    size_t n, i = index_find(ss, s, &n);
    if (n == 0)
        return;
    /* A copy: a socket's answer (its state changes) may rebuild the index. */
    struct service *few[8], **v = n <= 8 ? few : malloc(n * sizeof(*v));
    if (!v) {
        log_warnx("sockets: out of memory: %s's sockets miss its change", s->name);
        return;
    }
    memcpy(v, ss->index + i, n * sizeof(*v));
    for (size_t k = 0; k < n; k++)
        socket_service_changed(v[k], now, s->sub == SUB_AUTO_RESTART);
    if (v != few)
        free(v);
}

bool socket_run_activates(struct pxinit *px, const struct service *s)
{
    struct sockets *ss = px->sockets;
    if (!ss || !ss->n || s->unit->kind != UNIT_KIND_SERVICE)
        return false;
    const struct strv *names = &unit_deps(s->unit)->sockets;
    for (size_t i = 0; i < names->n; i++) {
        struct service *k = unit_table_find(&px->table, names->v[i]);
        if (k && k->unit->kind == UNIT_KIND_SOCKET)
            return true;
    }
    size_t n;
    if (!index_fresh(px, ss))
        return false;
    index_find(ss, s, &n);
    return n > 0;
}

void socket_run_table_changed(struct pxinit *px)
{
    struct sockets *ss = px->sockets;
    if (!ss)
        return;
    ss->index_dirty = true;
    /* A dead socket given a definition with more entries: its fds array
     * follows, so the view stays in bounds (socket_view_of()). */
    for (size_t i = 0; i < ss->n; i++) {
        struct socket_run *sr = ss->all[i];
        size_t want = unit_socket(sr->s->unit)->n;
        if (!sr->io && want > sr->rt.nfds && fds_size(sr, want) < 0)
            log_warnx("sockets: out of memory sizing %s's fds", sr->s->name);
    }
}

/* --- what a service is given ------------------------------------------------------ */

static int add_fds(struct service *k, struct fd_pass *fp)
{
    if (k->unit->kind != UNIT_KIND_SOCKET || !k->socket_rt)
        return 0;
    const struct socket_rt *rt = k->socket_rt;
    const char *name = unit_socket(k->unit)->fd_name;
    for (size_t i = 0; i < rt->nfds; i++)
        if (rt->fds[i] >= 0 && fd_pass_add(fp, rt->fds[i], name ? name : k->unit->name) < 0)
            return -1;
    return 0;
}

int socket_run_collect_fds(struct pxinit *px, struct service *s, struct fd_pass *fp)
{
    struct sockets *ss = px->sockets;
    if (!ss)
        return 0;
    struct sock_conn *c = socket_conn_of(ss, s);
    if (c) {
        fp->conn_fd = c->fd;
        fp->conn_on_stdio = unit_exec(s->unit)->std_input == INPUT_SOCKET;
        snprintf(fp->remote_addr, sizeof(fp->remote_addr), "%s", c->addr);
        fp->remote_port = c->port;
        if (!fp->conn_on_stdio && fd_pass_add(fp, c->fd, "connection") < 0)
            return -1;
        return 0;
    }
    const struct strv *names = &unit_deps(s->unit)->sockets;
    if (names->n) {
        for (size_t i = 0; i < names->n; i++) {
            struct service *k = unit_table_find(&px->table, names->v[i]);
            if (k && add_fds(k, fp) < 0)
                return -1;
        }
        return 0;
    }
    if (!index_fresh(px, ss))
        return -1;
    size_t n, i = index_find(ss, s, &n);
    for (size_t k = 0; k < n; k++)
        if (add_fds(ss->index[i + k], fp) < 0)
            return -1;
    return 0;
}

void socket_run_free(struct pxinit *px)
{
    struct sockets *ss = px->sockets;
    if (!ss)
        return;
    ev_timer_stop(px->loop, &ss->pause);
    for (size_t i = 0; i < ss->nconns; i++)
        fd_close_foreign(ss->conns[i].fd);
    free(ss->conns);
    free(ss->all);
    free(ss->index);
    free(ss);
    px->sockets = NULL;
}
