/* calendar_format.c - the normalized form of a calendar spec, as
 * `systemd-analyze calendar` prints it: "Mon..Fri *-*-* 09:00:00 UTC".
 * Weekdays in runs ("Mon..Wed", two in a row as "Mon,Tue"), fields zero
 * padded (years to four digits), seconds with six decimals when they have
 * a fraction, a range's step left out when it is 1, then the zone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/calendar_int.h"

struct out {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void out_add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_add(struct out *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = true;
            return;
        }
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = o->cap * 2 + (size_t)n + 1;
        char *b = realloc(o->buf, cap);
        if (!b) {
            o->failed = true;
            return;
        }
        o->buf = b;
        o->cap = cap;
    }
}

static void format_weekdays(struct out *o, int bits)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    bool comma = false;
    for (int x = 0; x < 7;) {
        if (!(bits & (1 << x))) {
            x++;
            continue;
        }
        int end = x;
        while (end + 1 < 7 && (bits & (1 << (end + 1))))
            end++;
        out_add(o, "%s%s", comma ? "," : "", days[x]);
        if (end > x)
            out_add(o, "%s%s", end > x + 1 ? ".." : ",", days[end]);
        comma = true;
        x = end + 1;
    }
}

/* "*": no components, or (seconds) one that covers every second. */
static bool field_is_star(const struct cal_field *f, bool usec)
{
    if (f->n == 0)
        return true;
    for (size_t i = 0; usec && i < f->n; i++)
        if (f->v[i].start == 0 && f->v[i].stop < 0 && f->v[i].repeat == CAL_USEC_PER_SEC)
            return true;
    return false;
}

static void format_field(struct out *o, int width, const struct cal_field *f, bool usec)
{
    int d = usec ? CAL_USEC_PER_SEC : 1;
    if (field_is_star(f, usec)) {
        out_add(o, "*");
        return;
    }
    for (size_t i = 0; i < f->n; i++) {
        const struct cal_comp *c = &f->v[i];
        if (i > 0)
            out_add(o, ",");
        out_add(o, "%0*d", width, c->start / d);
        if (c->start % d > 0)
            out_add(o, ".%06d", c->start % d);
        if (c->stop > 0)
            out_add(o, "..%0*d", width, c->stop / d);
        if (c->stop % d > 0)
            out_add(o, ".%06d", c->stop % d);
        if (c->repeat > 0 && !(c->stop > 0 && c->repeat == d))
            out_add(o, "/%d", c->repeat / d);
        if (c->repeat % d > 0)
            out_add(o, ".%06d", c->repeat % d);
    }
}

char *calendar_format(const struct calendar_spec *c)
{
    struct out o = {.cap = 64};
    struct cal_field fv;
    o.buf = malloc(o.cap);
    if (!o.buf) {
        errno = ENOMEM;
        return NULL;
    }
    o.buf[0] = 0;
    if (c->weekdays > 0 && c->weekdays <= CAL_WEEKDAYS_ALL) {
        format_weekdays(&o, c->weekdays);
        out_add(&o, " ");
    }
    fv = cal_field_of(c, CAL_YEAR);
    format_field(&o, 4, &fv, false);
    out_add(&o, "-");
    fv = cal_field_of(c, CAL_MONTH);
    format_field(&o, 2, &fv, false);
    out_add(&o, c->end_of_month ? "~" : "-");
    fv = cal_field_of(c, CAL_DAY);
    format_field(&o, 2, &fv, false);
    out_add(&o, " ");
    fv = cal_field_of(c, CAL_HOUR);
    format_field(&o, 2, &fv, false);
    out_add(&o, ":");
    fv = cal_field_of(c, CAL_MINUTE);
    format_field(&o, 2, &fv, false);
    out_add(&o, ":");
    fv = cal_field_of(c, CAL_USEC);
    format_field(&o, 2, &fv, true);
    if (c->utc)
        out_add(&o, " UTC");
    else if (c->zone)
        out_add(&o, " %s", tz_name(c->zone));
    else if (c->dst >= 0 && c->abbr[0])
        out_add(&o, " %s", c->abbr);
    if (o.failed) {
        free(o.buf);
        errno = ENOMEM;
        return NULL;
    }
    return o.buf;
}
