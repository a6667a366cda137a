/* check_tz.c - time zones (base/tz.h) against glibc itself: for many
 * zones, tz_localtime() and tz_mktime() must give what localtime_r() and
 * mktime() give with TZ set to the same zone in this process, at every
 * transition from 1970 to 2100 and around it, in the gaps and repeats with
 * each tm_isdst, and with out-of-range fields. Then loading (names, paths,
 * refusals), malformed files, the local zone and abbreviations.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/tz.h"
#include "base/tz_int.h"

/* For the loops that compare millions of values: in fork mode every
 * ck_assert() sends a checkpoint to the parent, a write each. */
#define CHECK_MSG(cond, ...)           \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

#define Y1970 INT64_C(0)
#define Y2100 INT64_C(4102444800)

/* Zones glibc and tz must agree on. POSIX strings are not files, so glibc
 * parses them too. */
static const char *const zones[] = {
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe", /* 30-minute DST */
    "Pacific/Chatham",     /* +12:45 */
    "Asia/Kolkata",
    "America/Sao_Paulo", /* southern, DST abolished in 2019 */
    "Africa/Casablanca", /* negative DST in Ramadan, transitions to 2087 */
    "Europe/Dublin",     /* negative DST in the data */
    "Antarctica/Troll",  /* two-hour DST */
    "America/St_Johns",
    "Asia/Tehran",
    "UTC",
    "Etc/GMT+5",
    "right/Europe/Berlin", /* leap seconds */
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "<+03>-3",
    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
    "AAA3BBB,J60/-1,100/30",
    "EST5EDT,0/0,J365/25",            /* DST all year (TZif v3) */
    "XXX-2YYY,M3.5.0/-2,M10.5.0/170", /* negative and long rule times */
    "<-0330>3:30<-0230>,M3.2.0,M11.1.0",
    "AAA-24:70:99BBB-25,M3.5.0,M10.5.0", /* glibc clamps offsets to 24:59:59 */
    "Asia/Jerusalem",                    /* footer IST-2IDT,M3.4.4/26,M10.5.0 (TZif v3) */
    "America/Nuuk",                      /* footer <-02>2<-01>,M3.5.0/-1,M10.5.0/0 */
    /* "zic -b slim" files: no v1 data, the footer rules from 2007 or so. */
    TEST_DATA_DIR "/tz/slim-Europe-Berlin",
    TEST_DATA_DIR "/tz/slim-Asia-Jerusalem",
    TEST_DATA_DIR "/tz/slim-America-Nuuk",
    TEST_DATA_DIR "/tz/slim-Europe-Dublin",
    TEST_DATA_DIR "/tz/slim-Australia-Lord_Howe",
    TEST_DATA_DIR "/tz/slim-America-Sao_Paulo",
};
#define NZONES (int)(sizeof(zones) / sizeof(zones[0]))

static void glibc_zone(const char *zone)
{
    if (zone)
        ck_assert_int_eq(setenv("TZ", zone, 1), 0);
    else
        ck_assert_int_eq(unsetenv("TZ"), 0);
    tzset();
}

static struct tz *load(const char *name)
{
    /* tz_load() refuses ".." (a zone name climbing out of the zone
     * directory); make distcheck's srcdir is "_build/sub/../..". */
    char real[PATH_MAX];
    struct tz *z = tz_load(realpath(name, real) ? real : name);
    ck_assert_msg(z != NULL, "tz_load(%s): %s", name, strerror(errno));
    return z;
}

static void tm_eq(const char *what, const struct tm *a, const struct tm *b)
{
    CHECK_MSG(a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
                  a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec &&
                  a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday &&
                  a->tm_isdst == b->tm_isdst && a->tm_gmtoff == b->tm_gmtoff &&
                  strcmp(a->tm_zone, b->tm_zone) == 0,
              "%s: tz %lld-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d %ld %s, "
              "glibc %lld-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d %ld %s",
              what, (long long)a->tm_year + 1900, a->tm_mon + 1, a->tm_mday, a->tm_hour, a->tm_min,
              a->tm_sec, a->tm_wday, a->tm_yday, a->tm_isdst, a->tm_gmtoff, a->tm_zone,
              (long long)b->tm_year + 1900, b->tm_mon + 1, b->tm_mday, b->tm_hour, b->tm_min,
              b->tm_sec, b->tm_wday, b->tm_yday, b->tm_isdst, b->tm_gmtoff, b->tm_zone);
}

