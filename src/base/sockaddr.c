/* sockaddr.c - socket addresses as systemd.socket(5) writes them
 * (sockaddr.h). */
#include "base/sockaddr.h"

#include <string.h>

int sock_addr_parse(const char *text, struct sock_addr *a, const char **err)
{
    (void)text;
    memset(a, 0, sizeof(*a));
    *err = "not supported yet";
    return -1;
}

int sock_addr_format(const struct sock_addr *a, char *buf, size_t size)
{
    (void)a;
    (void)buf;
    (void)size;
    return -1;
}

bool sock_addr_equal(const struct sock_addr *a, const struct sock_addr *b)
{
    return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

bool sock_addr_is_path(const struct sock_addr *a)
{
    return a->sa.sa_family == AF_UNIX && a->len > sizeof(sa_family_t) && a->un.sun_path[0];
}
