/* unit_timer.c - the [Timer] part of a unit: systemd's defaults
 * (systemd.timer(5): AccuracySec=1min, RemainAfterElapse=yes), freeing and
 * comparison. unit.c's part table and unit_equal() call these. */
#include "unit/unit_timer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timespan.h"

const struct unit_timer unit_timer_default = {
    .accuracy_usec = 60 * USEC_PER_SEC,
    .remain_after_elapse = true,
};

void unit_timer_clear_values(struct unit_timer *t)
{
    for (size_t i = 0; i < t->n; i++)
        calendar_free(t->v[i].cal);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

void unit_timer_free(struct unit_timer *t)
{
    if (!t)
        return;
    unit_timer_clear_values(t);
    free(t->unit);
    free(t);
}

static bool timer_value_equal(const struct timer_value *a, const struct timer_value *b)
{
    if (a->base != b->base || a->usec != b->usec)
        return false;
    if (!a->cal || !b->cal)
        return a->cal == b->cal;
    return calendar_equal(a->cal, b->cal);
}

bool unit_timer_equal(const struct unit_timer *a, const struct unit_timer *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!timer_value_equal(&a->v[i], &b->v[i]))
            return false;
    if (!a->unit || !b->unit ? a->unit != b->unit : strcmp(a->unit, b->unit) != 0)
        return false;
    return a->accuracy_usec == b->accuracy_usec &&
           a->randomized_delay_usec == b->randomized_delay_usec && a->persistent == b->persistent &&
           a->wake_system == b->wake_system && a->remain_after_elapse == b->remain_after_elapse &&
           a->on_clock_change == b->on_clock_change &&
           a->on_timezone_change == b->on_timezone_change &&
           a->fixed_random_delay == b->fixed_random_delay;
}

char *unit_timer_default_unit(const char *name)
{
    static const char timer[] = ".timer", service[] = ".service";
    size_t n = name ? strlen(name) : 0;

    if (n <= strlen(timer) || strcmp(name + n - strlen(timer), timer) != 0) {
        errno = EINVAL;
        return NULL;
    }
    n -= strlen(timer);
    char *s = malloc(n + sizeof(service));
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(s, name, n);
    memcpy(s + n, service, sizeof(service));
    return s;
}
