/* timestamp.c - journalctl's --since/--until syntax (timestamp.h).
 *
 * systemd 252 tries a list of strptime() formats in order and takes the
 * first that reads the whole text; the fields then go through mktime() in
 * the local zone (timegm() after " UTC"). The formats are read here by a
 * small matcher that behaves as glibc's strptime() does for the few
 * conversions involved (blanks skipped before numbers, a number stops
 * once one more digit would pass its maximum), so that the same texts are
 * taken and refused. A last word naming a zone file makes systemd fork,
 * set TZ and parse again; here the zone is loaded and passed down.
 */
#include "base/timestamp.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/timespan.h"
#include "base/tz.h"

/* systemd's USEC_TIMESTAMP_FORMATTABLE_MAX: Thu 9999-12-30 23:59:59 UTC. */
#define TS_FORMATTABLE_MAX UINT64_C(253402214399000000)
#define TS_TEXT_MAX 256

static const struct {
    const char *name;
    int nr;
} day_names[] = {
    {"Sunday", 0}, {"Sun", 0},       {"Monday", 1},   {"Mon", 1},      {"Tuesday", 2},
    {"Tue", 2},    {"Wednesday", 3}, {"Wed", 3},      {"Thursday", 4}, {"Thu", 4},
    {"Friday", 5}, {"Fri", 5},       {"Saturday", 6}, {"Sat", 6},
};

/* The formats systemd tries, in its order; sec0/hms0: what the fields a
 * format lacks become (seconds 0; the whole time 00:00:00). A format whose
 * text may go on with ".FRACTION" has frac set. */
static const struct {
    const char *fmt;
    bool frac, sec0, hms0;
} formats[] = {
    {"y-m-d H:M:S", true, false, false}, {"Y-m-d H:M:S", true, false, false},
    {"y-m-d H:M", false, true, false},   {"Y-m-d H:M", false, true, false},
    {"y-m-d", false, false, true},       {"Y-m-d", false, false, true},
    {"H:M:S", true, false, false},       {"H:M", false, true, false},
};

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* glibc's get_number(): blanks, then at most n digits, stopping early once
 * one more digit would pass max. NULL when no digit or out of range. */
static const char *get_number(const char *p, int min, int max, int n, int *val)
{
    while (is_space(*p))
        p++;
    if (*p < '0' || *p > '9')
        return NULL;
    int v = 0;
    do {
        v = v * 10 + (*p++ - '0');
    } while (--n > 0 && v * 10 <= max && *p >= '0' && *p <= '9');
    if (v < min || v > max)
        return NULL;
    *val = v;
    return p;
}

/* Days since 1970-01-01 of a proleptic Gregorian date; day may run past
 * the month's end (strptime's %d takes 31 in any month). */
static int64_t days_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* strptime(s, fmt, tm) for fmt made of y Y m d H M S, blanks and other
 * literal characters. Returns where reading stopped, or NULL. */
