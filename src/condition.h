/* condition.h - Condition*= and Assert*= on paths (systemd.unit(5)). */
#ifndef PXINIT_CONDITION_H
#define PXINIT_CONDITION_H

#include <stdbool.h>

#include "unit.h"

enum condition_result {
    CONDITION_MET,
    CONDITION_FAILED, /* a Condition*= does not hold: skip the unit, no failure */
    CONDITION_ASSERT_FAILED, /* an Assert*= does not hold: the start fails */
};

/* Evaluates the unit's path conditions now. On failure *what points at the
 * first that did not hold (for the log). */
enum condition_result condition_check(const struct unit *u, const struct path_condition **what);
const char *condition_kind_name(enum condition_kind kind, bool is_assert);

#endif
