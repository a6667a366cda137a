/* calendar.c - parses systemd's calendar events (calendar.h).
 *
 * The grammar and its rejections are systemd 252's (calendarspec.c):
 * "[WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:MINUTE[:SECOND]] [ZONE]", where
 * "~" instead of the last "-" counts days from the end of the month, each
 * field is "*" or a list of "A", "A..B", "A/N", "A..B/N", seconds take
 * fractions, two-digit years mean 1970..2069, "@SECONDS" is a UTC instant,
 * and a shorthand (daily, weekly, ...) stands for the whole expression.
 * Errors are systemd's too: EINVAL, ERANGE for numbers out of range,
 * ENOBUFS past 241 values in one field.
 */
#include "base/calendar.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/calendar_int.h"

/* --- fields ------------------------------------------------------------------ */

static int field_push(struct cal_field *f, int start, int stop, int repeat)
{
    struct cal_comp *v = realloc(f->v, (f->n + 1) * sizeof(*v));
    if (!v)
        return -ENOMEM;
    f->v = v;
    f->v[f->n++] = (struct cal_comp){.start = start, .stop = stop, .repeat = repeat};
    return 0;
}

static void field_clear(struct cal_field *f)
{
    free(f->v);
    f->v = NULL;
    f->n = 0;
}

static int comp_cmp(const void *a, const void *b)
{
    const struct cal_comp *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->stop != y->stop)
        return x->stop < y->stop ? -1 : 1;
    if (x->repeat != y->repeat)
        return x->repeat < y->repeat ? -1 : 1;
    return 0;
}

/* A range shrinks to a whole number of repeats; a repeat that cannot fire
 * twice, and a range of one value, become a plain value; then sorted, with
 * duplicates dropped. */
static void field_normalize(struct cal_field *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct cal_comp *c = &f->v[i];
        if (c->stop > c->start && c->repeat > 0)
            c->stop -= (c->stop - c->start) % c->repeat;
        if ((c->stop > c->start && c->repeat > 0 && c->start + c->repeat > c->stop) ||
            c->start == c->stop) {
            c->repeat = 0;
            c->stop = -1;
        }
    }
    if (f->n <= 1)
        return;
    qsort(f->v, f->n, sizeof(*f->v), comp_cmp);
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++)
        if (k == 0 || comp_cmp(&f->v[k - 1], &f->v[i]) != 0)
            f->v[k++] = f->v[i];
    f->n = k;
}

/* 12 is 2012, 89 is 1989. */
static void field_fix_year(struct cal_field *f)
{
    for (size_t i = 0; i < f->n; i++) {
        int *ends[] = {&f->v[i].start, &f->v[i].stop};
        for (int e = 0; e < 2; e++) {
            if (*ends[e] >= 0 && *ends[e] < 70)
                *ends[e] += 2000;
            else if (*ends[e] >= 70 && *ends[e] < 100)
                *ends[e] += 1900;
        }
    }
}

/* Each value within from..to, and each repeat able to fire at least twice.
 * From the end of the month, days count back and at most 28 are allowed;
 * systemd lowers that bound by 3 again for each further value in the list
 * (its check recurses with it), so "*-*~28,27" is refused, and so is it
 * here. */
static bool field_valid(const struct cal_field *f, int from, int to, bool end_of_month)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct cal_comp *c = &f->v[i];
        if (end_of_month)
            to -= 3;
        if (c->start < from || c->start > to || c->repeat > to - from)
            return false;
        if (c->stop >= 0) {
            if (c->stop < from || c->stop > to || c->start + c->repeat > c->stop)
                return false;
        } else if (end_of_month ? c->start - c->repeat < from : c->start + c->repeat > to) {
            return false;
        }
    }
    return true;
}

/* --- numbers and fields ------------------------------------------------------- */

/* As strtoul() reads it (blanks and a sign allowed), as systemd reads it. */
static int parse_ulong(const char *p, const char **end, unsigned long *out)
{
    char *e;
    errno = 0;
    unsigned long v = strtoul(p, &e, 10);
    if (errno > 0)
        return -errno;
    if (e == p)
        return -EINVAL;
    *out = v;
    *end = e;
    return 0;
}

/* Up to six digits after the point; the seventh rounds; more are skipped. */
static int parse_fraction(const char **p, unsigned *out)
{
    const char *s = *p;
    unsigned v = 0;
    int i = 0;
    for (; i < 6 && isdigit((unsigned char)*s); i++, s++)
        v = v * 10 + (unsigned)(*s - '0');
    if (i == 0)
        return -EINVAL;
    for (; i < 6; i++)
        v *= 10;
    if (*s >= '5' && *s <= '9')
        v++;
    while (isdigit((unsigned char)*s))
        s++;
    *p = s;
    *out = v;
    return 0;
}

