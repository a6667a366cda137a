/* glob_exists.h - whether a shell pattern names an existing path. */
#ifndef PXINIT_GLOB_EXISTS_H
#define PXINIT_GLOB_EXISTS_H

#include <stdbool.h>

/* True when glob(pattern, GLOB_NOSORT) would find a path: '*', '?' and
 * '[...]' match within one path component, a leading '.' only when the
 * pattern spells it, '\' quotes the next character; a pattern that ends in
 * '/' matches directories only. */
bool glob_exists(const char *pattern);

#endif
