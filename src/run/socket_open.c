/* socket_open.c - making, configuring and removing a socket unit's
 * Listen*= entries (socket_open.h). */
#include "run/socket_open.h"

#include <errno.h>

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
