/* unit_specifier.h - systemd's %-specifiers in unit file values
 * (unit_specifier.c). */
#ifndef PXINIT_UNIT_SPECIFIER_H
#define PXINIT_UNIT_SPECIFIER_H

#include "unit/unit.h"

/* Resolves systemd's %-specifiers in value for unit u. Returns a new string,
 * or NULL with errno ENOMEM, or EINVAL with the unknown specifier character
 * in *bad ('\0' for a trailing '%'). */
char *unit_specifier_expand(const struct unit *u, const char *value, char *bad);

#endif
