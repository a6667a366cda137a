/* unit_socket.h - the [Socket] part of a unit (struct unit_socket, unit.h):
 * its defaults, freeing, comparison, and the name of the service a socket
 * activates. The key parsers are in unit_values_socket.c. */
#ifndef PXINIT_UNIT_SOCKET_H
#define PXINIT_UNIT_SOCKET_H

#include <stdbool.h>
#include <stddef.h>

#include "unit/unit.h"

/* Frees every Listen*= entry and empties the list. */
void unit_socket_clear_listen(struct unit_socket *s);
/* Frees the part and what it holds; NULL is fine. */
void unit_socket_free(struct unit_socket *s);
/* True when a and b open and run the same way: every field (line numbers
 * left out; a default written out equals the default). daemon-reload
 * keeps the fds of a socket for which this holds. */
bool unit_socket_equal(const struct unit_socket *a, const struct unit_socket *b);

/* TriggerLimitBurst=: as written, else systemd's default (20, or 200 with
 * Accept=yes). unit_finalize() also fills the field in. */
unsigned unit_socket_trigger_burst(const struct unit_socket *s);
/* MaxConnectionsPerSource=: as written, else MaxConnections=. */
unsigned unit_socket_max_per_source(const struct unit_socket *s);

/* The service u (a .socket) activates: Service= when written, else
 * NAME.service; with Accept=yes the template NAME@.service (NAME is the
 * part before any '@': "foo@x.socket" -> "foo@.service") whose instances
 * each connection starts. Written into buf (Service= is returned as it is);
 * NULL with EINVAL when u's name is not NAME.socket or buf is too small. */
const char *unit_socket_activates(const struct unit *u, char *buf, size_t size);

/* True for a name that can be a socket unit's: systemd's unit name
 * characters, ending in .socket, at most 255 bytes. */
bool unit_socket_name_valid(const char *name);
/* systemd's word for a port's type: Stream, Datagram, SequentialPacket,
 * FIFO (the Listen property, list-sockets). */
const char *unit_socket_listen_type(enum socket_listen_kind kind);

#endif
