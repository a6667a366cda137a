/* tz_rule.c - POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3"), as a whole
 * zone and as the footer of a TZif file: the parser and the question
 * "daylight-saving time at this instant?".
 *
 * Well-formed strings mean what they mean to glibc 2.36 (time/tzset.c):
 * offsets clamp their hours at 24 and minutes and seconds at 59, rule times
 * do not clamp and may be negative (TZif v3), the change dates are found
 * for the UTC year of the instant, and a DST zone without rules gets the
 * US rules (glibc's fallback when there is no posixrules file). Unlike
 * glibc, anything malformed or left over is refused instead of read as UTC
 * or ignored.
 */
#include "base/tz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "CET" (three letters or more) or "<+0530>" (three or more of
 * letters, digits, + and -). */
static int parse_name(const char **sp, char *out)
{
    const char *s = *sp, *start = s;
    size_t len = 0;
    if (*s == '<') {
        start = ++s;
        while (is_alpha(*s) || is_digit(*s) || *s == '+' || *s == '-')
            s++;
        len = (size_t)(s - start);
        if (*s != '>')
            return -1;
        s++;
    } else {
        while (is_alpha(*s))
            s++;
        len = (size_t)(s - start);
    }
    if (len < 3 || len > TZ_ABBR_MAX)
        return -1;
    memcpy(out, start, len);
    out[len] = '\0';
    *sp = s;
    return 0;
}

/* Up to maxdigits digits into *v. */
static int parse_num(const char **sp, int maxdigits, int *v)
{
    const char *s = *sp;
    int n = 0, digits = 0;
    while (is_digit(*s) && digits < maxdigits) {
        n = n * 10 + (*s - '0');
        s++;
        digits++;
    }
    if (digits == 0 || is_digit(*s))
        return -1;
    *v = n;
    *sp = s;
    return 0;
}

/* hh[:mm[:ss]] into hours, minutes and seconds. */
static int parse_hms(const char **sp, int hdigits, int *h, int *m, int *sec)
{
    *m = *sec = 0;
    if (parse_num(sp, hdigits, h) < 0)
        return -1;
    if (**sp == ':') {
        (*sp)++;
        if (parse_num(sp, 2, m) < 0)
            return -1;
        if (**sp == ':') {
            (*sp)++;
            if (parse_num(sp, 2, sec) < 0)
                return -1;
        }
    }
    return 0;
}

/* [+-]hh[:mm[:ss]], west of UTC positive as POSIX writes it; returned as
 * seconds east. glibc clamps each part. */
static int parse_offset(const char **sp, int32_t *off)
{
    int sign = -1, h, m, sec;
    if (**sp == '+' || **sp == '-') {
        sign = **sp == '-' ? 1 : -1;
        (*sp)++;
    }
    if (parse_hms(sp, 3, &h, &m, &sec) < 0)
        return -1;
    if (h > 24)
        h = 24;
    if (m > 59)
        m = 59;
    if (sec > 59)
        sec = 59;
    *off = sign * (h * 3600 + m * 60 + sec);
    return 0;
}

/* Jn, n or Mm.w.d, then an optional /[+-]time (default 02:00). */
static int parse_date(const char **sp, struct tz_date *d)
{
    const char *s = *sp;
    d->month = d->week = 0;
    if (*s == 'J') {
        s++;
        d->kind = TZ_DATE_JULIAN1;
        if (parse_num(&s, 3, &d->day) < 0 || d->day < 1 || d->day > 365)
            return -1;
    } else if (is_digit(*s)) {
        d->kind = TZ_DATE_JULIAN0;
        if (parse_num(&s, 3, &d->day) < 0 || d->day > 365)
            return -1;
    } else if (*s == 'M') {
        s++;
        d->kind = TZ_DATE_MONTH;
        if (parse_num(&s, 2, &d->month) < 0 || d->month < 1 || d->month > 12 || *s++ != '.' ||
            parse_num(&s, 1, &d->week) < 0 || d->week < 1 || d->week > 5 || *s++ != '.' ||
            parse_num(&s, 1, &d->day) < 0 || d->day > 6)
            return -1;
    } else {
        return -1;
    }
    d->secs = 2 * 3600;
    if (*s == '/') {
        int sign = 1, h, m, sec;
        s++;
        if (*s == '+' || *s == '-')
            sign = *s++ == '-' ? -1 : 1;
        /* Up to 167 h in TZif v3; glibc does not clamp these. */
        if (parse_hms(&s, 3, &h, &m, &sec) < 0)
            return -1;
        d->secs = sign * (h * 3600 + m * 60 + sec);
    }
    *sp = s;
    return 0;
}

