/* safe_path.h - reaching the directory of a path that another user may
 * control, without following that user's symlinks.
 *
 * PID 1 makes sockets, FIFOs and symlinks at paths whose directories a
 * service user may own (/run/app/app.sock with /run/app owned by app). A
 * symlink that user plants in the path must not send root's mkdir, unlink
 * or chown elsewhere. The walk below opens each directory with an O_PATH
 * fd and follows a symlink only when root or the caller's euid owns it,
 * as /var/run -> /run; the caller then works relative to the last fd.
 */
#ifndef PXINIT_SAFE_PATH_H
#define PXINIT_SAFE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Opens the directory holding the absolute path (O_PATH|O_DIRECTORY|
 * O_CLOEXEC) and copies its last component into name. With create, a
 * missing directory is made with exactly dir_mode (owned by the caller).
 * The fd, or -1 with errno: EINVAL (not absolute, "..", ends in '/'),
 * ENAMETOOLONG, ELOOP (a symlink of another user, or a loop), ENOTDIR,
 * ENOENT. */
int safe_path_parent(const char *path, bool create, mode_t dir_mode, char *name, size_t nsize);

#endif
