/* launch_fds.h - what a service's process is given beyond its output
 * (launch_fds.c): the fds from 3 on with LISTEN_FDS, LISTEN_FDNAMES and
 * LISTEN_PID (sd_listen_fds(3)), an Accept=yes connection on its stdio,
 * REMOTE_ADDR/REMOTE_PORT. For launch.c only.
 */
#ifndef PXINIT_LAUNCH_FDS_H
#define PXINIT_LAUNCH_FDS_H

#include <stdbool.h>

#include "base/strv.h"
#include "core/service.h"
#include "exec/spawn_params.h"
#include "run/fd_pass.h"

/* Collects into fp (fd_pass_init'ed) what s's process gets: for the main
 * process its sockets' fds, then its fd store's (socket_run.c, fdstore.c);
 * nothing for other commands. Then sets LISTEN_FDS, LISTEN_FDNAMES and a
 * LISTEN_PID placeholder in env when there are fds, and removes all three
 * (pxinit's own, from its launcher) when there are none; REMOTE_ADDR and
 * REMOTE_PORT for a connection. Allocates nothing for a service without
 * sockets or stored fds. 0, or -1 with errno. */
int launch_fds_prepare(struct service *s, bool is_main, struct fd_pass *fp, struct strv *env);

/* Points sp at fp's fds (listen_fds, the LISTEN_PID slot in envp) and, for
 * a connection on stdio, fd_in and the outputs that are StandardOutput=/
 * StandardError=socket. sp's envp, fd_out and fd_err are set already. */
void launch_fds_apply(struct service *s, bool is_main, const struct fd_pass *fp,
                      struct spawn_params *sp);

#endif
