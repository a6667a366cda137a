/* timespan.c - systemd time spans (systemd.time(7)) to and from microseconds.
 *
 * Owns the unit table shared by the parser and the formatter. Parsing follows
 * systemd's rules: components add up ("1min 30s", "1min30s"), a unit may follow
 * its number after blanks ("5 s"), a bare number is in the caller's default unit,
 * fractions apply to the component's unit ("1.5s"), negative numbers are out of
 * range, and any overflow is ERANGE rather than a silently wrapped value.
 */
#include "base/timespan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define USEC_PER_MINUTE (UINT64_C(60) * USEC_PER_SEC)
#define USEC_PER_HOUR (UINT64_C(60) * USEC_PER_MINUTE)
#define USEC_PER_DAY (UINT64_C(24) * USEC_PER_HOUR)
#define USEC_PER_WEEK (UINT64_C(7) * USEC_PER_DAY)
#define USEC_PER_MONTH (UINT64_C(2629800) * USEC_PER_SEC) /* 30.44 days */
#define USEC_PER_YEAR (UINT64_C(31557600) * USEC_PER_SEC) /* 365.25 days */

struct time_unit {
    const char *name;
    uint64_t usec;
};

/* Case matters: "m" is a minute, "M" a month. The longest matching name wins. */
static const struct time_unit time_units[] = {
    {"us", 1},
    {"usec", 1},
    {"\xc2\xb5s", 1}, /* µs, MICRO SIGN */
    {"\xce\xbcs", 1}, /* μs, GREEK SMALL LETTER MU */
    {"ms", USEC_PER_MSEC},
    {"msec", USEC_PER_MSEC},
    {"s", USEC_PER_SEC},
    {"sec", USEC_PER_SEC},
    {"second", USEC_PER_SEC},
    {"seconds", USEC_PER_SEC},
    {"m", USEC_PER_MINUTE},
    {"min", USEC_PER_MINUTE},
    {"minute", USEC_PER_MINUTE},
    {"minutes", USEC_PER_MINUTE},
    {"h", USEC_PER_HOUR},
    {"hr", USEC_PER_HOUR},
    {"hour", USEC_PER_HOUR},
    {"hours", USEC_PER_HOUR},
    {"d", USEC_PER_DAY},
    {"day", USEC_PER_DAY},
    {"days", USEC_PER_DAY},
    {"w", USEC_PER_WEEK},
    {"week", USEC_PER_WEEK},
    {"weeks", USEC_PER_WEEK},
    {"M", USEC_PER_MONTH},
    {"month", USEC_PER_MONTH},
    {"months", USEC_PER_MONTH},
    {"y", USEC_PER_YEAR},
    {"year", USEC_PER_YEAR},
    {"years", USEC_PER_YEAR},
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

/* Returns the unit written at p (the longest name that p starts with) and
 * stores its length, or NULL when p starts with no unit. */
static const struct time_unit *timespan_match_unit(const char *p, size_t *len)
{
    const struct time_unit *best = NULL;
    size_t best_len = 0;

    for (size_t i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++) {
        size_t n = strlen(time_units[i].name);
        if (n > best_len && strncmp(p, time_units[i].name, n) == 0) {
            best = &time_units[i];
            best_len = n;
        }
    }
    *len = best_len;
    return best;
}

/* sum += a * b, failing on overflow. USEC_INFINITY itself is reserved for
 * "infinity", so reaching it is an overflow too. */
static int usec_add_mul(uint64_t *sum, uint64_t a, uint64_t b)
{
    uint64_t prod;

    if (__builtin_mul_overflow(a, b, &prod) || prod >= USEC_INFINITY - *sum) {
        errno = ERANGE;
        return -1;
    }
    *sum += prod;
    return 0;
}

int timespan_parse(const char *s, uint64_t default_unit_usec, uint64_t *usec)
{
    uint64_t total = 0;
    bool any = false;
    const char *p;

    if (!s || default_unit_usec == 0) {
        errno = EINVAL;
        return -1;
    }
    p = skip_blanks(s);
    if (strncmp(p, "infinity", 8) == 0) {
        if (*skip_blanks(p + 8) != '\0') {
            errno = EINVAL;
            return -1;
        }
        *usec = USEC_INFINITY;
        return 0;
    }

    for (;;) {
        uint64_t whole = 0, unit = default_unit_usec;
        const char *digits, *frac = NULL, *q;
        size_t frac_len = 0, unit_len;
        const struct time_unit *tu;

        p = skip_blanks(p);
        if (*p == '\0')
            break;
        if (*p == '-') {
            errno = ERANGE; /* as systemd: a negative span is out of range */
            return -1;
        }
        if (*p == '+')
            p++;
        digits = p;
        while (is_digit(*p)) {
            if (__builtin_mul_overflow(whole, 10, &whole) ||
                __builtin_add_overflow(whole, (uint64_t)(*p - '0'), &whole)) {
                errno = ERANGE;
                return -1;
            }
            p++;
        }
        if (p == digits) {
            errno = EINVAL;
            return -1;
        }
        if (*p == '.') {
            frac = ++p;
            while (is_digit(*p))
                p++;
            frac_len = (size_t)(p - frac);
            if (frac_len == 0) { /* "3." or "3.s" */
                errno = EINVAL;
                return -1;
            }
        }

        q = skip_blanks(p);
        tu = timespan_match_unit(q, &unit_len);
        if (tu) {
            unit = tu->usec;
            p = q + unit_len;
        } else if (q == p && *p != '\0') {
            /* neither a unit nor a separator: "12.34.56", "5x" */
            errno = EINVAL;
            return -1;
        }

        if (usec_add_mul(&total, whole, unit) < 0)
            return -1;
        /* Each fractional digit is worth a tenth of the previous one. */
        uint64_t m = unit / 10;
        for (size_t i = 0; i < frac_len && m > 0; i++, m /= 10)
            if (usec_add_mul(&total, (uint64_t)(frac[i] - '0'), m) < 0)
                return -1;
        any = true;
    }

    if (!any) {
        errno = EINVAL;
        return -1;
    }
    *usec = total;
    return 0;
}

/* The formatter's units, largest first; the names are ones the parser takes back. */
static const struct time_unit format_units[] = {
    {"y", USEC_PER_YEAR}, {"month", USEC_PER_MONTH}, {"w", USEC_PER_WEEK},
    {"d", USEC_PER_DAY},  {"h", USEC_PER_HOUR},      {"min", USEC_PER_MINUTE},
    {"s", USEC_PER_SEC},  {"ms", USEC_PER_MSEC},     {"us", 1},
};

char *timespan_format(uint64_t usec, char *buf, size_t size)
{
    size_t len = 0;

    if (!buf || size == 0)
        return buf;
    buf[0] = '\0';
    if (usec == USEC_INFINITY) {
        snprintf(buf, size, "infinity");
        return buf;
    }
    if (usec == 0) {
        snprintf(buf, size, "0");
        return buf;
    }
    for (size_t i = 0; i < sizeof(format_units) / sizeof(format_units[0]) && usec > 0; i++) {
        uint64_t n = usec / format_units[i].usec;
        int w;

        if (n == 0)
            continue;
        usec -= n * format_units[i].usec;
        w = snprintf(buf + len, size - len, "%s%llu%s", len ? " " : "", (unsigned long long)n,
                     format_units[i].name);
        if (w < 0 || (size_t)w >= size - len)
            break; /* truncated: buf still holds a terminated prefix */
        len += (size_t)w;
    }
    return buf;
}
