/* fd_close.h - closing an fd that another process shaped (a connection a
 * service also holds, fds sent to the notify socket or stored there).
 */
#ifndef PXINIT_FD_CLOSE_H
#define PXINIT_FD_CLOSE_H

/* Closes fd. A socket first loses any SO_LINGER its other holders set:
 * with it, the close() that drops the last reference waits until the
 * unsent data is out, for as long as they asked (any local user can
 * send such a socket to the notify socket and close its own copy). */
void fd_close_foreign(int fd);

#endif
