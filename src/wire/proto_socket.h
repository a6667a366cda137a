/* proto_socket.h - what the client learns of a socket unit: the socket's
 * `socket` and `listen` reply lines (doc/protocol.md), both ways, and the
 * fields a socket adds to `status --json`.
 *
 * The status board holds a socket's state like any unit's; its listen
 * addresses (up to a path's length each, several per unit) and counters
 * do not fit a 64-byte record, so they travel over the control socket:
 *
 *   socket NAME ACCEPTED CONNECTIONS TRIGGERS ACTIVATES
 *   listen NAME TYPE ADDRESS          (one per Listen*= entry, in order)
 *
 * after the socket's `unit` line. ADDRESS is one word escaped by
 * esc_word() (wire/escape.h): any byte of a path survives, none breaks
 * the line.
 */
#ifndef PXINIT_PROTO_SOCKET_H
#define PXINIT_PROTO_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/status_board.h"

/* Longest TYPE word, NUL included ("SequentialPacket"). */
#define PROTO_SOCKET_TYPE_MAX 24

struct proto_listen {
    char type[PROTO_SOCKET_TYPE_MAX]; /* "Stream", "Datagram", "SequentialPacket", "FIFO" */
    char *address;                    /* decoded: "/run/x.sock", "[::]:80", "@name" */
};

struct proto_socket {
    uint64_t accepted, triggers;
    uint32_t connections;
    char activates[SB_NAME_MAX]; /* "web.service", "web@.service"; "" when unknown */
    struct proto_listen *listen;
    size_t nlisten;
};

/* "socket NAME ACCEPTED CONNECTIONS TRIGGERS ACTIVATES" ('-' for no
 * ACTIVATES). Returns the length (like snprintf). */
int proto_format_socket(char *buf, size_t size, const char *name, const struct proto_socket *s);
/* Parses what follows "socket " into *s (emptied first, no listen entries)
 * when it names name: 1, 0 another unit's, -1 malformed. */
int proto_parse_socket(const char *rest, const char *name, struct proto_socket *s);

/* "listen NAME TYPE ADDRESS". The address is escaped, and cut (ending in
 * "...") when the line would not fit size: only a ListenFIFO= path of
 * thousands of bytes is that long. Returns the length written. size must
 * leave room for the name and type and a few bytes more. */
size_t proto_format_listen(char *buf, size_t size, const char *name, const char *type,
                           const char *address);
/* Parses what follows "listen " and appends the entry to s when it names
 * name: 1, 0 another unit's, -1 malformed, -2 out of memory. */
int proto_parse_listen(const char *rest, const char *name, struct proto_socket *s);

/* Frees what s holds (not s). */
void proto_socket_clear(struct proto_socket *s);

/* The fields a socket adds to its `status --json` object, each after a
 * comma: "listen":[{"type":…,"address":…}],"accepted":N,"connections":N,
 * "triggers":N,"activates":…|null. */
void proto_socket_print_json(FILE *f, const struct proto_socket *s);

#endif