/* One instant both ways; returns whether glibc could convert it. */
static bool compare_localtime(const char *zone, const struct tz *z, int64_t t)
{
    struct tm want, got;
    time_t tt = (time_t)t;
    bool ok = localtime_r(&tt, &want) != NULL;
    bool mine = tz_localtime(z, t, &got);
    CHECK_MSG(ok == mine, "%s at %lld: glibc %d, tz %d", zone, (long long)t, ok, mine);
    if (ok) {
        char what[128];
        snprintf(what, sizeof(what), "%s at %lld", zone, (long long)t);
        tm_eq(what, &got, &want);
    }
    return ok;
}

/* What identifies the local time type glibc gives at t. */
static void glibc_type(int64_t t, long *off, int *dst, char *abbr, size_t n)
{
    struct tm tm;
    time_t tt = (time_t)t;
    CHECK_MSG(localtime_r(&tt, &tm) != NULL, "glibc localtime_r(%lld)", (long long)t);
    *off = tm.tm_gmtoff;
    *dst = tm.tm_isdst;
    snprintf(abbr, n, "%s", tm.tm_zone);
}

static bool same_type(int64_t a, int64_t b)
{
    long oa, ob;
    int da, db;
    char za[64], zb[64];
    glibc_type(a, &oa, &da, za, sizeof(za));
    glibc_type(b, &ob, &db, zb, sizeof(zb));
    return oa == ob && da == db && strcmp(za, zb) == 0;
}

/* Calls fn for every transition in [from, to): the first second of a new
 * type, found by glibc on a six-hour grid and bisected to the second. */
static int each_transition(int64_t from, int64_t to, void (*fn)(int64_t, void *), void *arg)
{
    const int64_t step = 6 * 3600;
    int n = 0;
    for (int64_t t = from; t + step <= to; t += step) {
        if (same_type(t, t + step))
            continue;
        int64_t lo = t, hi = t + step; /* type(lo) != type(hi) */
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (same_type(lo, mid))
                lo = mid;
            else
                hi = mid;
        }
        fn(hi, arg);
        n++;
    }
    return n;
}

struct zone_ctx {
    const char *zone;
    struct tz *z;
};

static void check_around(int64_t t, void *arg)
{
    struct zone_ctx *c = arg;
    for (int64_t d = -2; d <= 2; d++)
        compare_localtime(c->zone, c->z, t + d);
}

START_TEST(localtime_matches_glibc)
{
    const char *zone = zones[_i];
    glibc_zone(zone);
    struct zone_ctx c = {zone, load(zone)};
    /* Transitions, to the second. */
    int n = each_transition(Y1970 - 86400, Y2100 + 86400, check_around, &c);
    if (strchr(zone, '/') && strcmp(zone, "Etc/GMT+5") != 0 && strcmp(zone, "Asia/Kolkata") != 0)
        ck_assert_int_gt(n, 5);
    /* A grid over 1900..2100 and beyond. */
    for (int64_t t = -INT64_C(2208988800); t < Y2100; t += 3 * 86400 + 3607)
        compare_localtime(zone, c.z, t);
    static const int64_t far[] = {
        INT64_MIN,
        INT64_MIN + 1,
        -INT64_C(67768040609740800), /* near the year -2^31 */
        -INT64_C(67768100567971200),
        -(INT64_C(1) << 59),
        -INT64_C(8640000000000),
        -INT64_C(2147483649),
        -1,
        INT64_C(2147483647),
        INT64_C(2147483648),
        INT64_C(253402300799),
        INT64_C(8640000000000),
        INT64_C(67767976233532799), /* the last second of the year 2^31 - 1 */
        INT64_C(67767976233532800),
        INT64_C(67767976233600000),
        INT64_MAX - 1,
        INT64_MAX,
    };
    for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++)
        compare_localtime(zone, c.z, far[i]);
    tz_free(c.z);
}
END_TEST

/* mktime both ways on the same input; both keep their guess from the
 * previous call, so the sequences must be the same. */