int tz_rule_parse(const char *s, struct tz_rule *r)
{
    memset(r, 0, sizeof(*r));
    if (parse_name(&s, r->std) < 0 || parse_offset(&s, &r->std_off) < 0)
        goto bad;
    if (*s == '\0') {
        memcpy(r->dst, r->std, sizeof(r->dst));
        r->dst_off = r->std_off;
        return 0;
    }
    if (parse_name(&s, r->dst) < 0)
        goto bad;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*s != ',' && *s != '\0' && parse_offset(&s, &r->dst_off) < 0)
        goto bad;
    if (*s == '\0' || (s[0] == ',' && s[1] == '\0')) {
        /* No rules: the US ones, as glibc without posixrules. */
        r->start = (struct tz_date){TZ_DATE_MONTH, 0, 3, 2, 2 * 3600};
        r->end = (struct tz_date){TZ_DATE_MONTH, 0, 11, 1, 2 * 3600};
        return 0;
    }
    if (*s++ != ',' || parse_date(&s, &r->start) < 0 || *s++ != ',' ||
        parse_date(&s, &r->end) < 0 || *s != '\0')
        goto bad;
    return 0;
bad:
    errno = EINVAL;
    return -1;
}

/* Unix time of the change d in year, as glibc's compute_change(): before
 * 1971 it counts from 1970-01-01 whatever the year (glibc does). */
static int64_t change_time(const struct tz_date *d, int64_t year, int32_t off)
{
    static const int mon_yday[2][13] = {
        {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
        {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
    };
    /* glibc counts the days in an int: they wrap past the year 5.8 million. */
    int64_t t = year > 1970 ? (int64_t)(int32_t)(uint32_t)tz_days_before_year(year) * 86400 : 0;
    bool leap = tz_leap_year(year);
    switch (d->kind) {
    case TZ_DATE_JULIAN1:
        t += (int64_t)(d->day - 1) * 86400;
        if (d->day >= 60 && leap)
            t += 86400;
        break;
    case TZ_DATE_JULIAN0:
        t += (int64_t)d->day * 86400;
        break;
    case TZ_DATE_MONTH: {
        const int *myday = &mon_yday[leap][d->month];
        t += (int64_t)myday[-1] * 86400;
        /* The weekday of the month's first day (Zeller), with C's
         * truncating division as glibc computes it. */
        int64_t m1 = (d->month + 9) % 12 + 1;
        int64_t yy0 = d->month <= 2 ? year - 1 : year;
        int64_t yy1 = yy0 / 100, yy2 = yy0 % 100;
        int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
        if (dow < 0)
            dow += 7;
        int64_t day = d->day - dow;
        if (day < 0)
            day += 7;
        for (int i = 1; i < d->week; i++) {
            if (day + 7 >= myday[0] - myday[-1])
                break;
            day += 7;
        }
        t += day * 86400;
        break;
    }
    }
    return t - off + d->secs;
}

bool tz_rule_isdst(const struct tz_rule *r, int64_t t, int64_t year)
{
    if (!r->has_dst)
        return false;
    int64_t start = change_time(&r->start, year, r->std_off);
    int64_t end = change_time(&r->end, year, r->dst_off);
    /* Southern hemisphere: DST spans the new year. */
    if (start > end)
        return t < end || t >= start;
    return t >= start && t < end;
}

struct tz *tz_parse_posix(const char *s)
{
    struct tz_rule rule;
    if (tz_rule_parse(s, &rule) < 0)
        return NULL;
    struct tz *z = calloc(1, sizeof(*z));
    if (!z) {
        errno = ENOMEM;
        return NULL;
    }
    z->has_rule = true;
    z->rule = rule;
    return z;
}
