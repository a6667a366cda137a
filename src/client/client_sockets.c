/* client_sockets.c - a socket unit's `socket` and `listen` reply lines,
 * kept beside the record they follow (status --json and list-sockets show
 * them; the board has no addresses: doc/status-board.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "wire/proto_socket.h"

/* A new, empty detail record for u, kept in cl->socks. */
static struct proto_socket *socket_new(struct client *cl, struct sb_unit *u)
{
    struct proto_socket **v = realloc(cl->socks, (cl->nsocks + 1) * sizeof(*v));
    if (!v)
        return NULL;
    cl->socks = v;
    struct proto_socket *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    cl->socks[cl->nsocks++] = s;
    u->socket = s;
    return s;
}

int client_socket_line(struct client *cl, const char *rest, bool is_listen)
{
    if (cl->nunits == 0)
        return 0;
    struct sb_unit *u = &cl->units[cl->nunits - 1];
    if (is_listen) {
        /* Only after the socket's own `socket` line; a malformed one is
         * left out, as an unknown line is. */
        if (!u->socket)
            return 0;
        return proto_parse_listen(rest, u->name, u->socket) == -2 ? -1 : 0;
    }
    struct proto_socket tmp;
    if (u->socket || proto_parse_socket(rest, u->name, &tmp) != 1)
        return 0;
    struct proto_socket *s = socket_new(cl, u);
    if (!s)
        return -1;
    *s = tmp;
    return 0;
}

void client_sockets_free(struct client *cl)
{
    for (size_t i = 0; i < cl->nsocks; i++) {
        proto_socket_clear(cl->socks[i]);
        free(cl->socks[i]);
    }
    free(cl->socks);
    cl->socks = NULL;
    cl->nsocks = 0;
}
