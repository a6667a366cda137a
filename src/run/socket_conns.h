/* socket_conns.h - what socket_run.c and socket_accept.c share: a socket's
 * record beside its struct service, the daemon's socket state, and the
 * Accept=yes connections, each with the instance it started.
 *
 * A connection fd is owned here from accept() until its instance is
 * inactive or failed (or freed): closed exactly once, by conn_drop().
 */
#ifndef PXINIT_SOCKET_CONNS_H
#define PXINIT_SOCKET_CONNS_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/ratelimit.h"
#include "core/socket.h"
#include "run/pxinit.h"

/* A socket's record beside its struct service. */
struct socket_run {
    struct socket_rt rt; /* first: s->socket_rt points here */
    struct service *s;
    size_t pos;             /* in sockets->all */
    const char *indexed_as; /* what the index sorted it by (a pointer only) */
    /* The service it activates as the table resolved that name when the
     * index was built (an alias, syslog.service, names rsyslog.service);
     * compared, never followed. */
    const struct service *target;
    ev_io *io;   /* rt.nfds watchers, allocated with the fds */
    bool paused; /* Accept=yes: not watched for a while (EMFILE) */
};

/* An Accept=yes connection and the instance serving it. */
struct sock_conn {
    struct service *inst;
    struct service *sock; /* NULL once the socket is freed */
    int fd;
    uint64_t source;
    unsigned port;
    char addr[64];
};

struct sockets {
    struct pxinit *px;
    struct socket_run **all; /* every attached socket */
    size_t n, cap;
    struct service **index; /* Accept=no sockets in the table, by what they activate */
    size_t nindex;
    bool index_dirty;
    struct sock_conn *conns;
    size_t nconns, capconns;
    unsigned next_nr;    /* numbers the instances, as systemd's n_accepted */
    ev_timer pause;      /* EMFILE: accepting again after a while */
    struct ratelimit rl; /* "Too many incoming connections" */
};

static inline struct socket_run *socket_run_of(const struct service *s)
{
    return (struct socket_run *)s->socket_rt; /* rt is its first member */
}

/* socket_accept.c: Accept=yes. */
/* Accepts what waits on sock's fds (socket_ops.accept). */
void socket_accept_run(struct pxinit *px, struct service *sock);
/* The connection of the instance s; NULL when s is none. */
struct sock_conn *socket_conn_of(struct sockets *ss, const struct service *s);
/* Closes c's fd and forgets it. */
void socket_conn_drop(struct sockets *ss, struct sock_conn *c);
/* The instance s ended: its connection is closed, s leaves the table. */
void socket_conn_ended(struct pxinit *px, struct service *s);
/* The pause is over: watch the paused sockets again. */
void socket_accept_resume(struct pxinit *px);

#endif