/* One number of a field; for seconds, in microseconds with a fraction. */
static int parse_value(const char **p, bool usec, int *out)
{
    const char *e;
    unsigned long v;
    if (!isdigit((unsigned char)**p))
        return -EINVAL;
    int r = parse_ulong(*p, &e, &v);
    if (r < 0)
        return r;
    if (usec) {
        if (v > ULONG_MAX / CAL_USEC_PER_SEC)
            return -ERANGE;
        v *= CAL_USEC_PER_SEC;
        if (e[0] == '.' && e[1] != '.') { /* ".." is a range */
            unsigned add;
            e++;
            r = parse_fraction(&e, &add);
            if (r < 0)
                return r;
            v += add;
        }
    }
    if (v > INT_MAX)
        return -ERANGE;
    *p = e;
    *out = (int)v;
    return 0;
}

/* "*" or a list of A, A..B, A/N, A..B/N. */
static int parse_field(const char **p, bool usec, struct cal_field *f)
{
    const char *e = *p;
    if (*e == '*') {
        *p = e + 1;
        return usec ? field_push(f, 0, -1, CAL_USEC_PER_SEC) : 0;
    }
    for (int i = 0;; i++) {
        int start, stop = -1, repeat = 0, r;
        if (i > CAL_COMPONENTS_MAX)
            return -ENOBUFS;
        if ((r = parse_value(&e, usec, &start)) < 0)
            return r;
        if (e[0] == '.' && e[1] == '.') {
            e += 2;
            if ((r = parse_value(&e, usec, &stop)) < 0)
                return r;
            repeat = usec ? CAL_USEC_PER_SEC : 1;
        }
        if (*e == '/') {
            e++;
            if ((r = parse_value(&e, usec, &repeat)) < 0)
                return r;
            if (repeat == 0)
                return -ERANGE;
        } else {
            if (start > INT_MAX - repeat)
                return -ERANGE;
            /* A range of seconds steps by whole seconds unless told. */
            if (usec && stop >= 0 && start + repeat > stop)
                return -EINVAL;
        }
        if (!strchr(" ,-~:", *e)) /* the NUL too */
            return -EINVAL;
        if ((r = field_push(f, start, stop, repeat)) < 0)
            return r;
        *p = e;
        if (*e != ',')
            return 0;
        e++;
    }
}

/* --- the parts of an expression ------------------------------------------------ */

static int parse_weekdays(const char **p, struct cal_build *c)
{
    static const char *const names[] = {"Monday",   "Mon",      "Tuesday", "Tue",    "Wednesday",
                                        "Wed",      "Thursday", "Thu",     "Friday", "Fri",
                                        "Saturday", "Sat",      "Sunday",  "Sun"};
    int range_from = -1;
    for (bool first = true;; first = false) {
        size_t i, len = 0;
        for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
            len = strlen(names[i]);
            if (strncasecmp(*p, names[i], len) == 0)
                break;
        }
        if (i == sizeof(names) / sizeof(*names))
            return first ? 0 : -EINVAL; /* no weekdays: the date follows */
        if (!strchr("-., ", (*p)[len])) /* or the NUL */
            return -EINVAL;
        int day = (int)i / 2;
        c->s.weekdays |= 1 << day;
        if (range_from >= 0) {
            if (range_from > day) /* no wrap: Sat..Mon is refused */
                return -EINVAL;
            for (int d = range_from + 1; d < day; d++)
                c->s.weekdays |= 1 << d;
        }
        *p += len;
        if (**p == 0)
            return 0;
        if (**p == ' ') {
            *p += strspn(*p, " ");
            return 0;
        }
        if (**p == '.') {
            if (range_from >= 0 || (*p)[1] != '.')
                return -EINVAL;
            range_from = day;
            *p += 2;
        } else if (**p == '-') { /* the old way to write a range */
            if (range_from >= 0)
                return -EINVAL;
            range_from = day;
            *p += 1;
        } else if (**p == ',') {
            range_from = -1;
            *p += 1;
        }
        /* A trailing comma is fine, an open range is not. */
        if (**p == 0 || **p == ' ') {
            *p += strspn(*p, " ");
            return range_from < 0 ? 0 : -EINVAL;
        }
    }
}

/* "@SECONDS": that instant, in UTC. */
static int spec_from_unix(struct cal_build *c, unsigned long secs)
{
    time_t t = (time_t)secs; /* as gmtime_r() took it: "@-1" is 1969 */
    struct tm tm;
    if (!tz_localtime(tz_utc(), (int64_t)t, &tm) || tm.tm_year > INT_MAX - 1900)
        return -ERANGE;
    int v[CAL__FIELDS] = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour,        tm.tm_min,     tm.tm_sec * CAL_USEC_PER_SEC};
    for (int i = 0; i < CAL__FIELDS; i++) {
        field_clear(&c->f[i]);
        int r = field_push(&c->f[i], v[i], -1, 0);
        if (r < 0)
            return r;
    }
    c->s.utc = true;
    return 0;
}

