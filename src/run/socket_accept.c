/* socket_accept.c - Accept=yes: a connection, an instance of NAME@.service
 * serving it, and its end (socket_conns.h).
 *
 * pxinit accepts and never reads: a client that connects and sends nothing
 * costs one fd and one instance, both bounded by MaxConnections=. A
 * wakeup accepts at most ACCEPT_BATCH connections, so a flood on one
 * socket does not starve the loop; out of fds, the sockets are not
 * watched for a moment instead of spinning on a connection that cannot
 * be taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/fd_close.h"
#include "base/log.h"
#include "core/unit_type.h"
#include "run/socket_conns.h"
#include "run/socket_open.h"
#include "run/unit_table.h"
#include "unit/unit_load.h"

#define ACCEPT_BATCH 64

struct sock_conn *socket_conn_of(struct sockets *ss, const struct service *s)
{
    if (!ss || !strchr(s->unit->name, '@'))
        return NULL;
    for (size_t i = 0; i < ss->nconns; i++)
        if (ss->conns[i].inst == s)
            return &ss->conns[i];
    return NULL;
}

void socket_conn_drop(struct sockets *ss, struct sock_conn *c)
{
    if (c->sock && c->sock->socket_rt && c->sock->socket_rt->n_connections)
        c->sock->socket_rt->n_connections--;
    /* The instance had it too, and may have made it linger. */
    fd_close_foreign(c->fd);
    *c = ss->conns[--ss->nconns];
}

void socket_conn_ended(struct pxinit *px, struct service *s)
{
    struct sock_conn *c = socket_conn_of(px->sockets, s);
    if (!c)
        return;
    if (c->sock)
        run_hooks_unit_changed(&px->hooks, c->sock); /* its connection count */
    socket_conn_drop(px->sockets, c);
    /* Shutting down, the stop jobs count the table as it is: the
     * instance stays until the table is freed. */
    if (px->phase >= PHASE_STOPPING)
        return;
    /* It waits in the table's retired list until idle, then is freed. */
    if (unit_table_remove(&px->table, s) < 0)
        log_unit_warn(s->name, "out of memory: the ended instance stays listed");
}

static void pause_accepting(struct pxinit *px)
{
    struct sockets *ss = px->sockets;
    for (size_t i = 0; i < ss->n; i++) {
        struct socket_run *sr = ss->all[i];
        if (!unit_socket(sr->s->unit)->accept || !sr->io)
            continue;
        sr->paused = true;
        for (size_t k = 0; k < sr->rt.nfds; k++)
            ev_io_stop(px->loop, &sr->io[k]);
    }
    /* Set again each time: a fired timer's start would fire at once. */
    if (!ev_is_active(&ss->pause)) {
        ev_timer_set(&ss->pause, 0.1, 0.);
        ev_timer_start(px->loop, &ss->pause);
    }
}

void socket_accept_resume(struct pxinit *px)
{
    struct sockets *ss = px->sockets;
    for (size_t i = 0; i < ss->n; i++) {
        struct socket_run *sr = ss->all[i];
        if (!sr->paused)
            continue;
        sr->paused = false;
        if (sr->rt.watching && sr->rt.sub == SOCKET_SUB_LISTENING && sr->io &&
            px->phase < PHASE_STOPPING)
            for (size_t k = 0; k < sr->rt.nfds; k++)
                if (sr->rt.fds[k] >= 0)
                    ev_io_start(px->loop, &sr->io[k]);
    }
}

/* Whether sock may take one more connection from source; logs (rate
 * limited) when not, as systemd does. */
