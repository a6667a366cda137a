/* tmpfiles.h - the directories packages declare in tmpfiles.d(5), which
 * systemd creates at boot (haproxy's /run/haproxy, memcached's
 * /run/memcached). Used with --systemd only. */
#ifndef PXINIT_TMPFILES_H
#define PXINIT_TMPFILES_H

#include <stdbool.h>

/* Applies the 'd' and 'D' lines of /etc, /run and /usr/lib tmpfiles.d/\*.conf
 * (a file name in an earlier directory masks the same name in a later one):
 * creates the directory with its mode, user and group when it is missing.
 * Other line types, and paths with specifiers, are skipped. Problems are
 * logged; returns the number of directories created. */
int tmpfiles_apply(void);

/* One line: true when it was a 'd'/'D' line that was acted on (for tests);
 * origin is "file:line" for messages. */
bool tmpfiles_line(const char *line, const char *origin);

#endif
