/* private_dir.h - a directory that must be the caller's alone.
 *
 * A user daemon's runtime directory falls back to /tmp/pxinit-UID, a name
 * any local user can take first: as a directory of their own (they would
 * own the control socket's directory), as one with loose modes, or as a
 * symlink to somewhere else. Such a directory is refused, never used.
 */
#ifndef PXINIT_PRIVATE_DIR_H
#define PXINIT_PRIVATE_DIR_H

#include <stdbool.h>

/* With create, makes dir (mode 0700) when it is missing. Then checks,
 * without following a symlink at dir itself, that it is a directory owned
 * by the caller's effective uid with mode 0700. NULL when it is, else why
 * not, for a message ("it is a symlink", "another user owns it", ...). */
const char *private_dir_check(const char *dir, bool create);

#endif
