/* socket_open.h - the file-system and kernel side of a socket unit's
 * Listen*= entries: making, configuring and removing them.
 *
 * Called from the loop (socket_run.c) at a socket's start and stop. Every
 * fd it returns is O_CLOEXEC and non-blocking; nothing here blocks on a
 * peer. Paths are treated as the attacker's: a stale entry at a socket's
 * path is removed only when it is a socket (or a FIFO for ListenFIFO=),
 * never followed through a symlink; modes and owners are set on what was
 * just bound, not through a link.
 */
#ifndef PXINIT_SOCKET_OPEN_H
#define PXINIT_SOCKET_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "unit/unit.h"

/* Opens entry l of the socket unit u: socket(), the options u asks for
 * (ReusePort=, FreeBind=, PassCredentials=, KeepAlive=, NoDelay=,
 * ReceiveBuffer=, SendBuffer=, BindIPv6Only=), the parent directories of a
 * path (DirectoryMode=), bind() (a bare port falls back to 0.0.0.0 where
 * the machine has no IPv6), SocketMode=/SocketUser=/SocketGroup= on a path,
 * listen(Backlog=) for stream and sequential-packet sockets; for
 * ListenFIFO=, mkfifo() and an O_RDWR open. The fd, or -1 with errno and
 * *what naming the step that failed: "user"/"group" (ESRCH: no such name),
 * "socket", "setsockopt", "mkdir" (ELOOP: a parent is a symlink root does
 * not own), "unlink" (EEXIST: something not a socket is at the path),
 * "bind", "chown", "listen"; for a FIFO "mkfifo", "open" (EEXIST: not a
 * FIFO, or not ours nor SocketUser='s, or hard-linked), "chown", "chmod".
 * Options after bind() (KeepAlive=, NoDelay=, PassCredentials=, buffers)
 * only warn, as in systemd. */
int socket_open(const struct unit *u, const struct socket_listen *l, const char **what);

/* Symlinks= of u, made to its one path socket or FIFO (with several, or
 * none, systemd makes none and warns: so does this, and returns 0). An
 * existing link to it is kept; a link elsewhere is replaced only with
 * RemoveOnStop=; anything else there stays. Every link is tried; 0, or -1
 * with the first failure's errno (EEXIST, ELOOP, ...): the caller warns. */
int socket_symlinks_make(const struct unit *u);

/* RemoveOnStop=: unlinks u's path sockets, FIFOs and Symlinks= (each only
 * when it still is what u made: a socket, a FIFO, a symlink). The caller
 * checks RemoveOnStop= (this removes whenever it is called). */
void socket_paths_remove(const struct unit *u);

/* For an accepted connection fd, systemd's instance string: "NR-LOCAL-REMOTE"
 * for IP ("3-127.0.0.1:22-127.0.0.1:50402"; IPv6 as systemd 252 writes it,
 * without brackets: "3-::1:22-::1:50402"; a v4-mapped pair as IPv4),
 * "NR-PID-UID" for unix (SO_PEERCRED; "NR-unknown" when the peer is in
 * another PID namespace), into inst; REMOTE_ADDR/REMOTE_PORT for IP into
 * addr (numeric, no brackets; v4-mapped as IPv4) and *port, "" and 0 for
 * unix. 0, or -1 with errno (ENOSPC: a buffer too small, EAFNOSUPPORT). */
int socket_conn_describe(int fd, unsigned nr, char *inst, size_t isize, char *addr, size_t asize,
                         unsigned *port);
/* What MaxConnectionsPerSource= counts by: a hash of the peer's IP address
 * (without port), or of its uid for unix. 0 when unknown. */
uint64_t socket_conn_source(int fd);

#endif