static void compare_mktime(const char *zone, struct tz *z, const struct tm *in)
{
    struct tm want = *in, got = *in;
    errno = 0;
    time_t r = mktime(&want);
    bool ok = !(r == (time_t)-1 && errno == EOVERFLOW);
    int64_t mine = tz_mktime(z, &got);
    char what[192];
    /* The fields as given (tm_year from 1900, tm_mon from 0): they may be
     * anything. */
    snprintf(what, sizeof(what),
             "%s mktime(tm_year %d tm_mon %d tm_mday %d %02d:%02d:%02d isdst %d)", zone,
             in->tm_year, in->tm_mon, in->tm_mday, in->tm_hour, in->tm_min, in->tm_sec,
             in->tm_isdst);
    if (!ok) {
        CHECK_MSG(mine == INT64_MIN, "%s: glibc fails, tz %lld", what, (long long)mine);
        return;
    }
    CHECK_MSG(mine == (int64_t)r, "%s: tz %lld, glibc %lld", what, (long long)mine, (long long)r);
    tm_eq(what, &got, &want);
}

static struct tm wall(int64_t t, long off)
{
    struct tm tm;
    CHECK_MSG(tz_offtime(t, off, &tm), "tz_offtime(%lld)", (long long)t);
    tm.tm_isdst = -1;
    return tm;
}

/* Puts both guesses at the offset of a plain time (noon on day yday). */
static void prime(const char *zone, struct tz *z, int year, int yday)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mday = 1 + yday, .tm_hour = 12, .tm_isdst = -1};
    compare_mktime(zone, z, &tm);
}

static void check_gap_repeat(int64_t t, void *arg)
{
    struct zone_ctx *c = arg;
    long before, after;
    int dst;
    char abbr[64];
    glibc_type(t - 1, &before, &dst, abbr, sizeof(abbr));
    glibc_type(t, &after, &dst, abbr, sizeof(abbr));
    /* The wall times around the change: both sides of it, and inside the
     * gap or the repeat. */
    long lo = before < after ? before : after, hi = before < after ? after : before;
    int64_t walls[] = {t + before - 1,         t + before, t + after - 1, t + after,
                       t + lo + (hi - lo) / 2, t + lo + 1, t + hi - 1,    t + lo - 3600,
                       t + hi + 3600};
    struct tm base = wall(t, 0);
    for (size_t i = 0; i < sizeof(walls) / sizeof(walls[0]); i++)
        for (int isdst = -1; isdst <= 1; isdst++)
            for (int p = 0; p < 3; p++) {
                /* The previous result decides in a repeat: winter, summer,
                 * or whatever came before. */
                if (p < 2)
                    prime(c->zone, c->z, base.tm_year + 1900, p == 0 ? 14 : 195);
                struct tm tm = wall(walls[i], 0);
                tm.tm_isdst = isdst;
                compare_mktime(c->zone, c->z, &tm);
            }
}

START_TEST(mktime_matches_glibc_at_transitions)
{
    const char *zone = zones[_i];
    glibc_zone(zone);
    struct zone_ctx c = {zone, load(zone)};
    prime(zone, c.z, 2000, 14);
    each_transition(Y1970 - 86400, Y2100 + 86400, check_gap_repeat, &c);
    tz_free(c.z);
}
END_TEST

/* A small deterministic generator, so a failure repeats. */
static uint64_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

START_TEST(mktime_matches_glibc_out_of_range)
{
    const char *zone = zones[_i];
    glibc_zone(zone);
    struct tz *z = load(zone);
    prime(zone, z, 2000, 14);
    rng_state = (uint64_t)_i + 1;
    for (int n = 0; n < 10000; n++) {
        struct tm tm = {
            .tm_year = 60 + (int)(rng() % 150),
            .tm_mon = (int)(rng() % 40) - 14,
            .tm_mday = (int)(rng() % 80) - 20,
            .tm_hour = (int)(rng() % 60) - 15,
            .tm_min = (int)(rng() % 200) - 70,
            .tm_sec = (int)(rng() % 200) - 70,
            .tm_isdst = (int)(rng() % 3) - 1,
        };
        if (n % 7 == 0)
            tm.tm_sec = (int)(rng() % 2000000) - 1000000;
        compare_mktime(zone, z, &tm);
    }
    /* The edges of what time_t and tm_year hold. */
    static const int years[] = {INT_MIN, -2000000000, 2000000000 - 1900, INT_MAX};
    for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++)
        for (int mon = -13; mon <= 13; mon += 13)
            for (int isdst = -1; isdst <= 1; isdst++) {
                struct tm tm = {
                    .tm_year = years[i], .tm_mon = mon, .tm_mday = 1, .tm_isdst = isdst};
                compare_mktime(zone, z, &tm);
                tm.tm_mon = 11;
                tm.tm_mday = 31;
                tm.tm_hour = 23;
                tm.tm_min = 59;
                tm.tm_sec = 59;
                compare_mktime(zone, z, &tm);
                tm.tm_sec = INT_MAX;
                tm.tm_min = INT_MAX;
                tm.tm_hour = INT_MAX;
                tm.tm_mday = INT_MAX;
                compare_mktime(zone, z, &tm);
                tm.tm_sec = INT_MIN;
                tm.tm_min = INT_MIN;
                tm.tm_hour = INT_MIN;
                tm.tm_mday = INT_MIN;
                compare_mktime(zone, z, &tm);
            }
    tz_free(z);
}
END_TEST

