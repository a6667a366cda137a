/* socket_run.h - socket units in the running daemon: the real socket ops
 * (opening, watching and closing the fds, starting what a socket
 * activates, Accept=yes instances), the activated units' state changes
 * carried to their sockets, and the units that only a socket starts.
 *
 * A socket's runtime is allocated beside its record when the unit table
 * makes it; other units pay nothing. px->sockets stays NULL until the
 * first socket unit.
 */
#ifndef PXINIT_SOCKET_RUN_H
#define PXINIT_SOCKET_RUN_H

#include <stdbool.h>

#include "run/fd_pass.h"
#include "run/pxinit.h"

/* Gives s, a socket, its runtime (nothing for other kinds). 0, or -1
 * (ENOMEM). */
int socket_run_attach(struct pxinit *px, struct service *s);
/* Closes s's fds (unless a reload keeps them: socket_run.c decides) and
 * frees its runtime (nothing for other kinds). */
void socket_run_detach(struct pxinit *px, struct service *s);

/* s changed state (svc_ops.changed): the sockets that activate it hear of
 * it (an Accept=no socket watches its fds again once its service is
 * inactive or failed; an Accept=yes instance that ended is removed). */
void socket_run_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old);
/* True when a loaded socket activates s (Service=, the same name, or
 * Sockets=): the boot does not start it. */
bool socket_run_activates(struct pxinit *px, const struct service *s);
/* The unit table or a definition in it changed (daemon-reload). */
void socket_run_table_changed(struct pxinit *px);

/* Appends to fp what s's main process gets from sockets: the listening fds
 * of its sockets that are open (Sockets= in order, else the sockets that
 * activate it, by name), named by FileDescriptorName=; for an Accept=yes
 * instance its connection and remote address. 0, or -1 (ENOMEM). */
int socket_run_collect_fds(struct pxinit *px, struct service *s, struct fd_pass *fp);

void socket_run_free(struct pxinit *px);

#endif