static const char *scan(const char *s, const char *fmt, struct tm *tm)
{
    bool want_xday = false;
    int v;
    for (; *fmt; fmt++) {
        if (is_space(*fmt)) {
            while (is_space(*s))
                s++;
            continue;
        }
        switch (*fmt) {
        case 'y':
            if (!(s = get_number(s, 0, 99, 2, &v)))
                return NULL;
            tm->tm_year = v >= 69 ? v : v + 100;
            want_xday = true;
            break;
        case 'Y':
            if (!(s = get_number(s, 0, 9999, 4, &v)))
                return NULL;
            tm->tm_year = v - 1900;
            want_xday = true;
            break;
        case 'm':
            if (!(s = get_number(s, 1, 12, 2, &v)))
                return NULL;
            tm->tm_mon = v - 1;
            want_xday = true;
            break;
        case 'd':
            if (!(s = get_number(s, 1, 31, 2, &v)))
                return NULL;
            tm->tm_mday = v;
            want_xday = true;
            break;
        case 'H':
            if (!(s = get_number(s, 0, 23, 2, &v)))
                return NULL;
            tm->tm_hour = v;
            break;
        case 'M':
            if (!(s = get_number(s, 0, 59, 2, &v)))
                return NULL;
            tm->tm_min = v;
            break;
        case 'S':
            if (!(s = get_number(s, 0, 61, 2, &v)))
                return NULL;
            tm->tm_sec = v;
            break;
        default:
            if (*s++ != *fmt)
                return NULL;
        }
    }
    if (want_xday) {
        int64_t days = days_civil((int64_t)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
        tm->tm_wday = (int)(((days + 4) % 7 + 7) % 7);
    }
    return s;
}

/* systemd's parse_fractional_part_u() for 6 digits: a 7th digit rounds,
 * more are ignored. NULL when no digit follows the dot. */
static const char *fraction(const char *p, unsigned *usec)
{
    unsigned v = 0;
    int i;
    for (i = 0; i < 6 && *p >= '0' && *p <= '9'; i++, p++)
        v = v * 10 + (unsigned)(*p - '0');
    if (i == 0)
        return NULL;
    for (int j = i; j < 6; j++)
        v *= 10;
    if (i == 6 && *p >= '5' && *p <= '9')
        v++;
    while (*p >= '0' && *p <= '9')
        p++;
    *usec = v;
    return p;
}

static bool ends_with_nocase(const char *s, const char *suffix, const char **at)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (m > n || strcasecmp(s + n - m, suffix) != 0)
        return false;
    *at = s + n - m;
    return true;
}

static int einval(void)
{
    errno = EINVAL;
    return -1;
}

/* A time span after '+', '-', before " ago" or " left". */
static int span(const char *s, uint64_t *usec)
{
    if (timespan_parse(s, USEC_PER_SEC, usec) < 0)
        return einval();
    return 0;
}

/* systemd's parse_timestamp_impl(): t is a copy it may cut; zone the
 * local zone (the one TZ would name); with_tz: the zone came from a last
 * word already cut off, so the relative forms and suffixes are not read. */
static int parse_impl(char *t, uint64_t now, const struct tz *zone, bool with_tz, uint64_t *out)
{
    uint64_t ret = now, plus = 0, minus = 0;
    bool utc = false;
    int dst = -1, weekday = -1;
    const char *at;

    if (t[0] == '@' && !with_tz) {
        if (timespan_parse(t + 1, USEC_PER_SEC, out) < 0)
            return einval();
        return 0;
    }
    if (!with_tz) {
        size_t len = strlen(t);
        if (strcmp(t, "now") == 0)
            goto finish;
        if (t[0] == '+') {
            if (span(t + 1, &plus) < 0)
                return -1;
            goto finish;
        }
        if (t[0] == '-') {
            if (span(t + 1, &minus) < 0)
                return -1;
            goto finish;
        }
        if (len >= 4 && strcmp(t + len - 4, " ago") == 0) {
            t[len - 4] = '\0';
            if (span(t, &minus) < 0)
                return -1;
            goto finish;
        }
        if (len >= 5 && strcmp(t + len - 5, " left") == 0) {
            t[len - 5] = '\0';
            if (span(t, &plus) < 0)
                return -1;
            goto finish;
        }
        if (ends_with_nocase(t, " UTC", &at)) {
            t[at - t] = '\0';
            utc = true;
        } else {
            /* The zone's own abbreviations (tzname[]), after a blank. */
            char *sp = strrchr(t, ' ');
            int isdst;
            if (sp && sp[1] && tz_has_abbrev(zone, sp + 1, &isdst)) {
                *sp = '\0';
                dst = isdst;
            }
        }
    }
    if (utc)
        zone = tz_utc();

    struct tm tm;
    if (!tz_localtime(zone, (int64_t)(ret / USEC_PER_SEC), &tm))
        return einval();
    tm.tm_isdst = dst;
    unsigned usec = 0;

    int day_shift = strcmp(t, "yesterday") == 0 ? -1 : strcmp(t, "tomorrow") == 0 ? 1 : 0;
    if (day_shift != 0 || strcmp(t, "today") == 0) {
        tm.tm_mday += day_shift;
        tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
        goto from_tm;
    }
    for (size_t i = 0; i < sizeof(day_names) / sizeof(day_names[0]); i++) {
        size_t n = strlen(day_names[i].name);
        if (strncasecmp(t, day_names[i].name, n) == 0 && t[n] == ' ') {
            weekday = day_names[i].nr;
            t += n + 1;
            break;
        }
    }
    {
        struct tm copy = tm;
        size_t i;
        for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
            tm = copy;
            const char *k = scan(t, formats[i].fmt, &tm);
            if (!k)
                continue;
            if (formats[i].frac && *k == '.') {
                k = fraction(k + 1, &usec);
                if (!k || *k)
                    return einval();
                break;
            }
            if (*k)
                continue;
            if (formats[i].sec0)
                tm.tm_sec = 0;
            if (formats[i].hms0)
                tm.tm_sec = tm.tm_min = tm.tm_hour = 0;
            break;
        }
        if (i == sizeof(formats) / sizeof(formats[0]))
            return einval();
    }

