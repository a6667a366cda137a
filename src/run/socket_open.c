/* socket_open.c - making, configuring and removing a socket unit's
 * Listen*= entries (socket_open.h). */
#include "run/socket_open.h"

#include <errno.h>
#include <stdio.h>

int socket_open(const struct unit *u, const struct socket_listen *l, const char **what)
{
    (void)u;
    (void)l;
    *what = "socket";
    errno = ENOSYS;
    return -1;
}

int socket_symlinks_make(const struct unit *u)
{
    (void)u;
    return 0;
}

void socket_paths_remove(const struct unit *u)
{
    (void)u;
}

/* Stand-ins until sockopen's land: the connection's number names it. */
int socket_conn_describe(int fd, unsigned nr, char *inst, size_t isize, char *addr, size_t asize,
                         unsigned *port)
{
    (void)fd;
    snprintf(inst, isize, "%u", nr);
    if (asize)
        addr[0] = '\0';
    *port = 0;
    return 0;
}

uint64_t socket_conn_source(int fd)
{
    (void)fd;
    return 0;
}
