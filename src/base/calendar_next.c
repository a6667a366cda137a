/* calendar_next.c - the next elapse of a calendar spec.
 *
 * systemd's find_next(), step for step, so that pxinit elapses when systemd
 * would, across daylight-saving changes too: from the time just after the
 * base, fit the year, month, day, weekday, hour, minute and second in turn
 * to the spec; after each step mktime() (tz_mktime() in the spec's zone)
 * normalizes the candidate, and when that moved it (a day past the end of
 * the month, an hour in a DST gap) the search starts over from where it
 * landed. A local abbreviation in the spec ("CEST") asks mktime for that
 * offset (tm_isdst), as systemd does, with the same odd results when the
 * base is in the other half of the year. A result not after the start
 * moves on an hour and drops the flag (Debian's 252.39 has that fix). At
 * most 1000 rounds (EDEADLK), no year past 2199 (ENOENT).
 */
#include <errno.h>

#include "base/calendar_int.h"

#define MAX_ROUNDS 1000
/* The last microsecond systemd formats: 9999-12-30 23:59:59 UTC. */
#define USEC_FORMATTABLE_MAX UINT64_C(253402214399999999)

static const struct tz *spec_zone(const struct calendar_spec *s)
{
    if (s->utc)
        return tz_utc();
    return s->zone ? s->zone : tz_local();
}

/* mktime(), or timegm() for UTC (which ignores tm_isdst). */
static int64_t spec_mktime(const struct calendar_spec *s, struct tm *tm)
{
    if (s->utc)
        tm->tm_isdst = 0;
    /* A shared zone: the search starts where this spec's last one ended,
     * as when the spec had the zone to itself. */
    if (s->zone && !s->utc)
        return tz_mktime_at(s->zone, tm, &((struct calendar_spec *)s)->guess);
    return tz_mktime(spec_zone(s), tm);
}

/* The day that is `back` days before the end of tm's month (0 = the
 * last); -1 when that leaves the month. */
static int end_of_month_day(const struct calendar_spec *s, const struct tm *tm, int back)
{
    struct tm t = *tm;
    t.tm_mon++;
    t.tm_mday = 1 - back;
    if (spec_mktime(s, &t) < 0 || t.tm_mon != tm->tm_mon)
        return -1;
    return t.tm_mday;
}

/* The earliest value >= *val the field allows: 1 when it changed *val, 0
 * when *val already fits, -ENOENT when none is left. */
static int field_match(const struct calendar_spec *s, enum cal_field_id id, const struct tm *tm,
                       int *val)
{
    struct cal_field fv = cal_field_of(s, id);
    const struct cal_field *f = &fv;
    bool from_end = s->end_of_month && id == CAL_DAY;
    bool found = false;
    int best = -1;
    for (size_t i = 0; i < f->n; i++) {
        const struct cal_comp *c = &f->v[i];
        int start = c->start, stop = c->stop;
        if (from_end) {
            start = end_of_month_day(s, tm, c->start);
            stop = end_of_month_day(s, tm, c->stop);
            if (stop > 0) {
                int x = start;
                start = stop;
                stop = x;
            }
        }
        if (start >= *val) {
            if (!found || start < best) {
                best = start;
                found = true;
            }
        } else if (c->repeat > 0) {
            int k = start + c->repeat * ((*val - start + c->repeat - 1) / c->repeat);
            if ((!found || k < best) && (stop < 0 || k <= stop)) {
                best = k;
                found = true;
            }
        }
    }
    if (f->n == 0)
        return 0;
    if (!found)
        return -ENOENT;
    int changed = *val != best;
    *val = best;
    return changed;
}

/* 1 when mktime leaves tm as it is; 0 when it moved it forward (tm is then
 * the normalized time, with the units below the one that moved reset);
 * -EDEADLK when it moved it back, -ERANGE past the last year. */
static int within_bounds(const struct calendar_spec *s, struct tm *tm)
{
    if (tm->tm_year + 1900 > CAL_MAX_YEAR)
        return -ERANGE;
    struct tm t = *tm;
    if (spec_mktime(s, &t) < 0)
        return -EINVAL;
    int cmp;
#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))
    if ((cmp = CMP(t.tm_year, tm->tm_year)) != 0)
        t.tm_mon = 0;
    else if ((cmp = CMP(t.tm_mon, tm->tm_mon)) != 0)
        t.tm_mday = 1;
    else if ((cmp = CMP(t.tm_mday, tm->tm_mday)) != 0)
        t.tm_hour = 0;
    else if ((cmp = CMP(t.tm_hour, tm->tm_hour)) != 0)
        t.tm_min = 0;
    else if ((cmp = CMP(t.tm_min, tm->tm_min)) != 0)
        t.tm_sec = 0;
    else
        cmp = CMP(t.tm_sec, tm->tm_sec);
#undef CMP
    if (cmp < 0)
        return -EDEADLK;
    if (cmp > 0)
        *tm = t;
    return cmp == 0;
}

static bool weekday_matches(const struct calendar_spec *s, const struct tm *tm)
{
    if (s->weekdays < 0 || s->weekdays >= CAL_WEEKDAYS_ALL)
        return true;
    struct tm t = *tm;
    if (spec_mktime(s, &t) < 0)
        return false;
    int k = t.tm_wday == 0 ? 6 : t.tm_wday - 1;
    return s->weekdays & (1 << k);
}

