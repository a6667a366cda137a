/* tz_int.h - the inside of a struct tz, shared by tz.c (loading, the
 * local zone), tz_file.c (TZif), tz_rule.c (POSIX TZ strings), tz_conv.c
 * (the conversions), tz_days.c (calendar arithmetic) and the fuzz harness. Not for other modules.
 */
#ifndef PXINIT_TZ_INT_H
#define PXINIT_TZ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/tz.h"

/* Longest abbreviation kept from a POSIX TZ string ("<+0530>" is 5). */
#define TZ_ABBR_MAX 31
/* Largest TZif file read: the biggest in tzdata is under 4 KiB. */
#define TZ_FILE_MAX (256u * 1024)

/* A local time type of a TZif file. */
struct tz_type {
    int32_t off; /* seconds east of UTC */
    bool isdst;
    uint32_t abbr; /* index into tz.abbrs, NUL-terminated there */
};

/* A leap second record ("right/" zones): from when on, corr seconds. */
struct tz_leap {
    int64_t when;
    int32_t corr;
};

/* The date of one change of a POSIX rule: Jn (1..365, no Feb 29), n
 * (0..365, counting Feb 29) or Mm.w.d; secs is the local time of day,
 * which may be negative or past 24 h (TZif v3). */
enum tz_date_kind { TZ_DATE_JULIAN1, TZ_DATE_JULIAN0, TZ_DATE_MONTH };
struct tz_date {
    enum tz_date_kind kind;
    int day; /* Jn, n, or the weekday (0 Sunday) of Mm.w.d */
    int month, week;
    int32_t secs;
};

/* A POSIX TZ string: "std offset [dst [offset] [,start[/time],end[/time]]]". */
struct tz_rule {
    char std[TZ_ABBR_MAX + 1];
    char dst[TZ_ABBR_MAX + 1];
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    struct tz_date start, end; /* start: into DST (in standard time) */
};

struct tz {
    char *name;
    bool is_static; /* tz_utc(): never freed */
    /* TZif data; ntypes == 0 for a zone made of a rule alone. */
    size_t ntrans, ntypes, nabbrs, nleaps;
    int64_t *trans;
    uint8_t *trans_type;
    struct tz_type *types;
    char *abbrs;
    struct tz_leap *leaps;
    /* The POSIX rule: the TZif footer, or the whole zone. */
    bool has_rule;
    struct tz_rule rule;
    /* glibc's mktime() starts its search from the offset of its previous
     * result (a static in glibc); the search's start decides which of two
     * times a repeated local time gets when tm_isdst is -1. */
    int mktime_guess;
};

/* A zone from the bytes of a TZif file; NULL with errno EINVAL (malformed)
 * or ENOMEM. The name is left NULL. */
struct tz *tz_parse_buffer(const void *data, size_t len);
/* A zone from a POSIX TZ string; NULL with EINVAL or ENOMEM. */
struct tz *tz_parse_posix(const char *s);
/* Parses a POSIX TZ string into *r. 0, or -1 with EINVAL. */
int tz_rule_parse(const char *s, struct tz_rule *r);
/* Whether UTC time t, in UTC year year, is in r's daylight-saving time. */
bool tz_rule_isdst(const struct tz_rule *r, int64_t t, int64_t year);

/* t + off seconds as broken-down time, as glibc's __offtime(): false
 * (EOVERFLOW) when the year does not fit tm_year. */
bool tz_offtime(int64_t t, int64_t off, struct tm *tm);
/* Days from 1970-01-01 to Jan 1 of year (a full year, 1970 = 1970). */
int64_t tz_days_before_year(int64_t year);
bool tz_leap_year(int64_t year);

#endif