static bool conn_room(struct pxinit *px, struct service *sock, uint64_t source)
{
    struct sockets *ss = px->sockets;
    const struct unit_socket *c = unit_socket(sock->unit);
    unsigned from = 0, max_src = c->max_connections_per_source_set ? c->max_connections_per_source
                                                                   : c->max_connections;
    for (size_t i = 0; i < ss->nconns; i++)
        from += ss->conns[i].sock == sock && source && ss->conns[i].source == source;
    unsigned n = sock->socket_rt->n_connections;
    if ((c->max_connections == 0 || n < c->max_connections) &&
        (!source || max_src == 0 || from < max_src))
        return true;
    unsigned long held = 0;
    if (ratelimit_allow(&ss->rl, (int64_t)sock->idx, ev_now(px->loop), &held)) {
        if (n >= c->max_connections)
            log_unit_warn(sock->name, "Too many incoming connections (%u), dropping connection.%s",
                          n, held ? " (and more held back)" : "");
        else
            log_unit_warn(sock->name,
                          "Too many incoming connections (%u) from source, dropping "
                          "connection.%s",
                          from, held ? " (and more held back)" : "");
    }
    return false;
}

/* "web.socket" with inst -> "web@INST.service"; false when too long. */
static bool instance_name(const struct service *sock, const char *inst, char *out, size_t size)
{
    const char *name = sock->unit->name;
    const char *dot = strrchr(name, '.');
    int len = dot ? (int)(dot - name) : (int)strlen(name);
    int r = snprintf(out, size, "%.*s@%s.service", len, name, inst);
    return r > 0 && (size_t)r < size;
}

static bool conns_room(struct sockets *ss)
{
    if (ss->nconns < ss->capconns)
        return true;
    size_t cap = ss->capconns ? ss->capconns * 2 : 16;
    struct sock_conn *v = realloc(ss->conns, cap * sizeof(*v));
    if (!v)
        return false;
    ss->conns = v;
    ss->capconns = cap;
    return true;
}

/* One accepted connection fd (owned here): an instance for it, or it is
 * closed. */
static void conn_take(struct pxinit *px, struct service *sock, int fd)
{
    struct sockets *ss = px->sockets;
    struct socket_rt *rt = sock->socket_rt;
    rt->n_accepted++;
    uint64_t source = socket_conn_source(fd);
    if (!conn_room(px, sock, source)) {
        close(fd);
        return;
    }
    char inst[160], addr[64], name[256];
    unsigned port = 0;
    /* A name in use already (that instance started by hand, the number
     * wrapped): the next number, or a second unit by that name in the
     * table, which no request could tell from the first. */
    bool named = false;
    for (int tries = 0; tries < 8 && !named; tries++) {
        if (socket_conn_describe(fd, ss->next_nr++, inst, sizeof(inst), addr, sizeof(addr), &port) <
                0 ||
            !instance_name(sock, inst, name, sizeof(name))) {
            log_unit_warn(sock->name, "cannot name the connection's instance: %s", strerror(errno));
            close(fd);
            return;
        }
        named = !unit_table_find(&px->table, name);
    }
    if (!named) {
        log_unit_warn(sock->name, "%s is in use: dropping the connection", name);
        close(fd);
        return;
    }
    struct unit *u = unit_load_instance(&px->opts.unit_dirs, px->opts.systemd_units, name);
    if (!u) {
        /* A missing or masked template: every later connection would fail
         * the same way, each with its log lines, as fast as any local
         * client connects. systemd fails the socket. */
        log_unit_error(sock->name, "cannot load %s: the socket fails", name);
        close(fd);
        socket_accept_failed(sock);
        return;
    }
    if (!conns_room(ss)) {
        log_unit_error(sock->name, "out of memory: dropping the connection");
        unit_free(u);
        close(fd);
        return;
    }
    struct service *s = unit_table_insert(&px->table, u);
    if (!s) {
        log_unit_error(sock->name, "out of memory: dropping the connection");
        unit_free(u);
        close(fd);
        return;
    }
    struct sock_conn *c = &ss->conns[ss->nconns++];
    *c = (struct sock_conn){.inst = s, .sock = sock, .fd = fd, .source = source, .port = port};
    snprintf(c->addr, sizeof(c->addr), "%s", addr);
    rt->n_connections++;
    log_unit_debug(sock->name, "connection: starting %s", name);
    unit_start(s, false);
    /* A start that changed nothing (a condition said no) ends it here;
     * one that failed at once ended it through its change already. */
    if (svc_is_settled(s) && socket_conn_of(ss, s))
        socket_conn_ended(px, s);
    else
        run_hooks_unit_changed(&px->hooks, sock); /* its counters */
}

