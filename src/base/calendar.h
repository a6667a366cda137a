/* calendar.h - systemd's calendar events (systemd.time(7), "CALENDAR
 * EVENTS"): OnCalendar= and `pxinit calendar`.
 *
 * calendar_parse() accepts exactly what systemd 252's parser accepts
 * (shorthands, weekday lists and ranges, A..B, A/N, ~ from the end of the
 * month, seconds with fractions, several values per field, a time-zone
 * suffix: UTC, the local zone's abbreviations, a tz database name) and
 * rejects what it rejects; calendar_format() prints the normalized form
 * systemd prints; calendar_next() finds the next elapse as systemd's
 * calendar_spec_next_usec() does, in the spec's zone (base/tz.h).
 * The oracle for all three is `systemd-analyze calendar`
 * (tests/calendar_oracle.sh).
 */
#ifndef PXINIT_CALENDAR_H
#define PXINIT_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

struct calendar_spec;

/* Parses text. 0 and *out, or -1 with errno (EINVAL: not a calendar
 * event; ERANGE: a number out of range; ENOBUFS: more than 241 values in
 * one field: systemd's errors; ENOMEM) and *out untouched. The spec keeps
 * what it needs of its zone (loaded through tz_load() once, here). */
int calendar_parse(const char *text, struct calendar_spec **out);
void calendar_free(struct calendar_spec *c);
/* The normalized form ("Mon..Fri *-*-* 09:00:00 Europe/Berlin"), newly
 * allocated; NULL with ENOMEM. */
char *calendar_format(const struct calendar_spec *c);
/* The first elapse strictly after after_usec (Unix time in microseconds).
 * 0 and *next, or -1 with errno ENOENT when there is none (a year in the
 * past, Feb 30, a dst abbreviation in the other half of the year), EDEADLK
 * when systemd's search would give up (1000 rounds), EINVAL for a base
 * past the year 9999. As in systemd, a spec with a dst abbreviation may
 * elapse at or before after_usec around the autumn change. */
int calendar_next(const struct calendar_spec *c, uint64_t after_usec, uint64_t *next);
bool calendar_equal(const struct calendar_spec *a, const struct calendar_spec *b);
/* True when the spec uses the local zone (no suffix, or the local zone's
 * abbreviation): OnTimezoneChange= recomputes only those. */
bool calendar_is_local(const struct calendar_spec *c);

#endif
