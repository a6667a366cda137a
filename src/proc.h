/* proc.h - small process syscalls pxinit needs everywhere: pidfds (so no pid is
 * signalled after it was reaped), and a non-blocking look at process groups. */
#ifndef PXINIT_PROC_H
#define PXINIT_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* pidfd_open(2); -1 with errno on failure (ENOSYS on old kernels). */
int proc_pidfd_open(pid_t pid);
/* Signals through pidfd when >= 0, else by pid. Returns 0 or -1 with errno. */
int proc_signal(int pidfd, pid_t pid, int sig);
/* True while any process is in process group pgid (zombies count until reaped). */
bool proc_group_alive(pid_t pgid);
/* How much of /proc/PID/environ is read at most. */
#define PROC_ENV_MAX_BYTES (64 * 1024)
/* The value of the first KEY= in /proc/PID/environ, NUL-terminated in out
 * (outsz - 1 bytes at most; a longer value counts as absent). True when
 * found. Reads PROC_ENV_MAX_BYTES at most. */
bool proc_env_value(pid_t pid, const char *key, char *out, size_t outsz);
/* True when /proc/PID/environ has KEY=VALUE. */
bool proc_has_env(pid_t pid, const char *key, const char *value);
/* The parent of pid from /proc/PID/stat, or -1 (gone, no /proc). */
pid_t proc_parent(pid_t pid);
/* Calls fn for every direct child of pxinit (read from /proc). Returns the count. */
int proc_for_each_child(void (*fn)(pid_t pid, void *ctx), void *ctx);

#endif
