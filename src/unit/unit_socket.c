/* unit_socket.c - the [Socket] part of a unit: systemd's defaults
 * (systemd.socket(5): SocketMode=0666, DirectoryMode=0755,
 * Backlog=SOMAXCONN, MaxConnections=64, TriggerLimitIntervalSec=2s),
 * freeing, comparison, and what a socket activates. unit.c's part table
 * and unit_equal() call these. */
#include "unit/unit_socket.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/timespan.h"

#define UNIT_NAME_MAX 255

const struct unit_socket unit_socket_default = {
    .socket_mode = 0666,
    .directory_mode = 0755,
    .backlog = SOMAXCONN,
    .max_connections = 64,
    .trigger_limit_interval_usec = 2 * USEC_PER_SEC,
    .bind_ipv6_only = BIND_IPV6_DEFAULT,
};

void unit_socket_clear_listen(struct unit_socket *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].text);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

void unit_socket_free(struct unit_socket *s)
{
    if (!s)
        return;
    unit_socket_clear_listen(s);
    free(s->service);
    free(s->fd_name);
    free(s->socket_user);
    free(s->socket_group);
    strv_clear(&s->symlinks);
    free(s);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool listen_equal(const struct socket_listen *a, const struct socket_listen *b)
{
    if (a->kind != b->kind || !str_eq(a->text, b->text))
        return false;
    return a->kind == SOCKET_LISTEN_FIFO || sock_addr_equal(&a->addr, &b->addr);
}

bool unit_socket_equal(const struct unit_socket *a, const struct unit_socket *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!listen_equal(&a->v[i], &b->v[i]))
            return false;
    return str_eq(a->service, b->service) && str_eq(a->fd_name, b->fd_name) &&
           str_eq(a->socket_user, b->socket_user) && str_eq(a->socket_group, b->socket_group) &&
           strv_equal(&a->symlinks, &b->symlinks) &&
           a->trigger_limit_interval_usec == b->trigger_limit_interval_usec &&
           a->receive_buffer == b->receive_buffer && a->send_buffer == b->send_buffer &&
           unit_socket_trigger_burst(a) == unit_socket_trigger_burst(b) &&
           a->backlog == b->backlog && a->max_connections == b->max_connections &&
           unit_socket_max_per_source(a) == unit_socket_max_per_source(b) &&
           a->socket_mode == b->socket_mode && a->directory_mode == b->directory_mode &&
           a->bind_ipv6_only == b->bind_ipv6_only && a->accept == b->accept &&
           a->remove_on_stop == b->remove_on_stop && a->reuse_port == b->reuse_port &&
           a->free_bind == b->free_bind && a->pass_credentials == b->pass_credentials &&
           a->keep_alive == b->keep_alive && a->no_delay == b->no_delay;
}

unsigned unit_socket_trigger_burst(const struct unit_socket *s)
{
    if (s->trigger_limit_burst_set || s->trigger_limit_burst)
        return s->trigger_limit_burst;
    return s->accept ? 200 : 20;
}

unsigned unit_socket_max_per_source(const struct unit_socket *s)
{
    return s->max_connections_per_source_set ? s->max_connections_per_source : s->max_connections;
}

const char *unit_socket_activates(const struct unit *u, char *buf, size_t size)
{
    static const char suffix[] = ".socket";
    const struct unit_socket *s = unit_socket(u);
    size_t n = u->name ? strlen(u->name) : 0;

    if (!s->accept && s->service)
        return s->service;
    if (n <= strlen(suffix) || strcmp(u->name + n - strlen(suffix), suffix) != 0) {
        errno = EINVAL;
        return NULL;
    }
    n -= strlen(suffix);
    const char *at = memchr(u->name, '@', n);
    int w = s->accept
                ? snprintf(buf, size, "%.*s@.service", (int)(at ? at - u->name : (long)n), u->name)
                : snprintf(buf, size, "%.*s.service", (int)n, u->name);
    if (w < 0 || (size_t)w >= size) {
        errno = EINVAL;
        return NULL;
    }
    return buf;
}

bool unit_socket_name_valid(const char *name)
{
    static const char suffix[] = ".socket";
    size_t n = name ? strlen(name) : 0;

    if (n <= strlen(suffix) || n > UNIT_NAME_MAX || strcmp(name + n - strlen(suffix), suffix) != 0)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '_' || c == '.' || c == '@' || c == '-' || c == '\\'))
            return false;
    }
    return true;
}

const char *unit_socket_listen_type(enum socket_listen_kind kind)
{
    switch (kind) {
    case SOCKET_LISTEN_STREAM:
        return "Stream";
    case SOCKET_LISTEN_DATAGRAM:
        return "Datagram";
    case SOCKET_LISTEN_SEQPACKET:
        return "SequentialPacket";
    case SOCKET_LISTEN_FIFO:
        return "FIFO";
    }
    return "Unknown";
}
