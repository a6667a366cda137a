/* client_calendar.c - `pxinit calendar [--iterations N] [--base-time TIME]
 * EXPR...`: an offline verb that prints what `systemd-analyze calendar`
 * prints for each expression (its original and normalized forms, its next
 * elapses in local time and UTC, how far they are from now), so a user can
 * check an OnCalendar= value, and tests can hold pxinit's calendar against
 * systemd's (tests/calendar_oracle.sh).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/calendar.h"
#include "base/tz.h"
#include "client/client_int.h"
#include "wire/protocol.h"
#include "base/scan.h"

#define USEC_PER_SEC UINT64_C(1000000)
#define ROW_MAX 256

/* The rows of one expression, printed together as systemd's table is:
 * labels right-aligned to the widest. */
struct table {
    char *label[ROW_MAX];
    char *value[ROW_MAX];
    int n;
    bool failed;
};

static void table_add(struct table *t, const char *label, const char *value)
{
    if (t->failed || t->n == ROW_MAX) {
        t->failed = true;
        return;
    }
    t->label[t->n] = strdup(label);
    t->value[t->n] = strdup(value);
    if (!t->label[t->n] || !t->value[t->n])
        t->failed = true;
    t->n++;
}

static void table_print(const struct table *t)
{
    int width = 0;
    for (int i = 0; i < t->n; i++)
        if (t->label[i] && (int)strlen(t->label[i]) > width)
            width = (int)strlen(t->label[i]);
    /* As systemd's table: no blanks at the end of a line ("Mon " is
     * shown as "Mon"). */
    for (int i = 0; i < t->n; i++) {
        int len = (int)strlen(t->value[i]);
        while (len > 0 && t->value[i][len - 1] == ' ')
            len--;
        printf("%*s %.*s\n", width, t->label[i], len, t->value[i]);
    }
}

static void table_free(struct table *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->label[i]);
        free(t->value[i]);
    }
}

/* "Wed 2023-11-15 00:00:00 CET", as systemd's format_timestamp() writes it. */
static void format_time(uint64_t usec, bool utc, char *buf, size_t size)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    struct tm tm;
    if (!tz_localtime(utc ? tz_utc() : tz_local(), (int64_t)(usec / USEC_PER_SEC), &tm)) {
        snprintf(buf, size, "n/a");
        return;
    }
    const char *zone = utc ? "UTC" : tm.tm_zone ? tm.tm_zone : "";
    snprintf(buf, size, "%s %04d-%02d-%02d %02d:%02d:%02d%s%s", days[tm.tm_wday % 7],
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             *zone ? " " : "", zone);
}

/* "3 years 0 months ago", "5min left": systemd's relative timestamps. */
static void format_relative(uint64_t t, uint64_t now, char *buf, size_t size)
{
    const uint64_t m = 60 * USEC_PER_SEC, h = 60 * m, day = 24 * h, week = 7 * day;
    const uint64_t month = UINT64_C(2629800) * USEC_PER_SEC,
                   year = UINT64_C(31557600) * USEC_PER_SEC;
    const char *s = now > t ? "ago" : "left";
    uint64_t d = now > t ? now - t : t - now;
#define PL(n, one, many) (unsigned long long)(n), (n) == 1 ? one : many
    if (d >= year)
        snprintf(buf, size, "%llu %s %llu %s %s", PL(d / year, "year", "years"),
                 PL(d % year / month, "month", "months"), s);
    else if (d >= month)
        snprintf(buf, size, "%llu %s %llu %s %s", PL(d / month, "month", "months"),
                 PL(d % month / day, "day", "days"), s);
    else if (d >= week)
        snprintf(buf, size, "%llu %s %llu %s %s", PL(d / week, "week", "weeks"),
                 PL(d % week / day, "day", "days"), s);
    else if (d >= 2 * day)
        snprintf(buf, size, "%llu days %s", (unsigned long long)(d / day), s);
    else if (d >= 25 * h)
        snprintf(buf, size, "1 day %lluh %s", (unsigned long long)((d - day) / h), s);
    else if (d >= 6 * h)
        snprintf(buf, size, "%lluh %s", (unsigned long long)(d / h), s);
    else if (d >= h)
        snprintf(buf, size, "%lluh %llumin %s", (unsigned long long)(d / h),
                 (unsigned long long)(d % h / m), s);
    else if (d >= 5 * m)
        snprintf(buf, size, "%llumin %s", (unsigned long long)(d / m), s);
    else if (d >= m)
        snprintf(buf, size, "%llumin %llus %s", (unsigned long long)(d / m),
                 (unsigned long long)(d % m / USEC_PER_SEC), s);
    else if (d >= USEC_PER_SEC)
        snprintf(buf, size, "%llus %s", (unsigned long long)(d / USEC_PER_SEC), s);
    else if (d >= 1000)
        snprintf(buf, size, "%llums %s", (unsigned long long)(d / 1000), s);
    else if (d > 0)
        snprintf(buf, size, "%lluus %s", (unsigned long long)d, s);
    else
        snprintf(buf, size, "now");
#undef PL
}

/* systemd prints the UTC line unless the local zone is UTC all year
 * (glibc's timezone == 0 && daylight == 0). */
static bool local_is_utc(void)
{
    time_t now = time(NULL);
    for (int k = 0; k <= 12; k++) {
        struct tm tm;
        if (tz_localtime(tz_local(), (int64_t)now + (int64_t)k * 30 * 86400, &tm) &&
            (tm.tm_gmtoff != 0 || tm.tm_isdst > 0))
            return false;
    }
    return true;
}

