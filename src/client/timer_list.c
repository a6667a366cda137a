/* timer_list.c - `pxinit list-timers` as systemctl list-timers (v252)
 * prints it (timer_list.h). The formats follow systemd's
 * format_timestamp() and format_timestamp_relative() and its table:
 * columns one space apart, as wide as their widest cell, the last one
 * without trailing blanks. Unlike systemctl, a wide table is never cut
 * to the terminal's width.
 */
#include "client/timer_list.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire/protocol.h"
#include "base/tz.h"

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)
#define USEC_PER_WEEK (7 * USEC_PER_DAY)
/* systemd's month and year: 30.44 and 365.25 days. */
#define USEC_PER_MONTH (INT64_C(2629800) * USEC_PER_SEC)
#define USEC_PER_YEAR (INT64_C(31557600) * USEC_PER_SEC)

const char *tl_timestamp(char *buf, size_t size, int64_t usec)
{
    /* English weekdays whatever the locale, as systemd writes them. */
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    struct tm tm;
    /* tz_localtime and snprintf, not localtime_r and strftime: those bring
     * glibc's tzset and sscanf into the static binary (base/scan.h). */
    if (usec <= 0 || !tz_localtime(tz_local(), usec / USEC_PER_SEC, &tm) || tm.tm_wday < 0 ||
        tm.tm_wday > 6) {
        snprintf(buf, size, "-");
        return buf;
    }
    char date[80];
    snprintf(date, sizeof(date), "%d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(buf, size, "%s %s%s%s", days[tm.tm_wday], date, tm.tm_zone && *tm.tm_zone ? " " : "",
             tm.tm_zone ? tm.tm_zone : "");
    return buf;
}

/* "N unit" or "N units". */
static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

