/* socket.c - a socket unit's state machine (socket.h). */
#include "core/socket.h"

#include <string.h>

bool socket_view_of(const struct service *s, struct socket_view *v)
{
    (void)s;
    memset(v, 0, sizeof(*v));
    return false; /* the machine comes next */
}