from_tm:
    if (weekday >= 0 && tm.tm_wday != weekday)
        return einval();
    {
        int64_t x = tz_mktime(zone, &tm);
        if (x < 0)
            return einval();
        if ((uint64_t)x > TS_FORMATTABLE_MAX / USEC_PER_SEC)
            return einval();
        ret = (uint64_t)x * USEC_PER_SEC + usec;
        if (ret > TS_FORMATTABLE_MAX)
            return einval();
    }

finish:
    if (ret + plus < ret)
        return einval();
    ret += plus;
    if (ret > TS_FORMATTABLE_MAX)
        return einval();
    if (ret < minus)
        return einval();
    *out = ret - minus;
    return 0;
}

/* systemd's timezone_is_valid(): a name of [A-Za-z0-9_+-/] (no leading,
 * trailing or double slash) whose file under /usr/share/zoneinfo is a
 * regular file starting with "TZif". "UTC" always is. */
static bool zone_name_valid(const char *name)
{
    if (!*name)
        return false;
    if (strcmp(name, "UTC") == 0)
        return true;
    if (name[0] == '/')
        return false;
    bool slash = false;
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("-_+/", *p))
            return false;
        if (*p == '/' && slash)
            return false;
        slash = *p == '/';
    }
    if (slash)
        return false;
    char path[PATH_MAX];
    int n = snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    if (n < 0 || (size_t)n >= sizeof(path))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat st;
    char magic[4];
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
              memcmp(magic, "TZif", 4) == 0;
    close(fd);
    return ok;
}

int timestamp_parse(const char *s, uint64_t now_usec, uint64_t *usec)
{
    char t[TS_TEXT_MAX];
    size_t len = strlen(s);
    if (len >= sizeof(t))
        return einval();
    memcpy(t, s, len + 1);

    const char *at;
    char *last = strrchr(t, ' ');
    if (!last || !zone_name_valid(last + 1) || ends_with_nocase(t, " UTC", &at))
        return parse_impl(t, now_usec, tz_local(), false, usec);

    /* A zone named by its last word: systemd parses in a child with TZ
     * set to it, cutting the word off unless it is one of the zone's own
     * abbreviations (then the suffix rule reads it). */
    char path[PATH_MAX];
    snprintf(path, sizeof(path), ":/usr/share/zoneinfo/%s", last + 1);
    struct tz *zone = tz_load(path);
    if (!zone)
        return errno == ENOMEM ? -1 : einval();
    int isdst;
    bool with_tz = !tz_has_abbrev(zone, last + 1, &isdst);
    if (with_tz)
        *last = '\0';
    int r = parse_impl(t, now_usec, zone, with_tz, usec);
    int saved = errno;
    tz_free(zone);
    errno = saved;
    return r;
}