/* The gap and repeat answers spelled out (Europe/Berlin, 2026), as
 * doc comments in tz_conv.c describe them. */
START_TEST(mktime_gap_and_repeat)
{
    struct tz *z = load("Europe/Berlin");
    struct {
        int mon, mday, prime_mon, isdst;
        int64_t want;
        int hour, dst;
    } cases[] = {
        /* 02:30 on 29 March does not exist: -1 and 0 read it in CET
         * (03:30 CEST), 1 in CEST (01:30 CET). */
        {2, 29, 0, -1, 1774747800, 3, 1},
        {2, 29, 6, -1, 1774747800, 3, 1},
        {2, 29, 0, 0, 1774747800, 3, 1},
        {2, 29, 0, 1, 1774744200, 1, 0},
        /* 02:30 on 25 October happens twice: -1 takes the one with the
         * previous result's offset. */
        {9, 25, 0, -1, 1792891800, 2, 0},
        {9, 25, 6, -1, 1792888200, 2, 1},
        {9, 25, -1, -1, 1792891800, 2, 0}, /* a fresh zone: as after winter */
        {9, 25, 6, 0, 1792891800, 2, 0},
        {9, 25, 0, 1, 1792888200, 2, 1},
        /* A summer time asked for as winter time moves by the hour. */
        {6, 15, 0, 0, 1784115000, 13, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tm p = {.tm_year = 126,
                       .tm_mon = cases[i].prime_mon,
                       .tm_mday = 15,
                       .tm_hour = 12,
                       .tm_isdst = -1};
        if (cases[i].prime_mon < 0) {
            tz_free(z);
            z = load("Europe/Berlin");
        } else {
            ck_assert_int_ne(tz_mktime(z, &p), INT64_MIN);
        }
        struct tm tm = {.tm_year = 126,
                        .tm_mon = cases[i].mon,
                        .tm_mday = cases[i].mday,
                        .tm_hour = cases[i].mon == 6 ? 12 : 2,
                        .tm_min = 30,
                        .tm_isdst = cases[i].isdst};
        ck_assert_int_eq(tz_mktime(z, &tm), cases[i].want);
        ck_assert_int_eq(tm.tm_hour, cases[i].hour);
        ck_assert_int_eq(tm.tm_isdst, cases[i].dst);
        ck_assert_str_eq(tm.tm_zone, cases[i].dst ? "CEST" : "CET");
    }
    tz_free(z);
}
END_TEST

START_TEST(posix_without_rules_is_us)
{
    /* glibc reads posixrules here; without it, the US rules. */
    struct tz *z = load("AAA3BBB");
    struct tm tm;
    ck_assert(tz_localtime(z, 4102444800 - 86400 * 180, &tm)); /* 2099-07 */
    ck_assert_int_eq(tm.tm_isdst, 1);
    ck_assert_int_eq(tm.tm_gmtoff, -7200);
    ck_assert_str_eq(tm.tm_zone, "BBB");
    ck_assert(tz_localtime(z, 4102444800, &tm));
    ck_assert_int_eq(tm.tm_gmtoff, -10800);
    ck_assert_str_eq(tm.tm_zone, "AAA");
    tz_free(z);
}
END_TEST

START_TEST(load_names)
{
    struct tz *z = load(":Europe/Berlin");
    ck_assert_str_eq(tz_name(z), ":Europe/Berlin");
    tz_free(z);
    z = load("/usr/share/zoneinfo/Asia/Kolkata");
    struct tm tm;
    ck_assert(tz_localtime(z, 0, &tm));
    ck_assert_int_eq(tm.tm_gmtoff, 19800);
    tz_free(z);
    z = load("UTC");
    ck_assert_str_eq(tz_name(z), "UTC");
    ck_assert(tz_localtime(z, 86399, &tm));
    ck_assert_int_eq(tm.tm_hour, 23);
    ck_assert_str_eq(tm.tm_zone, "UTC");
    tz_free(z);
    ck_assert_str_eq(tz_name(tz_utc()), "UTC");
    ck_assert(tz_localtime(tz_utc(), 0, &tm));
    ck_assert_int_eq(tm.tm_gmtoff, 0);
    tz_free((struct tz *)tz_utc()); /* harmless */

    errno = 0;
    ck_assert_ptr_null(tz_load("Europe/Nowhere"));
    ck_assert_int_eq(errno, ENOENT);
    errno = 0;
    ck_assert_ptr_null(tz_load("/nonexistent/zone"));
    ck_assert_int_eq(errno, ENOENT);
    static const char *const refused[] = {
        "../../../etc/passwd", "Europe/../Europe/Berlin", "..", "Europe", "/dev/null",
        "/usr/share/zoneinfo", ":/proc/self/status",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        errno = 0;
        ck_assert_msg(tz_load(refused[i]) == NULL && errno == EINVAL, "%s: errno %d", refused[i],
                      errno);
    }
    /* Malformed POSIX strings are no zone. */
    static const char *const bad[] = {"CE",
                                      "CET-",
                                      "CET-1CEST,M3.5.0",
                                      "CET-1CEST,M13.5.0,M10.5.0",
                                      "CET-1CEST,M3.5.0,M10.5.0/3x",
                                      "<+03",
                                      "<+0>-3",
                                      "CET-1CEST,J0,J1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        errno = 0;
        ck_assert_msg(tz_load(bad[i]) == NULL && errno == ENOENT, "%s: errno %d", bad[i], errno);
    }
}
END_TEST

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_tz.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "we");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_zone(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "re");
    ck_assert_ptr_nonnull(f);
    char *buf = malloc(1 << 16);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

