/* tz_days.c - the proleptic Gregorian calendar in 64-bit arithmetic, for
 * the zone code: Unix time to broken-down time as glibc's __offtime(), and
 * the days before a year. */
#include <errno.h>

#include "base/tz_int.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool tz_leap_year(int64_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int64_t tz_days_before_year(int64_t year)
{
    int64_t y = year - 1;
    return 365 * (year - 1970) + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400) - 477;
}

bool tz_offtime(int64_t t, int64_t off, struct tm *tm)
{
    /* Split before adding so that t + off cannot overflow (off is small). */
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    rem += off;
    int64_t carry = floor_div(rem, 86400);
    days += carry;
    rem -= carry * 86400;
    /* Howard Hinnant's civil_from_days, in 400-year eras from 0000-03-01. */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t mday = doy - (153 * mp + 2) / 5 + 1;
    int64_t mon = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (mon <= 2);
    if (year - 1900 < INT32_MIN || year - 1900 > INT32_MAX) {
        errno = EOVERFLOW;
        return false;
    }
    tm->tm_year = (int)(year - 1900);
    tm->tm_mon = (int)(mon - 1);
    tm->tm_mday = (int)mday;
    tm->tm_yday = (int)(days - tz_days_before_year(year));
    int64_t wday = (days + 4) % 7;
    tm->tm_wday = (int)(wday < 0 ? wday + 7 : wday);
    tm->tm_hour = (int)(rem / 3600);
    tm->tm_min = (int)(rem / 60 % 60);
    tm->tm_sec = (int)(rem % 60);
    return true;
}