/* An error of one pending connection (accept(2): the network errors
 * Linux passes on), not of the listening socket: the next may be fine
 * (systemd's ERRNO_IS_ACCEPT_AGAIN). Each takes a connection from the
 * queue, so none repeats by itself. */
static bool accept_again(int err)
{
    switch (err) {
    case EINTR:
    case ECONNABORTED:
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTDOWN:
    case EHOSTUNREACH:
    case ENETDOWN:
    case ENETRESET:
    case ENETUNREACH:
    case ENONET:
    case ENOPROTOOPT:
    case ENOTCONN:
    case EOPNOTSUPP:
    case EPIPE:
    case EPROTO:
    case ESHUTDOWN:
    case ETIMEDOUT:
        return true;
    default:
        return false;
    }
}

/* A wakeup with nothing to accept: whether the listening fd was shut down.
 * A unix one then stays readable while accept() says EAGAIN (a TCP one
 * fails EINVAL): pxinit would wake up for ever. A listening socket never
 * reports a hangup otherwise. */
static bool hung_up(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

void socket_accept_run(struct pxinit *px, struct service *sock)
{
    struct socket_run *sr = socket_run_of(sock);
    const struct unit_socket *c = unit_socket(sock->unit);
    unsigned taken = 0;
    for (size_t i = 0; i < sr->rt.nfds && taken < ACCEPT_BATCH; i++) {
        if (i >= c->n ||
            (c->v[i].kind != SOCKET_LISTEN_STREAM && c->v[i].kind != SOCKET_LISTEN_SEQPACKET))
            continue;
        /* A service given this fd (Sockets=) may have made it blocking:
         * PID 1 must not wait in accept(). */
        int fl = fcntl(sr->rt.fds[i], F_GETFL);
        if (fl >= 0 && !(fl & O_NONBLOCK))
            (void)fcntl(sr->rt.fds[i], F_SETFL, fl | O_NONBLOCK);
        unsigned from_fd = 0;
        while (taken < ACCEPT_BATCH && sr->rt.sub == SOCKET_SUB_LISTENING && sr->rt.fds[i] >= 0) {
            int fd = accept4(sr->rt.fds[i], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd < 0) {
                if (accept_again(errno)) {
                    taken++; /* bounded all the same */
                    continue;
                }
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    log_unit_warn(sock->name, "cannot accept: %s: pausing", strerror(errno));
                    pause_accepting(px);
                    return;
                }
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    if (!from_fd && hung_up(sr->rt.fds[i])) {
                        log_unit_error(sock->name,
                                       "its listening socket was shut down (by a "
                                       "service given it?): the socket fails");
                        socket_accept_failed(sock);
                        return;
                    }
                    break;
                }
                /* EINVAL: no longer listening (a service given the fd
                 * shut it down). It stays readable (a hangup): failing
                 * the socket is the only way not to spin. */
                log_unit_error(sock->name, "cannot accept: %s: the socket fails", strerror(errno));
                socket_accept_failed(sock);
                return;
            }
            taken++;
            from_fd++;
            /* pxinit never reads it; the instance gets it blocking, as
             * systemd passes fds (NonBlocking=no). */
            int cfl = fcntl(fd, F_GETFL);
            if (cfl >= 0)
                (void)fcntl(fd, F_SETFL, cfl & ~O_NONBLOCK);
            /* Past TriggerLimitBurst=: the socket failed and closed its fds. */
            if (!socket_conn_allowed(sock)) {
                close(fd);
                return;
            }
            conn_take(px, sock, fd);
        }
    }
}