START_TEST(load_tzdir_fifo_and_size)
{
    make_tmpdir();
    size_t len;
    char *berlin = read_zone("Europe/Berlin", &len);
    char path[128];
    snprintf(path, sizeof(path), "%s/My_Zone", tmpdir);
    write_file(path, berlin, len);
    ck_assert_int_eq(setenv("TZDIR", tmpdir, 1), 0);
    struct tz *z = load("My_Zone");
    struct tm tm;
    ck_assert(tz_localtime(z, 1720000000, &tm));
    ck_assert_str_eq(tm.tm_zone, "CEST");
    tz_free(z);
    /* A FIFO is refused at once, not waited on. */
    snprintf(path, sizeof(path), "%s/Fifo", tmpdir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    errno = 0;
    ck_assert_ptr_null(tz_load("Fifo"));
    ck_assert_int_eq(errno, EINVAL);
    unlink(path);
    /* Past the size cap: refused whatever it holds. */
    snprintf(path, sizeof(path), "%s/Huge", tmpdir);
    char *huge = calloc(1, TZ_FILE_MAX + 1);
    ck_assert_ptr_nonnull(huge);
    memcpy(huge, berlin, len);
    write_file(path, huge, TZ_FILE_MAX + 1);
    errno = 0;
    ck_assert_ptr_null(tz_load("Huge"));
    ck_assert_int_eq(errno, EINVAL);
    unlink(path);
    snprintf(path, sizeof(path), "%s/My_Zone", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    free(huge);
    free(berlin);
    unsetenv("TZDIR");
}
END_TEST

static uint32_t get32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* A version 1 file (32-bit data, no footer), made from Berlin's first
 * block: glibc and tz agree on it too, past 2037 included. */
START_TEST(version1_file_matches_glibc)
{
    make_tmpdir();
    size_t len;
    char *berlin = read_zone("Europe/Berlin", &len);
    uint32_t c[6];
    for (int i = 0; i < 6; i++)
        c[i] = get32(berlin + 20 + 4 * i);
    size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    ck_assert_uint_lt(v1, len);
    berlin[4] = '\0';
    char path[128];
    snprintf(path, sizeof(path), "%s/v1", tmpdir);
    write_file(path, berlin, v1);
    glibc_zone(path);
    struct tz *z = load(path);
    for (int64_t t = -INT64_C(2208988800); t < Y2100; t += 86400 + 3607)
        compare_localtime("v1", z, t);
    prime("v1", z, 2000, 14);
    for (int64_t t = 0; t < Y2100; t += 7 * 86400 + 1801) {
        struct tm tm = wall(t, 3600);
        tm.tm_isdst = (int)(t % 3) - 1;
        compare_mktime("v1", z, &tm);
    }
    tz_free(z);
    unlink(path);
    rmdir(tmpdir);
    free(berlin);
}
END_TEST

static void parse_fails(const char *what, const void *buf, size_t len)
{
    errno = 0;
    struct tz *z = tz_parse_buffer(buf, len);
    ck_assert_msg(z == NULL && errno == EINVAL, "%s: %p errno %d", what, (void *)z, errno);
}

static void put32(char *p, uint32_t v)
{
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

START_TEST(malformed_files)
{
    size_t len;
    char *good = read_zone("Europe/Berlin", &len);
    struct tz *z = tz_parse_buffer(good, len);
    ck_assert_ptr_nonnull(z);
    tz_free(z);
    /* Every truncation. */
    for (size_t n = 0; n < len; n++) {
        char what[32];
        snprintf(what, sizeof(what), "cut at %zu", n);
        parse_fails(what, good, n);
    }
    char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    /* The counts of both headers; the second follows the v1 data. */
    uint32_t c[6], c2[6];
    for (int i = 0; i < 6; i++)
        c[i] = get32(good + 20 + 4 * i);
    size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    for (int i = 0; i < 6; i++)
        c2[i] = get32(good + v1 + 20 + 4 * i);
    struct {
        const char *what;
        size_t at;
        uint32_t value;
        bool byte;
    } edits[] = {
        {"bad magic", 0, 'X', true},
        {"huge timecnt v1", 32, 0xffffffffu, false},
        {"huge typecnt v1", 36, 0x7fffffffu, false},
        {"huge charcnt v1", 40, 0xfffffff0u, false},
        {"huge leapcnt v1", 28, 0x10000000u, false},
        {"bad magic 2", v1, 'X', true},
        {"huge timecnt", v1 + 32, 0xffffffffu, false},
        {"huge typecnt", v1 + 36, 0xffffffffu, false},
        {"huge charcnt", v1 + 40, 0x80000000u, false},
        {"huge leapcnt", v1 + 28, 0xffffffffu, false},
        {"isstd above typecnt", v1 + 24, 0xffu, false},
        {"no types", v1 + 36, 0, false},
        {"type index", v1 + 44 + c2[3] * 8, 200, true},
        {"isdst 2", v1 + 44 + c2[3] * 9 + 4, 2, true},
        {"abbreviation index", v1 + 44 + c2[3] * 9 + 5, 200, true},
        {"unsorted", v1 + 44 + 8 * 3, 0x7f, true},
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        memcpy(buf, good, len);
        if (edits[i].byte)
            buf[edits[i].at] = (char)edits[i].value;
        else
            put32(buf + edits[i].at, edits[i].value);
        parse_fails(edits[i].what, buf, len);
    }
    /* The footer: no leading newline, no trailing one, garbage. */
    memcpy(buf, good, len);
    buf[len - 1] = 'x';
    parse_fails("footer unterminated", buf, len);
    memcpy(buf, good, len);
    size_t foot = len - 1;
    while (buf[foot - 1] != '\n')
        foot--;
    buf[foot] = '!';
    parse_fails("footer garbage", buf, len);
    buf[foot - 1] = 'x';
    parse_fails("footer no newline", buf, len);
    free(buf);
    free(good);
}
END_TEST

START_TEST(local_zone)
{
    /* Unset: /etc/localtime, as glibc reads it. */
    glibc_zone(NULL);
    struct tz *z = load(NULL);
    ck_assert_str_eq(tz_name(z), "");
    for (int64_t t = 0; t < Y2100; t += 86400 * 7 + 3601)
        compare_localtime("local", z, t);
    tz_free(z);

    glibc_zone("Europe/Berlin");
    const struct tz *l = tz_local();
    ck_assert_str_eq(tz_name(l), "");
    ck_assert_ptr_eq(tz_local(), l);
    compare_localtime("local Berlin", l, 1720000000);
    ck_assert(!tz_local_reload());
    compare_localtime("local Berlin", tz_local(), 1720000000);
    glibc_zone("America/New_York");
    ck_assert(tz_local_reload());
    compare_localtime("local New York", tz_local(), 1720000000);
    ck_assert(!tz_local_reload());
    /* An empty TZ is UTC; a bad one leaves tz_local() at UTC. */
    glibc_zone("");
    ck_assert(tz_local_reload());
    compare_localtime("local empty", tz_local(), 1720000000);
    glibc_zone("Nowhere/Zone");
    tz_local_reload();
    struct tm tm;
    ck_assert(tz_localtime(tz_local(), 1720000000, &tm));
    ck_assert_int_eq(tm.tm_gmtoff, 0);
}
END_TEST

START_TEST(abbreviations)
{
    struct tz *z = load("Europe/Berlin");
    int dst = -1;
    ck_assert(tz_has_abbrev(z, "CET", &dst));
    ck_assert_int_eq(dst, 0);
    ck_assert(tz_has_abbrev(z, "CEST", &dst));
    ck_assert_int_eq(dst, 1);
    ck_assert(tz_has_abbrev(z, "cest", &dst));
    ck_assert(!tz_has_abbrev(z, "EST", &dst));
    ck_assert(!tz_has_abbrev(z, "LMT", &dst));
    tz_free(z);
    z = load("Asia/Kolkata");
    ck_assert(tz_has_abbrev(z, "IST", &dst));
    ck_assert_int_eq(dst, 0);
    tz_free(z);
    z = load("<+03>-3");
    ck_assert(tz_has_abbrev(z, "+03", &dst));
    ck_assert_int_eq(dst, 0);
    tz_free(z);
    z = load("Etc/GMT+5");
    ck_assert(tz_has_abbrev(z, "-05", &dst));
    tz_free(z);
    ck_assert(tz_has_abbrev(tz_utc(), "UTC", &dst));
    ck_assert_int_eq(dst, 0);
}
END_TEST

/* glibc's tzname[] right after tzset() (what systemd matches a calendar
 * suffix against) are abbreviations of the zone, with their isdst. */
START_TEST(abbreviations_match_tzname)
{
    const char *zone = zones[_i];
    glibc_zone(zone);
    struct tz *z = load(zone);
    char names[2][64];
    snprintf(names[0], sizeof(names[0]), "%s", tzname[0]);
    snprintf(names[1], sizeof(names[1]), "%s", tzname[1]);
    bool same = strcmp(names[0], names[1]) == 0;
    for (int i = 0; i < 2; i++) {
        int dst = -1;
        ck_assert_msg(tz_has_abbrev(z, names[i], &dst), "%s: tzname[%d] %s", zone, i, names[i]);
        if (!same)
            ck_assert_msg(dst == i, "%s: %s isdst %d", zone, names[i], dst);
    }
    tz_free(z);
}
END_TEST

static Suite *tz_suite(void)
{
    Suite *s = suite_create("tz");
    TCase *tc = tcase_create("glibc");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, localtime_matches_glibc, 0, NZONES);
    tcase_add_loop_test(tc, mktime_matches_glibc_at_transitions, 0, NZONES);
    tcase_add_loop_test(tc, mktime_matches_glibc_out_of_range, 0, NZONES);
    tcase_add_test(tc, mktime_gap_and_repeat);
    tcase_add_test(tc, posix_without_rules_is_us);
    suite_add_tcase(s, tc);
    tc = tcase_create("load");
    tcase_add_test(tc, load_names);
    tcase_add_test(tc, load_tzdir_fifo_and_size);
    tcase_add_test(tc, version1_file_matches_glibc);
    tcase_add_test(tc, malformed_files);
    tcase_add_test(tc, local_zone);
    tcase_add_test(tc, abbreviations);
    tcase_add_loop_test(tc, abbreviations_match_tzname, 0, NZONES);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tz_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
