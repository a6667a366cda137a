/* unit_timer.h - the [Timer] part of a unit (struct unit_timer, unit.h):
 * its defaults, freeing, comparison, and the name of the unit a timer
 * starts. The key parsers are in unit_values_timer.c. */
#ifndef PXINIT_UNIT_TIMER_H
#define PXINIT_UNIT_TIMER_H

#include <stdbool.h>

#include "unit/unit.h"

/* Frees every value (OnCalendar= events too) and empties the list. */
void unit_timer_clear_values(struct unit_timer *t);
/* Frees the part and what it holds; NULL is fine. */
void unit_timer_free(struct unit_timer *t);
/* True when a and b fire the same way (line numbers left out). */
bool unit_timer_equal(const struct unit_timer *a, const struct unit_timer *b);
/* What a timer named name ("foo@x.timer") starts without Unit=:
 * "foo@x.service", newly allocated; NULL with ENOMEM, or EINVAL when name
 * does not end in ".timer". */
char *unit_timer_default_unit(const char *name);

#endif
