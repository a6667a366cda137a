/* socket.h - a socket unit's state machine (systemd.socket(5)).
 *
 * Pure, like service.c, target.c and timer.c: it runs on the generic
 * runtime record (struct service) and reaches the world only through the
 * socket ops the supervisor gives it (run/socket_run.c: opening and closing
 * the fds, watching them, starting the unit it activates, accepting a
 * connection into an instance). Sub-states are systemd's, as far as pxinit
 * has them: dead, start-pre, start-post, listening (fds open and watched),
 * running (Accept=no: its service was triggered and is active, the fds
 * are not watched), stop-pre, stop-post, failed.
 *
 * This header is the contract the control plane reads (socket_view_of());
 * the machine's ops and runtime are declared below it by core/socket.c's
 * owner.
 */
#ifndef PXINIT_SOCKET_H
#define PXINIT_SOCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/service.h"

/* What the client shows of a socket (status --json, list-sockets). */
struct socket_view {
    const struct unit_socket *def; /* the Listen*= entries (def->v, def->n) and options */
    const int *fds;                /* def->n entries: the open fd, -1 when not open */
    const char *activates;         /* "web.service"; "web@.service" for Accept=yes */
    uint64_t n_accepted;           /* connections accepted (Accept=yes), since pxinit started */
    unsigned n_connections;        /* Accept=yes instances running now */
    uint64_t n_triggers;           /* times it started its service (Accept=no) */
};

/* Fills *v for the socket s; false when s is not a socket. The pointers
 * are valid until the loop runs again. */
bool socket_view_of(const struct service *s, struct socket_view *v);

#endif
