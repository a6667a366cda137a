/* file_read.h - reading a configuration file PID 1 cannot be stalled by:
 * unit files, drop-ins, EnvironmentFile=. */
#ifndef PXINIT_FILE_READ_H
#define PXINIT_FILE_READ_H

#include <stddef.h>

/* Caps on what pxinit reads into memory (doc/units.md). A unit file may hold
 * a joined line of 1 MiB (systemd's limit), so its cap is above that. */
#define FILE_READ_UNIT_MAX (4u * 1024 * 1024)
#define FILE_READ_ENV_MAX (4u * 1024 * 1024)

/* Reads all of the regular file at path, at most max bytes, into a new
 * NUL-terminated buffer (*len bytes, which may hold NULs of their own). The
 * file is opened non-blocking and without following it into a FIFO, device
 * or directory: a FIFO would block PID 1 and /dev/zero never end. Returns
 * NULL with errno: open's, EISDIR, EINVAL (not a regular file), EFBIG (larger
 * than max), ENOMEM. */
char *file_read_regular(const char *path, size_t max, size_t *len);

/* A message for file_read_regular()'s errno: "not a regular file", "larger
 * than 4 MiB" or strerror()'s text. */
const char *file_read_strerror(int err, size_t max);

#endif
