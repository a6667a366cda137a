/* spawn.h - everything between fork() and exec().
 *
 * A service is started with a double fork: the intermediate child calls
 * setsid(), forks the service and exits, so the service is re-parented to
 * pxinit (PID 1 or subreaper) in its own session (which it cannot take a
 * terminal in: it is not the session leader) and its own process group, whose
 * id is its pid. pxinit never waits on the service: its preparation and exec
 * run while pxinit goes on. Where the kernel allows spawning with CLONE_VM
 * (the usual case, see spawn.c; a speed trick: TRICK_CLONE_VM, tricks.h)
 * the intermediate leaves the service's pid in the spawn_handle, and the
 * service reports a failure before exec on a pipe shared by all spawns,
 * which spawn_take_failure() reads when it is reaped;
 * a spawn that needs to know that the exec succeeded (params' async_exec
 * false) gets a pipe of its own, with {stage, errno} on failure and EOF on
 * success. Otherwise (fork()) the intermediate reports the service's pid and
 * either child a failure as {stage, errno} on a CLOEXEC pipe of the spawn's.
 * The main command (-- CMD) is forked once, so pxinit is its parent.
 * Nothing here touches the event loop; the caller reads the pipe from it.
 *
 * The files: spawn.c (spawn_start: plain fork() and the CLONE_VM island),
 * spawn_arena.c (the island's MADV_DONTFORK heap and parameter arena),
 * spawn_child.c (between fork and exec), spawn_report.c (the failure
 * report); spawn_params.h has the types they share. This header is the
 * whole API for callers.
 */
#ifndef PXINIT_SPAWN_H
#define PXINIT_SPAWN_H

#include "exec/spawn_child.h"
#include "exec/spawn_params.h"
#include "exec/spawn_report.h"

/* Forks as described above. Returns 0, or -1 with errno (pipe or fork failed;
 * nothing is left behind then). */
int spawn_start(const struct spawn_params *p, struct spawn_handle *h);

/* Finds argv0 in the PATH of envp (or a default PATH) when it has no slash.
 * Writes the result to buf; returns buf, or argv0 itself when not found. */
const char *spawn_resolve_path(const char *argv0, char *const *envp, char *buf, size_t size);

#endif
