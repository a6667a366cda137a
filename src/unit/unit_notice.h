/* unit_notice.h - the one line that sums up which keys the loaded units use
 * that pxinit accepts without enforcing (unit_notice.c). */
#ifndef PXINIT_UNIT_NOTICE_H
#define PXINIT_UNIT_NOTICE_H

#include <stddef.h>

#include "unit/unit.h"

/* Logs, at notice, "N units use M keys pxinit does not enforce (A=, B=,
 * ...)" for units[0..n), unless the line would say what the last one said
 * (a daemon-reload that changed none of them says nothing). */
void unit_not_enforced_summary(struct unit *const *units, size_t n);

/* The unit's keys not enforced as "A=, B=" into buf (size > 0); the number
 * of keys. */
size_t unit_not_enforced_list(const struct unit *u, char *buf, size_t size);

/* daemon-reload keeps a unit in force when the new file's unit is
 * unit_equal() to it: kept takes fresh's lists that are not settings (keys
 * not enforced, drop-in paths), which may differ. Swapped: fresh is freed. */
void unit_notes_take(struct unit *kept, struct unit *fresh);

#endif