/* Clears the units below the one a step changed or skipped. */
static void reset_below(struct tm *c, int *usec, enum cal_field_id id)
{
    switch (id) {
    case CAL_YEAR:
        c->tm_mon = 0;
        /* fall through */
    case CAL_MONTH:
        c->tm_mday = 1;
        /* fall through */
    case CAL_DAY:
        c->tm_hour = 0;
        /* fall through */
    case CAL_HOUR:
        c->tm_min = 0;
        /* fall through */
    case CAL_MINUTE:
        c->tm_sec = 0;
        /* fall through */
    default:
        *usec = 0;
    }
}

/* Fits one field; on no match or a bad time, moves to the next value of
 * the unit above (*upper) and says "again" (0). 1: go on. */
static int step(const struct calendar_spec *s, enum cal_field_id id, struct tm *c, int *usec,
                int *val, int offset, int *upper)
{
    *val += offset;
    int r = field_match(s, id, c, val);
    *val -= offset;
    if (r > 0)
        reset_below(c, usec, id);
    if (r < 0 || (r = within_bounds(s, c)) < 0) {
        (*upper)++;
        reset_below(c, usec, (enum cal_field_id)(id - 1));
        return 0;
    }
    return r;
}

/* Compares the fields a person reads (tm_isdst aside). */
static int tm_compare(const struct tm *a, const struct tm *b)
{
    const int x[] = {a->tm_year, a->tm_mon, a->tm_mday, a->tm_hour, a->tm_min, a->tm_sec};
    const int y[] = {b->tm_year, b->tm_mon, b->tm_mday, b->tm_hour, b->tm_min, b->tm_sec};
    for (int i = 0; i < 6; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static int find_next(const struct calendar_spec *s, struct tm *tm, int *tm_usec)
{
    struct tm c = *tm;
    int usec = *tm_usec;
    bool ignore_dst = false;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        (void)spec_mktime(s, &c);
        if (!ignore_dst)
            c.tm_isdst = s->dst;

        c.tm_year += 1900;
        int r = field_match(s, CAL_YEAR, &c, &c.tm_year);
        c.tm_year -= 1900;
        if (r > 0)
            reset_below(&c, &usec, CAL_YEAR);
        if (r < 0)
            return r;
        if (within_bounds(s, &c) <= 0)
            return -ENOENT;

        if (step(s, CAL_MONTH, &c, &usec, &c.tm_mon, 1, &c.tm_year) == 0)
            continue;
        if (step(s, CAL_DAY, &c, &usec, &c.tm_mday, 0, &c.tm_mon) == 0)
            continue;
        if (!weekday_matches(s, &c)) {
            c.tm_mday++;
            reset_below(&c, &usec, CAL_DAY);
            continue;
        }
        if (step(s, CAL_HOUR, &c, &usec, &c.tm_hour, 0, &c.tm_mday) == 0)
            continue;
        if (step(s, CAL_MINUTE, &c, &usec, &c.tm_min, 0, &c.tm_hour) == 0)
            continue;

        /* Seconds in microseconds, so that fractions match. */
        c.tm_sec = c.tm_sec * CAL_USEC_PER_SEC + usec;
        r = field_match(s, CAL_USEC, &c, &c.tm_sec);
        usec = c.tm_sec % CAL_USEC_PER_SEC;
        c.tm_sec /= CAL_USEC_PER_SEC;
        if (r < 0 || (r = within_bounds(s, &c)) < 0) {
            c.tm_min++;
            c.tm_sec = usec = 0;
            continue;
        }
        if (r == 0)
            continue;

        /* Not after the start: a local time twice in the autumn, or the dst
         * flag pulling it back. Go on an hour later and let mktime pick the
         * offset from then on, as systemd 252.39 does. */
        r = tm_compare(tm, &c);
        if (r == 0)
            r = *tm_usec > usec + 1 ? 1 : *tm_usec < usec + 1 ? -1 : 0;
        if (r >= 0) {
            ignore_dst = true;
            c.tm_hour++;
            continue;
        }

        *tm = c;
        *tm_usec = usec;
        return 0;
    }
    return -EDEADLK;
}

int calendar_next(const struct calendar_spec *c, uint64_t after_usec, uint64_t *next)
{
    if (after_usec > USEC_FORMATTABLE_MAX) {
        errno = EINVAL;
        return -1;
    }
    uint64_t u = after_usec + 1;
    struct tm tm;
    if (!tz_localtime(spec_zone(c), (int64_t)(u / CAL_USEC_PER_SEC), &tm)) {
        errno = EINVAL;
        return -1;
    }
    int usec = (int)(u % CAL_USEC_PER_SEC);
    int r = find_next(c, &tm, &usec);
    if (r < 0) {
        errno = -r;
        return -1;
    }
    int64_t t = spec_mktime(c, &tm);
    if (t < 0) {
        errno = EINVAL;
        return -1;
    }
    *next = (uint64_t)t * CAL_USEC_PER_SEC + (uint64_t)usec;
    return 0;
}
