/* glob_exists.h - whether a shell pattern names an existing path. */
#ifndef PXINIT_GLOB_EXISTS_H
#define PXINIT_GLOB_EXISTS_H

#include <stdbool.h>

/* True when glob(pattern, GLOB_NOSORT) would find a path: '*', '?' and
 * '[...]' match within one path component, a leading '.' only when the
 * pattern spells it, '\' quotes the next character. As with glob(), a
 * trailing '/' after a wildcard matches directories only, after a plain
 * name anything. */
bool glob_exists(const char *pattern);

#endif
