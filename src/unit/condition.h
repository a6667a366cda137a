/* condition.h - Condition*= and Assert*= (systemd.unit(5)): paths, and what
 * a container can answer (capabilities, virtualization, AC power). */
#ifndef PXINIT_CONDITION_H
#define PXINIT_CONDITION_H

#include <stdbool.h>

#include "unit/unit.h"

enum condition_result {
    CONDITION_MET,
    CONDITION_FAILED,        /* a Condition*= does not hold: skip the unit, no failure */
    CONDITION_ASSERT_FAILED, /* an Assert*= does not hold: the start fails */
};

/* Evaluates the unit's path conditions now. On failure *what points at the
 * first that did not hold (for the log). */
enum condition_result condition_check(const struct unit *u, const struct path_condition **what);
const char *condition_kind_name(enum condition_kind kind, bool is_assert);

/* For the tests: a capability's number by name ("CAP_SYS_ADMIN",
 * "sys_admin", "21"), or -1; whether the power supplies under class_dir
 * (/sys/class/power_supply) say AC power. */
int condition_capability_from_name(const char *name);
bool condition_on_ac_power(const char *class_dir);

#endif
