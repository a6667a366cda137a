/* tz_conv.c - the conversions: tz_localtime() as glibc's localtime_r() and
 * tz_mktime() as glibc's mktime(), with a zone passed in instead of $TZ.
 *
 * localtime: before the first transition the first standard-time type
 * (glibc, not RFC 8536's type 0); from the last transition on, the
 * footer's rule when there is one; leap seconds as glibc applies them.
 *
 * mktime follows glibc 2.36's algorithm (time/mktime.c) step by step,
 * because which answer it gives in a gap or a repeat is a consequence of
 * its search, not a rule one could state apart from it:
 * - the search starts from the requested local time minus the offset of
 *   the previous result (per zone here, process-wide in glibc) and moves
 *   by the error of each probe;
 * - in a repeated hour with tm_isdst -1 the first matching probe wins:
 *   the instance with the previous result's offset, else the one the
 *   search meets first (in Berlin, 02:30 on the last Sunday of October is
 *   CET after a winter result or a fresh zone, CEST after a summer one);
 *   0 and 1 get the instance they name;
 * - in a gap the probes oscillate between the two sides; the answer is the
 *   wall time read with one side's offset, the one whose result has the
 *   other tm_isdst than asked; for -1 the one whose result is DST (in
 *   Berlin, 02:30 on the last Sunday of March gives 03:30 CEST for -1 and
 *   0, and 01:30 CET for 1);
 * - a matching time whose tm_isdst is not the one asked for (0 or 1) is
 *   read with the offset of the nearest time that has it, probing every
 *   601200 s up to 229222804 s each way (glibc 2.36's bounds); when none
 *   has it, the match moved by an hour (earlier when DST was asked for).
 */
#include "base/tz_int.h"

#include <errno.h>

/* The type in force at t, for t inside the transitions. */
static const struct tz_type *type_at(const struct tz *z, int64_t t)
{
    if (z->ntrans == 0 || t < z->trans[0]) {
        for (size_t i = 0; i < z->ntypes; i++)
            if (!z->types[i].isdst)
                return &z->types[i];
        return &z->types[0];
    }
    size_t lo = 0, hi = z->ntrans; /* trans[lo] <= t < trans[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t < z->trans[mid])
            hi = mid;
        else
            lo = mid;
    }
    return &z->types[z->trans_type[lo]];
}

bool tz_localtime(const struct tz *z, int64_t t, struct tm *out)
{
    struct tm tm = {0};
    bool from_rule =
        z->has_rule && (z->ntypes == 0 || (z->ntrans > 0 && t >= z->trans[z->ntrans - 1]));
    if (from_rule) {
        struct tm utc;
        if (!tz_offtime(t, 0, &utc)) {
            if (z->ntypes == 0)
                return false;
            from_rule = false; /* glibc falls back on the last type */
        } else {
            /* glibc's year is an int: 1900 + tm_year wraps at the top. */
            int32_t year = (int32_t)(1900u + (uint32_t)utc.tm_year);
            bool dst = tz_rule_isdst(&z->rule, t, year);
            tm.tm_isdst = dst;
            tm.tm_gmtoff = dst ? z->rule.dst_off : z->rule.std_off;
            tm.tm_zone = dst ? z->rule.dst : z->rule.std;
        }
    }
    if (!from_rule) {
        const struct tz_type *ty = z->ntrans > 0 && t >= z->trans[z->ntrans - 1]
                                       ? &z->types[z->trans_type[z->ntrans - 1]]
                                       : type_at(z, t);
        tm.tm_isdst = ty->isdst;
        tm.tm_gmtoff = ty->off;
        tm.tm_zone = z->abbrs + ty->abbr;
    }
    /* Leap seconds: the last correction at or before t; at a positive
     * leap itself the 60th second (more for a run of them). */
    int64_t corr = 0;
    int hit = 0;
    size_t i = z->nleaps;
    while (i > 0 && t < z->leaps[i - 1].when)
        i--;
    if (i > 0) {
        i--;
        corr = z->leaps[i].corr;
        if (t == z->leaps[i].when &&
            ((i == 0 && corr > 0) || (i > 0 && corr > z->leaps[i - 1].corr))) {
            hit = 1;
            while (i > 0 && z->leaps[i].when == z->leaps[i - 1].when + 1 &&
                   z->leaps[i].corr == z->leaps[i - 1].corr + 1) {
                hit++;
                i--;
            }
        }
    }
    long gmtoff = tm.tm_gmtoff;
    int isdst = tm.tm_isdst;
    const char *zone = tm.tm_zone;
    if (!tz_offtime(t, gmtoff - corr, &tm))
        return false;
    tm.tm_sec += hit;
    tm.tm_isdst = isdst;
    tm.tm_gmtoff = gmtoff;
    tm.tm_zone = zone;
    *out = tm;
    return true;
}

/* Seconds from (year0, yday0 hh:mm:ss) to (year1, yday1 ...), years as
 * tm_year counts them, fields unnormalized. */
static int64_t ydhms_diff(int64_t year1, int64_t yday1, int64_t hour1, int64_t min1, int64_t sec1,
                          int64_t year0, int64_t yday0, int64_t hour0, int64_t min0, int64_t sec0)
{
    int64_t days =
        tz_days_before_year(year1 + 1900) - tz_days_before_year(year0 + 1900) + yday1 - yday0;
    return ((days * 24 + hour1 - hour0) * 60 + min1 - min0) * 60 + sec1 - sec0;
}

