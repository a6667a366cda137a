/* fd_pass.h - the descriptors a service's main process is given from fd 3
 * on (sd_listen_fds(3)): its sockets' listening fds, then an Accept=yes
 * instance's connection, then what it put in its fd store (FDSTORE=1),
 * each with the name LISTEN_FDNAMES gives it.
 *
 * Collected by launch.c right before a spawn from socket_run.c and
 * fdstore.c; the fds and names are borrowed from their owners (not closed
 * or freed here) and valid until the loop runs again.
 */
#ifndef PXINIT_FD_PASS_H
#define PXINIT_FD_PASS_H

#include <stdbool.h>
#include <stddef.h>

struct fd_pass {
    int *fds;           /* n fds, in the order they go to 3, 4, ... */
    const char **names; /* n names for LISTEN_FDNAMES (no ':' in them) */
    size_t n, cap;
    /* An Accept=yes instance: StandardInput=socket puts conn_fd on 0 and 1
     * (and 2 by default) instead of fd 3. -1: none. */
    int conn_fd;
    bool conn_on_stdio;
    /* REMOTE_ADDR= and REMOTE_PORT= of an Accept=yes IP connection ("" and
     * 0 when none or a unix socket). */
    char remote_addr[64];
    unsigned remote_port;
};

void fd_pass_init(struct fd_pass *fp);
/* Appends fd under name (borrowed). 0, or -1 with ENOMEM. */
int fd_pass_add(struct fd_pass *fp, int fd, const char *name);
/* Frees the arrays (not the fds) and empties fp. */
void fd_pass_clear(struct fd_pass *fp);

#endif
