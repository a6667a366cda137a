/* calendar_int.h - what calendar.c (parse), calendar_format.c and
 * calendar_next.c share: the parsed spec.
 *
 * A field is a sorted list of components, each "start", "start..stop" or
 * "start/repeat" ("start..stop/repeat"): systemd's CalendarComponent chain
 * as an array. No components means "*". Seconds are kept in microseconds.
 */
#ifndef PXINIT_CALENDAR_INT_H
#define PXINIT_CALENDAR_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/calendar.h"
#include "base/tz.h"

#define CAL_USEC_PER_SEC 1000000
#define CAL_MIN_YEAR 1970
#define CAL_MAX_YEAR 2199
#define CAL_WEEKDAYS_ALL 127
/* systemd refuses a field of more than this many components (ENOBUFS). */
#define CAL_COMPONENTS_MAX 240

struct cal_comp {
    int start;
    int stop;   /* -1: no range */
    int repeat; /* 0: no repetition */
};

struct cal_field {
    struct cal_comp *v;
    size_t n; /* 0: any value */
};

enum cal_field_id { CAL_YEAR, CAL_MONTH, CAL_DAY, CAL_HOUR, CAL_MINUTE, CAL_USEC, CAL__FIELDS };

/* One allocation: this, then the components, field by field (n[0] of
 * the year, then n[1] of the month...). cal_field_of() finds a field's. */
struct calendar_spec {
    struct tz *zone; /* a tz database zone, shared (cal_zone_put()); NULL: local or UTC */
    int weekdays;    /* bit 0 Monday .. bit 6 Sunday; -1: every day */
    int dst;         /* -1, or 0/1 when a local abbreviation named standard or summer time */
    int guess;       /* zone's tz_mktime_at() search start: each spec its own */
    unsigned short n[CAL__FIELDS]; /* components per field; 0: any value */
    bool end_of_month;
    bool utc;
    char abbr[16]; /* that abbreviation as the zone spells it */
};

static inline struct cal_field cal_field_of(const struct calendar_spec *s, enum cal_field_id id)
{
    struct cal_comp *v = (struct cal_comp *)(s + 1);
    for (int i = 0; i < (int)id; i++)
        v += s->n[i];
    return (struct cal_field){.v = v, .n = s->n[id]};
}

/* The spec while it is parsed: the fields grow one component at a time. */
struct cal_build {
    struct calendar_spec s; /* n[] unused until packed */
    struct cal_field f[CAL__FIELDS];
};

/* Takes the zone off the end of text (" UTC", a local abbreviation, a zone
 * name), noting it in c; the rest is text[0..*len). 0, or -errno
 * (calendar_zone.c). */
int cal_take_zone(const char *text, size_t *len, struct calendar_spec *c);
/* Drops a spec's hold on its zone, freeing it with the last. */
void cal_zone_put(struct tz *z);

#endif