static int64_t tm_diff(int64_t year, int64_t yday, int hour, int min, int sec, const struct tm *tm)
{
    return ydhms_diff(year, yday, hour, min, sec, tm->tm_year, tm->tm_yday, tm->tm_hour, tm->tm_min,
                      tm->tm_sec);
}

/* Converts *t; when it is out of range, the nearest time that is not
 * (glibc's ranged_convert: a bisection towards 0). */
static bool ranged_convert(const struct tz *z, int64_t *t, struct tm *tm)
{
    if (tz_localtime(z, *t, tm))
        return true;
    int64_t bad = *t, ok = 0;
    struct tm oktm;
    bool have_ok = false;
    for (;;) {
        /* The average rounded up, without overflow. */
        int64_t mid = (ok >> 1) + (bad >> 1) + ((ok | bad) & 1);
        if (mid == ok || mid == bad)
            break;
        if (tz_localtime(z, mid, tm)) {
            ok = mid;
            oktm = *tm;
            have_ok = true;
        } else {
            bad = mid;
        }
    }
    if (!have_ok)
        return false;
    *t = ok;
    *tm = oktm;
    return true;
}

static bool isdst_differ(int a, int b)
{
    return (!a != !b) && a >= 0 && b >= 0;
}

int64_t tz_mktime(const struct tz *zc, struct tm *tp)
{
    /* The guess is the one thing a conversion changes in its zone. */
    return tz_mktime_at(zc, tp, &((struct tz *)zc)->mktime_guess);
}

int64_t tz_mktime_at(const struct tz *z, struct tm *tp, int *guessp)
{
    static const unsigned short mon_yday[2][13] = {
        {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
        {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
    };
    int sec = tp->tm_sec, min = tp->tm_min, hour = tp->tm_hour, mon = tp->tm_mon;
    int isdst = tp->tm_isdst;
    int mon_rem = mon % 12, neg_rem = mon_rem < 0;
    int64_t year = (int64_t)tp->tm_year + mon / 12 - neg_rem;
    int64_t yday =
        mon_yday[tz_leap_year(year + 1900)][mon_rem + 12 * neg_rem] - 1 + (int64_t)tp->tm_mday;
    int sec_requested = sec;
    /* The search counts 60 seconds to the minute; the rest is added after. */
    if (sec < 0)
        sec = 0;
    if (sec > 59)
        sec = 59;
    /* glibc keeps the guess as an int, negated and added with wrapping. */
    int guess = *guessp;
    int neg_guess = (int)(0u - (unsigned)guess);
    int64_t t0 = ydhms_diff(year, yday, hour, min, sec, 70, 0, 0, 0, neg_guess);
    int64_t t = t0, t1 = t0, t2 = t0;
    int dst2 = 0, probes = 6;
    struct tm tm;
    for (;;) {
        if (!ranged_convert(z, &t, &tm))
            goto fail;
        int64_t dt = tm_diff(year, yday, hour, min, sec, &tm);
        if (dt == 0)
            break;
        /* Oscillating between two times: a gap; take this side. */
        if (t == t1 && t != t2 &&
            (tm.tm_isdst < 0 ||
             (isdst < 0 ? dst2 <= (tm.tm_isdst != 0) : (isdst != 0) != (tm.tm_isdst != 0))))
            goto found;
        if (--probes == 0)
            goto overflow;
        t1 = t2;
        t2 = t;
        if (__builtin_add_overflow(t, dt, &t))
            goto overflow;
        dst2 = tm.tm_isdst != 0;
    }
    if (isdst_differ(isdst, tm.tm_isdst)) {
        /* The wall time exists but with the other tm_isdst: use the offset
         * of the nearest time that has the one asked for. */
        const int stride = 601200, delta_bound = 457243209 / 2 + 601200;
        for (int delta = stride; delta < delta_bound; delta += stride)
            for (int dir = -1; dir <= 1; dir += 2) {
                int64_t ot, gt;
                struct tm otm;
                if (__builtin_add_overflow(t, (int64_t)delta * dir, &ot))
                    continue;
                if (!ranged_convert(z, &ot, &otm))
                    goto fail;
                if (isdst_differ(isdst, otm.tm_isdst))
                    continue;
                if (!__builtin_add_overflow(ot, tm_diff(year, yday, hour, min, sec, &otm), &gt) &&
                    tz_localtime(z, gt, &tm)) {
                    t = gt;
                    goto found;
                }
            }
        /* None near (a zone without DST): an hour off the match, the way
         * the asked tm_isdst points. */
        int dst_difference = (isdst == 0) - (tm.tm_isdst == 0);
        if (!__builtin_add_overflow(t, (int64_t)3600 * dst_difference, &t) &&
            tz_localtime(z, t, &tm))
            goto found;
        goto overflow;
    }
found:
    *guessp = (int)((unsigned)((uint64_t)t - (uint64_t)t0) - (unsigned)neg_guess);
    if (sec_requested != tm.tm_sec) {
        /* Add back the seconds outside 0..59, and undo a match on a leap
         * second's 60. */
        int64_t adjust = (sec == 0 && tm.tm_sec == 60) - sec + (int64_t)sec_requested;
        if (__builtin_add_overflow(t, adjust, &t) || !tz_localtime(z, t, &tm))
            goto overflow;
    }
    *tp = tm;
    return t;
overflow:
    errno = EOVERFLOW;
fail:
    return INT64_MIN;
}
