/* pidfile.h - reading a PIDFile= as root, without being steered by it. */
#ifndef PXINIT_PIDFILE_H
#define PXINIT_PIDFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads the pid in the PID file at the absolute path: a regular file of one
 * number above 1 (and white space), at most 64 bytes. A symlink not owned by
 * root is followed only to a file its owner owns. *trusted says whether only
 * root could have written the number: the file and every symlink on the way
 * are root's, and so is every directory, none writable by others without the
 * sticky bit. Returns 0, or -1 with errno (ENOENT; EINVAL: not a regular file
 * or not a pid; EPERM: through another user's symlink to what is not theirs;
 * ELOOP, ENOTDIR, EISDIR, ...). Never blocks on a FIFO. */
int pidfile_read(const char *path, pid_t *pid, bool *trusted);
/* The pid in buf[0..len), or -1 when it holds anything else. Pure. */
pid_t pidfile_parse(const char *buf, size_t len);

#endif
