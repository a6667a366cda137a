/* tz.h - time zones without touching the process's TZ: PID 1 never calls
 * setenv()/tzset() to convert a time, so no conversion depends on or
 * changes global state, and a zone is read once, when a unit names it.
 *
 * A zone is read from a TZif file (tzfile(5): versions 1 to 4, the 64-bit
 * data and the POSIX TZ footer that rules the times after the last
 * transition) or from a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3").
 * The conversions behave as glibc's localtime_r() and mktime() do with
 * TZ set to the same zone, gaps and repeats of daylight saving included:
 * systemd's calendar code runs on those two, and pxinit must elapse when
 * systemd would.
 */
#ifndef PXINIT_TZ_H
#define PXINIT_TZ_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct tz;

/* Loads a zone by name as TZ would name it: "UTC", "Europe/Berlin" (under
 * /usr/share/zoneinfo, or $TZDIR), ":/path/file", or a POSIX TZ string.
 * NULL or "" loads the local zone: $TZ when set, else /etc/localtime, else
 * UTC. NULL with errno (ENOENT: no such zone; EINVAL: a malformed file or
 * string; ENOMEM). A name with ".." or a file that is not regular is
 * refused (EINVAL). */
struct tz *tz_load(const char *name);
void tz_free(struct tz *z);

/* The local zone, loaded on first use and kept; never NULL (UTC when the
 * local zone cannot be read). tz_local_reload() reads it again (the time
 * zone changed: OnTimezoneChange=), returning true when it differs; then
 * the old zone is freed: call tz_local() again rather than keep its
 * pointer (or a tm_zone from it) across a reload. */
const struct tz *tz_local(void);
bool tz_local_reload(void);
/* The UTC zone (static, never freed). */
const struct tz *tz_utc(void);

/* As localtime_r(): t (Unix seconds) in z. Fills tm_gmtoff, tm_isdst and
 * tm_zone (a pointer into z, valid while z lives). false when t is out of
 * range. */
bool tz_localtime(const struct tz *z, int64_t t, struct tm *out);
/* As mktime() with TZ=z: normalizes *tm (out-of-range fields carry over,
 * tm_isdst -1 lets the zone decide, 0 or 1 asks for that offset), fills
 * tm_wday, tm_yday, tm_isdst, tm_gmtoff, tm_zone and returns the Unix
 * time; INT64_MIN (errno EOVERFLOW, *tm untouched) when it cannot be
 * represented. As glibc's, its search starts from the offset of its
 * previous result, which z keeps (so z is not for two threads at once):
 * that decides which instance of a repeated local time tm_isdst -1 gets.
 * tz_conv.c says what it gives in gaps and repeats. */
int64_t tz_mktime(const struct tz *z, struct tm *tm);
/* As tz_mktime(), the search starting from *guess and leaving its result
 * there rather than in z: a zone shared by many users (calendar specs)
 * gives each the results it would give it alone. *guess starts at 0. */
int64_t tz_mktime_at(const struct tz *z, struct tm *tm, int *guess);
/* True when abbr ("CET", "CEST"; case ignored, as systemd compares) is one
 * of z's current abbreviations: its POSIX rule's, and the last standard and
 * daylight ones of its transitions (glibc's tzname[] after tzset()), not
 * historic ones such as "LMT". *isdst says whether it names its
 * daylight-saving time. */
bool tz_has_abbrev(const struct tz *z, const char *abbr, int *isdst);
/* The name it was loaded under ("Europe/Berlin"; "" for the local zone). */
const char *tz_name(const struct tz *z);

#endif
