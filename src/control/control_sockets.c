/* control_sockets.c - what the control socket says of socket units: the
 * `socket` and `listen` lines after a socket's `unit` line (status, list,
 * list-sockets; wire/proto_socket.h), and the list-sockets request.
 *
 * The data is core/socket.h's view, read while the request is answered:
 * the board carries a socket's state only (doc/status-board.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/sockaddr.h"
#include "control/control_int.h"
#include "core/socket.h"
#include "unit/unit.h"
#include "unit/unit_socket.h"
#include "wire/proto_socket.h"

/* The address as systemd shows it: a FIFO's path, else the parsed address
 * formatted ("[::]:80" for a bare port); the text as written when it
 * cannot be formatted. */
static const char *listen_address(const struct socket_listen *l, char *buf, size_t size)
{
    if (l->kind == SOCKET_LISTEN_FIFO)
        return l->text ? l->text : "";
    int n = sock_addr_format(&l->addr, buf, size);
    if (n > 0 && (size_t)n < size)
        return buf;
    return l->text ? l->text : "";
}

void ctl_socket_lines(const char *name, const struct socket_view *v,
                      void (*emit)(void *ctx, const char *line), void *ctx)
{
    struct proto_socket ps;
    memset(&ps, 0, sizeof(ps));
    ps.accepted = v->n_accepted;
    ps.connections = v->n_connections;
    ps.triggers = v->n_triggers;
    if (v->activates)
        snprintf(ps.activates, sizeof(ps.activates), "%s", v->activates);
    char line[PROTO_MAX_REQUEST];
    proto_format_socket(line, sizeof(line), name, &ps);
    emit(ctx, line);
    size_t n = v->def ? v->def->n : 0;
    for (size_t i = 0; i < n; i++) {
        const struct socket_listen *l = &v->def->v[i];
        /* An AF_UNIX path has at most 107 bytes; the buffer fits any. */
        char addr[sizeof(struct sockaddr_un) + 64];
        proto_format_listen(line, sizeof(line), name, unit_socket_listen_type(l->kind),
                            listen_address(l, addr, sizeof(addr)));
        emit(ctx, line);
    }
}

static void reply_emit(void *ctx, const char *line)
{
    ctl_reply(ctx, "%s", line);
}

void ctl_reply_socket(struct ctl_client *c, struct service *s)
{
    struct socket_view v;
    if (socket_view_of(s, &v))
        ctl_socket_lines(s->name, &v, reply_emit, c);
}

/* list-sockets: every socket unit, active or not (the client filters, as
 * systemctl's --all does), each with its `socket` and `listen` lines. */
void ctl_verb_list_sockets(struct ctl_client *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct pxinit *px = c->ctl->px;
    struct socket_view v;
    for (size_t i = 0; i < px->table.n; i++) {
        struct service *s = px->table.svc[i];
        if (!socket_view_of(s, &v))
            continue;
        struct sb_unit u;
        char line[PROTO_MAX_REQUEST];
        ctl_unit_record(c->ctl, s, &u);
        proto_format_unit(line, sizeof(line), &u);
        ctl_reply(c, "%s", line);
        ctl_reply_socket(c, s);
    }
    ctl_request_done(c);
}