static void fields_move(struct cal_field *to, struct cal_field *from)
{
    field_clear(to);
    *to = *from;
    *from = (struct cal_field){0};
}

/* The date, if any: 1 when "@SECONDS" said everything, else 0. */
static int parse_date(const char **p, struct cal_build *c)
{
    struct cal_field part[3] = {{0}};
    const char *t = *p;
    int r;
    if (*t == 0)
        return 0;
    if (*t == '@') {
        unsigned long secs;
        if ((r = parse_ulong(t + 1, &t, &secs)) < 0 || (r = spec_from_unix(c, secs)) < 0)
            return r;
        *p = t;
        return 1;
    }
    int n = 0;
    for (; n < 3; n++) {
        if ((r = parse_field(&t, false, &part[n])) < 0)
            goto out;
        if (n == 0 && (*t == 0 || *t == ':'))
            goto out; /* a time, not a date */
        if (n > 0 && (*t == 0 || *t == ' '))
            break;
        if (n == 2 || (n == 1 && c->s.end_of_month)) {
            r = -EINVAL; /* "~" comes last */
            goto out;
        }
        if (*t == '~')
            c->s.end_of_month = true;
        else if (*t != '-') {
            r = -EINVAL;
            goto out;
        }
        t++;
    }
    *p = t + strspn(t, " ");
    int first = n == 1 ? CAL_MONTH : CAL_YEAR;
    for (int i = 0; i <= n; i++)
        fields_move(&c->f[first + i], &part[i]);
    r = 0;
out:
    for (int i = 0; i < 3; i++)
        field_clear(&part[i]);
    return r;
}

/* HOUR:MINUTE[:SECOND], or nothing for midnight. */
static int parse_time(const char **p, struct cal_build *c)
{
    struct cal_field h = {0}, m = {0}, s = {0};
    const char *t = *p;
    int r = 0;
    if (*t == 0) {
        if ((r = field_push(&h, 0, -1, 0)) < 0 || (r = field_push(&m, 0, -1, 0)) < 0 ||
            (r = field_push(&s, 0, -1, 0)) < 0)
            goto out;
    } else {
        if ((r = parse_field(&t, false, &h)) < 0)
            goto out;
        if (*t++ != ':') {
            r = -EINVAL;
            goto out;
        }
        if ((r = parse_field(&t, false, &m)) < 0)
            goto out;
        if (*t == 0) {
            if ((r = field_push(&s, 0, -1, 0)) < 0)
                goto out;
        } else if (*t++ != ':' || (r = parse_field(&t, true, &s)) < 0 || *t != 0) {
            r = r < 0 ? r : -EINVAL;
            goto out;
        }
    }
    *p = t;
    fields_move(&c->f[CAL_HOUR], &h);
    fields_move(&c->f[CAL_MINUTE], &m);
    fields_move(&c->f[CAL_USEC], &s);
out:
    field_clear(&h);
    field_clear(&m);
    field_clear(&s);
    return r;
}

/* minutely < hourly < daily < weekly; monthly and up fix the day (and
 * months) on top of daily. */
static int parse_shorthand(const char *p, struct cal_build *c)
{
    static const struct {
        const char *name;
        unsigned char level;   /* 0 minutely, 1 hourly, 2 daily, 3 weekly, 4 monthly */
        unsigned short months; /* bit m-1: month m */
    } shorthands[] = {
        {"minutely", 0, 0},
        {"hourly", 1, 0},
        {"daily", 2, 0},
        {"weekly", 3, 0},
        {"monthly", 4, 0},
        {"annually", 4, 0x001},
        {"yearly", 4, 0x001},
        {"anually", 4, 0x001},
        {"quarterly", 4, 0x249},
        {"biannually", 4, 0x041},
        {"bi-annually", 4, 0x041},
        {"semiannually", 4, 0x041},
        {"semi-annually", 4, 0x041},
    };
    for (size_t i = 0; i < sizeof(shorthands) / sizeof(*shorthands); i++) {
        if (strcasecmp(p, shorthands[i].name) != 0)
            continue;
        int level = shorthands[i].level, r = field_push(&c->f[CAL_USEC], 0, -1, 0);
        if (r == 0 && level >= 1)
            r = field_push(&c->f[CAL_MINUTE], 0, -1, 0);
        if (r == 0 && level >= 2)
            r = field_push(&c->f[CAL_HOUR], 0, -1, 0);
        if (level == 3)
            c->s.weekdays = 1;
        if (r == 0 && level == 4)
            r = field_push(&c->f[CAL_DAY], 1, -1, 0);
        for (int m = 0; r == 0 && m < 12; m++)
            if (shorthands[i].months & (1u << m))
                r = field_push(&c->f[CAL_MONTH], m + 1, -1, 0);
        return r < 0 ? r : 1;
    }
    return 0;
}

