/* proc.h - small process syscalls pxinit needs everywhere: pidfds (so no pid is
 * signalled after it was reaped), and process groups and children from /proc. */
#ifndef PXINIT_PROC_H
#define PXINIT_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* pidfd_open(2); -1 with errno on failure (ENOSYS on old kernels). */
int proc_pidfd_open(pid_t pid);
/* Signals through pidfd when >= 0, else by pid. Returns 0 or -1 with errno. */
int proc_signal(int pidfd, pid_t pid, int sig);
/* "The group, else the process": signals process group pgid when pgid > 1
 * (kill(-pgid)); when there is none, or that fails, the process pid (through
 * pidfd when >= 0) when pid > 0. Pass 0 for what must not be signalled.
 * 0, or -1 with errno (the group's when there was no pid to fall back on;
 * ESRCH when there was nothing to signal). */
int proc_signal_group(pid_t pgid, pid_t pid, int pidfd, int sig);
/* How much of /proc/PID/environ is read at most. */
#define PROC_ENV_MAX_BYTES (64 * 1024)
/* The value of the first KEY= in /proc/PID/environ, NUL-terminated in out
 * (outsz - 1 bytes at most; a longer value counts as absent). True when
 * found. Reads PROC_ENV_MAX_BYTES at most. */
bool proc_env_value(pid_t pid, const char *key, char *out, size_t outsz);
/* True when pid's process group or session is id (/proc/PID/stat). */
bool proc_in_group(pid_t pid, pid_t id);
/* A child of pxinit other than except, for which candidate (when not NULL)
 * is true, whose process group or session is id; 0 when there is none. Reads
 * pxinit's children lists, else (without them) every process's stat. */
pid_t proc_find_member(pid_t id, pid_t except, bool (*candidate)(pid_t pid, void *ctx), void *ctx);
/* True when /proc/PID/environ has KEY=VALUE. */
bool proc_has_env(pid_t pid, const char *key, const char *value);
/* The parent of pid from /proc/PID/stat, or -1 (gone, no /proc). */
pid_t proc_parent(pid_t pid);
/* Calls fn for every direct child of pxinit (read from /proc). Returns the count. */
int proc_for_each_child(void (*fn)(pid_t pid, void *ctx), void *ctx);

#endif