const char *tl_relative(char *buf, size_t size, int64_t usec, int64_t now_usec)
{
    if (usec <= 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    const char *s = now_usec > usec ? "ago" : "left";
    int64_t d = now_usec > usec ? now_usec - usec : usec - now_usec;
    if (d >= USEC_PER_YEAR) {
        int64_t y = d / USEC_PER_YEAR, m = d % USEC_PER_YEAR / USEC_PER_MONTH;
        snprintf(buf, size, "%" PRId64 " %s %" PRId64 " %s %s", y, plural(y, "year", "years"), m,
                 plural(m, "month", "months"), s);
    } else if (d >= USEC_PER_MONTH) {
        int64_t m = d / USEC_PER_MONTH, dd = d % USEC_PER_MONTH / USEC_PER_DAY;
        snprintf(buf, size, "%" PRId64 " %s %" PRId64 " %s %s", m, plural(m, "month", "months"), dd,
                 plural(dd, "day", "days"), s);
    } else if (d >= USEC_PER_WEEK) {
        int64_t w = d / USEC_PER_WEEK, dd = d % USEC_PER_WEEK / USEC_PER_DAY;
        snprintf(buf, size, "%" PRId64 " %s %" PRId64 " %s %s", w, plural(w, "week", "weeks"), dd,
                 plural(dd, "day", "days"), s);
    } else if (d >= 2 * USEC_PER_DAY) {
        snprintf(buf, size, "%" PRId64 " days %s", d / USEC_PER_DAY, s);
    } else if (d >= 25 * USEC_PER_HOUR) {
        snprintf(buf, size, "1 day %" PRId64 "h %s", (d - USEC_PER_DAY) / USEC_PER_HOUR, s);
    } else if (d >= 6 * USEC_PER_HOUR) {
        snprintf(buf, size, "%" PRId64 "h %s", d / USEC_PER_HOUR, s);
    } else if (d >= USEC_PER_HOUR) {
        snprintf(buf, size, "%" PRId64 "h %" PRId64 "min %s", d / USEC_PER_HOUR,
                 d % USEC_PER_HOUR / USEC_PER_MINUTE, s);
    } else if (d >= 5 * USEC_PER_MINUTE) {
        snprintf(buf, size, "%" PRId64 "min %s", d / USEC_PER_MINUTE, s);
    } else if (d >= USEC_PER_MINUTE) {
        snprintf(buf, size, "%" PRId64 "min %" PRId64 "s %s", d / USEC_PER_MINUTE,
                 d % USEC_PER_MINUTE / USEC_PER_SEC, s);
    } else if (d >= USEC_PER_SEC) {
        snprintf(buf, size, "%" PRId64 "s %s", d / USEC_PER_SEC, s);
    } else if (d >= 1000) {
        snprintf(buf, size, "%" PRId64 "ms %s", d / 1000, s);
    } else if (d > 0) {
        snprintf(buf, size, "%" PRId64 "us %s", d, s);
    } else {
        snprintf(buf, size, "now");
    }
    return buf;
}

static int timer_cmp(const void *a, const void *b)
{
    const struct sb_unit *x = a, *y = b;
    if (x->next_elapse != y->next_elapse)
        return x->next_elapse < y->next_elapse ? -1 : 1;
    return strcmp(x->name, y->name);
}

void tl_sort(struct sb_unit *t, size_t n)
{
    if (n > 1)
        qsort(t, n, sizeof(*t), timer_cmp);
}

enum { COL_NEXT, COL_LEFT, COL_LAST, COL_PASSED, COL_UNIT, COL_ACTIVATES, COLS };

/* The cells of one row; unit and activates point into t. */
struct row {
    char next[TL_TIME_MAX], left[TL_TIME_MAX], last[TL_TIME_MAX], passed[TL_TIME_MAX];
    const char *cell[COLS];
};

static void row_fill(struct row *r, const struct sb_unit *t, int64_t now_usec)
{
    r->cell[COL_NEXT] = tl_timestamp(r->next, sizeof(r->next), t->next_elapse);
    r->cell[COL_LEFT] = tl_relative(r->left, sizeof(r->left), t->next_elapse, now_usec);
    r->cell[COL_LAST] = tl_timestamp(r->last, sizeof(r->last), t->last_trigger);
    r->cell[COL_PASSED] = tl_relative(r->passed, sizeof(r->passed), t->last_trigger, now_usec);
    r->cell[COL_UNIT] = t->name;
    r->cell[COL_ACTIVATES] = t->activates[0] ? t->activates : "-";
}

static void row_print(FILE *f, const char *const cell[COLS], const int width[COLS])
{
    for (int c = 0; c < COLS; c++) {
        if (c > 0)
            fputc(' ', f);
        if (c == COLS - 1)
            fputs(cell[c], f); /* no trailing blanks */
        else
            fprintf(f, "%-*s", width[c], cell[c]);
    }
    fputc('\n', f);
}

void tl_print_table(FILE *f, const struct sb_unit *t, size_t n, int64_t now_usec, bool all)
{
    static const char *const header[COLS] = {"NEXT", "LEFT", "LAST", "PASSED", "UNIT", "ACTIVATES"};
    int width[COLS];
    for (int c = 0; c < COLS; c++)
        width[c] = (int)strlen(header[c]);
    /* Two passes (widths, then rows) over rows made again: no allocation. */
    for (size_t i = 0; i < n; i++) {
        struct row r;
        row_fill(&r, &t[i], now_usec);
        for (int c = 0; c < COLS; c++) {
            int l = (int)strlen(r.cell[c]);
            width[c] = l > width[c] ? l : width[c];
        }
    }
    row_print(f, header, width);
    for (size_t i = 0; i < n; i++) {
        struct row r;
        row_fill(&r, &t[i], now_usec);
        row_print(f, r.cell, width);
    }
    fprintf(f, "\n%zu timers listed.\n", n);
    if (!all)
        fputs("Pass --all to see loaded but inactive timers, too.\n", f);
}

void tl_print_json(FILE *f, const struct sb_unit *t, size_t n)
{
    /* systemctl -o json: a timestamp column is its value in microseconds
     * (LEFT and PASSED too), 0 when it has none. */
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        const struct sb_unit *u = &t[i];
        int64_t next = u->next_elapse > 0 ? u->next_elapse : 0;
        int64_t last = u->last_trigger > 0 ? u->last_trigger : 0;
        fprintf(f,
                "%s{\"next\":%" PRId64 ",\"left\":%" PRId64 ",\"last\":%" PRId64
                ",\"passed\":%" PRId64 ",\"unit\":",
                i ? "," : "", next, next, last, last);
        proto_json_string(f, u->name);
        fputs(",\"activates\":", f);
        proto_json_string(f, u->activates);
        fputc('}', f);
    }
    fputs("]\n", f);
}