/* --- the whole --------------------------------------------------------------------- */

void calendar_free(struct calendar_spec *c)
{
    if (!c)
        return;
    cal_zone_put(c->zone);
    free(c);
}

static void build_clear(struct cal_build *c)
{
    for (int i = 0; i < CAL__FIELDS; i++)
        field_clear(&c->f[i]);
    cal_zone_put(c->s.zone);
}

static int parse_body(const char *p, struct cal_build *c)
{
    if (!*p)
        return -EINVAL;
    int r = parse_shorthand(p, c);
    if (r != 0)
        return r < 0 ? r : 0;
    if ((r = parse_weekdays(&p, c)) < 0 || (r = parse_date(&p, c)) < 0)
        return r;
    if (r == 0 && (r = parse_time(&p, c)) < 0)
        return r;
    return *p ? -EINVAL : 0;
}

static int spec_finish(struct cal_build *c)
{
    static const int range[CAL__FIELDS][2] = {
        {CAL_MIN_YEAR, CAL_MAX_YEAR},  {1, 12}, {1, 31}, {0, 23}, {0, 59},
        {0, 60 * CAL_USEC_PER_SEC - 1}};
    if (c->s.weekdays <= 0 || c->s.weekdays >= CAL_WEEKDAYS_ALL)
        c->s.weekdays = -1;
    if (c->s.end_of_month && c->f[CAL_DAY].n == 0)
        c->s.end_of_month = false;
    field_fix_year(&c->f[CAL_YEAR]);
    for (int i = 0; i < CAL__FIELDS; i++)
        field_normalize(&c->f[i]);
    for (int i = 0; i < CAL__FIELDS; i++)
        if (!field_valid(&c->f[i], range[i][0], range[i][1], i == CAL_DAY && c->s.end_of_month))
            return -EINVAL;
    return 0;
}

/* The spec and its components in one block (a timer keeps its specs as
 * long as it lives: one small chunk instead of up to seven). NULL: ENOMEM,
 * c untouched. */
static struct calendar_spec *spec_pack(struct cal_build *c)
{
    size_t n = 0;
    for (int i = 0; i < CAL__FIELDS; i++)
        n += c->f[i].n;
    struct calendar_spec *p = malloc(sizeof(*p) + n * sizeof(struct cal_comp));
    if (!p)
        return NULL;
    *p = c->s;
    struct cal_comp *v = (struct cal_comp *)(p + 1);
    for (int i = 0; i < CAL__FIELDS; i++) {
        p->n[i] = (unsigned short)c->f[i].n;
        if (c->f[i].n)
            memcpy(v, c->f[i].v, c->f[i].n * sizeof(*v));
        v += c->f[i].n;
    }
    return p;
}

int calendar_parse(const char *text, struct calendar_spec **out)
{
    struct cal_build c = {.s = {.dst = -1}};
    char *body = NULL;
    size_t len = strlen(text);
    int r = cal_take_zone(text, &len, &c.s);
    if (r == 0) {
        body = strndup(text, len);
        r = body ? parse_body(body, &c) : -ENOMEM;
    }
    if (r == 0)
        r = spec_finish(&c);
    free(body);
    struct calendar_spec *p = NULL;
    if (r == 0 && !(p = spec_pack(&c)))
        r = -ENOMEM;
    if (r < 0) {
        build_clear(&c);
        errno = -r;
        return -1;
    }
    /* The zone went with the spec. */
    c.s.zone = NULL;
    build_clear(&c);
    *out = p;
    return 0;
}

bool calendar_equal(const struct calendar_spec *a, const struct calendar_spec *b)
{
    if (a->weekdays != b->weekdays || a->end_of_month != b->end_of_month || a->utc != b->utc ||
        a->dst != b->dst || !a->zone != !b->zone ||
        (a->zone && strcmp(tz_name(a->zone), tz_name(b->zone)) != 0) ||
        memcmp(a->n, b->n, sizeof(a->n)) != 0)
        return false;
    size_t n = 0;
    for (int i = 0; i < CAL__FIELDS; i++)
        n += a->n[i];
    return n == 0 || memcmp(a + 1, b + 1, n * sizeof(struct cal_comp)) == 0;
}

bool calendar_is_local(const struct calendar_spec *c)
{
    return !c->utc && !c->zone;
}