/* --base-time: "@SECONDS", or "YYYY-MM-DD[ HH:MM[:SS]][ UTC]" in local time. */
static int parse_base_time(const char *s, uint64_t *usec)
{
    char *end;
    if (s[0] == '@') {
        errno = 0;
        unsigned long long v = strtoull(s + 1, &end, 10);
        if (errno || end == s + 1 || *end || v > UINT64_MAX / USEC_PER_SEC)
            return -1;
        *usec = v * USEC_PER_SEC;
        return 0;
    }
    struct tm tm = {.tm_isdst = -1};
    int n = 0, len = (int)strlen(s);
    const struct tz *z = tz_local();
    if (len > 4 && strcmp(s + len - 4, " UTC") == 0) {
        z = tz_utc();
        len -= 4;
    }
    /* As sscanf's "%4d-%2d-%2d", " %2d:%2d" and ":%2d" (base/scan.h). */
    const char *p = scan_int(s, 4, &tm.tm_year);
    if (!p || *p++ != '-' || !(p = scan_int(p, 2, &tm.tm_mon)) || *p++ != '-' ||
        !(p = scan_int(p, 2, &tm.tm_mday)))
        return -1;
    n = (int)(p - s);
    if (n < len) {
        if (!(p = scan_int(p, 2, &tm.tm_hour)) || *p++ != ':' || !(p = scan_int(p, 2, &tm.tm_min)))
            return -1;
        n = (int)(p - s);
        if (n < len && s[n] == ':') {
            if (!(p = scan_int(p + 1, 2, &tm.tm_sec)))
                return -1;
            n = (int)(p - s);
        }
    }
    if (n != len)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t t = tz_mktime(z, &tm);
    if (t < 0)
        return -1;
    *usec = (uint64_t)t * USEC_PER_SEC;
    return 0;
}

/* A usage error, as client.c words them; exit code 2. */
static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "pxinit calendar: %s%s%s%s\nTry 'pxinit --help'.\n", what, *arg ? " '" : "",
            arg, *arg ? "'" : "");
    return PROTO_EXIT_USAGE;
}

/* One expression's table: 0, or -1 with a message on stderr. */
static int show_one(const char *expr, uint64_t base, unsigned iterations, uint64_t now, bool utc)
{
    struct calendar_spec *spec;
    if (calendar_parse(expr, &spec) < 0) {
        fprintf(stderr, "Failed to parse calendar specification '%s': %s\n", expr, strerror(errno));
        return -1;
    }
    struct table t = {.n = 0};
    int rc = 0;
    char *norm = calendar_format(spec);
    if (!norm) {
        fprintf(stderr, "Failed to format calendar specification '%s': %s\n", expr,
                strerror(errno));
        calendar_free(spec);
        return -1;
    }
    if (strcmp(norm, expr) != 0)
        table_add(&t, "Original form:", expr);
    table_add(&t, "Normalized form:", norm);
    for (unsigned i = 0; i < iterations; i++) {
        uint64_t next;
        char when[64], label[32];
        if (calendar_next(spec, base, &next) < 0) {
            if (errno == ENOENT) {
                if (i == 0)
                    table_add(&t, "Next elapse:", "never");
                break;
            }
            fprintf(stderr, "Failed to determine next elapse for '%s': %s\n", expr,
                    strerror(errno));
            rc = -1;
            break;
        }
        if (i == 0)
            snprintf(label, sizeof(label), "Next elapse:");
        else
            snprintf(label, sizeof(label), "Iter. #%u:", i + 1);
        format_time(next, false, when, sizeof(when));
        table_add(&t, label, when);
        if (!utc) {
            format_time(next, true, when, sizeof(when));
            table_add(&t, "(in UTC):", when);
        }
        format_relative(next, now, when, sizeof(when));
        table_add(&t, "From now:", when);
        base = next;
    }
    if (t.failed) {
        fprintf(stderr, "pxinit calendar: out of memory\n");
        rc = -1;
    } else if (rc == 0) {
        table_print(&t);
    }
    table_free(&t);
    free(norm);
    calendar_free(spec);
    return rc;
}

int client_calendar(const struct client *cl)
{
    unsigned iterations = 1;
    uint64_t base;
    struct timespec ts;
    if (cl->nargs == 0)
        return usage_error("no expression given (usage: pxinit calendar EXPR...)", "");
    if (cl->iterations) {
        char *end;
        errno = 0;
        unsigned long n = strtoul(cl->iterations, &end, 10);
        if (errno || end == cl->iterations || *end || n > 100000 || cl->iterations[0] == '-')
            return usage_error("invalid --iterations:", cl->iterations);
        iterations = (unsigned)n;
    }
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return PROTO_EXIT_FAILED;
    uint64_t now = (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
    base = now; /* one base for every expression, as systemd */
    if (cl->base_time && parse_base_time(cl->base_time, &base) < 0)
        return usage_error("invalid --base-time:", cl->base_time);
    bool utc = local_is_utc();
    int rc = PROTO_EXIT_OK;
    for (int i = 0; i < cl->nargs; i++) {
        fflush(stdout); /* stdout and stderr in the order systemd writes them */
        if (show_one(cl->args[i], base, iterations, now, utc) < 0)
            rc = PROTO_EXIT_FAILED;
        if (i + 1 < cl->nargs)
            putchar('\n');
    }
    return rc;
}
