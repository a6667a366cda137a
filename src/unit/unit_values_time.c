/* unit_values_time.c - the parsers of time spans (RestartSec=,
 * WatchdogSec=...), the Timeout*Sec= keys and Limit*= (setrlimit(2) values:
 * counts, sizes, seconds, nice levels).
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "base/timespan.h"

#define AT(ctx, k, type) UNIT_KEY_FIELD(ctx, k, type)

int value_parse_timespan(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    uint64_t *field = AT(ctx, k, uint64_t);

    if (!*value) {
        /* arg -1 stands for infinity, which does not fit a long */
        *field = k->arg < 0 ? USEC_INFINITY : (uint64_t)k->arg;
        return 0;
    }
    if (timespan_parse(value, USEC_PER_SEC, field) < 0)
        return unit_key_invalid(ctx, errno == ERANGE ? "out of range" : "not a time span");
    return 0;
}

/* TimeoutStartSec=, TimeoutStopSec=, TimeoutSec= (arg: 1 start, 2 stop). As in
 * systemd, 0 means no timeout, like "infinity". */
int value_parse_timeout(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    uint64_t usec = 90 * USEC_PER_SEC;
    struct unit *u = ctx->u;

    if (*value) {
        if (timespan_parse(value, USEC_PER_SEC, &usec) < 0)
            return unit_key_invalid(ctx, errno == ERANGE ? "out of range" : "not a time span");
        if (usec == 0)
            usec = USEC_INFINITY;
    }
    if (k->arg & 1) {
        u->timeout_start_usec = usec;
        u->timeout_start_set = *value != '\0';
    }
    if (k->arg & 2)
        u->timeout_stop_usec = usec;
    return 0;
}

/* ---- Limit*= ------------------------------------------------------------ */

enum limit_kind { LIMIT_COUNT, LIMIT_BYTES, LIMIT_CPU, LIMIT_RTTIME, LIMIT_NICE };

static enum limit_kind limit_kind_of(long resource)
{
    switch (resource) {
    case RLIMIT_CPU:
        return LIMIT_CPU;
    case RLIMIT_RTTIME:
        return LIMIT_RTTIME;
    case RLIMIT_NICE:
        return LIMIT_NICE;
    case RLIMIT_FSIZE:
    case RLIMIT_DATA:
    case RLIMIT_STACK:
    case RLIMIT_CORE:
    case RLIMIT_RSS:
    case RLIMIT_AS:
    case RLIMIT_MEMLOCK:
    case RLIMIT_MSGQUEUE:
        return LIMIT_BYTES;
    default:
        return LIMIT_COUNT;
    }
}

/* A size with an optional fraction and a base-1024 suffix: "512", "4K", "1.5G". */
static int limit_parse_bytes(const char *s, rlim_t *out)
{
    static const char suffixes[] = "BKMGTPE";
    unsigned long long whole = 0, mult = 1, frac;
    long double fraction = 0, scale = 0.1L;
    const char *p = s, *hit;

    while (*p >= '0' && *p <= '9') {
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, (unsigned long long)(*p - '0'), &whole))
            return -1;
        p++;
    }
    if (p == s)
        return -1;
    if (*p == '.') {
        const char *f = ++p;
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            fraction += (*p - '0') * scale;
        if (p == f)
            return -1;
    }
    if (*p && (hit = strchr(suffixes, *p))) {
        for (long i = 0; i < hit - suffixes; i++)
            mult *= 1024;
        p++;
    }
    if (*p != '\0')
        return -1;
    frac = (unsigned long long)(fraction * (long double)mult);
    if (__builtin_mul_overflow(whole, mult, &whole) ||
        __builtin_add_overflow(whole, frac, &whole) || whole >= (unsigned long long)RLIM_INFINITY)
        return -1;
    *out = (rlim_t)whole;
    return 0;
}

static int limit_parse_one(const char *s, enum limit_kind kind, rlim_t *out)
{
    unsigned long long v;
    long long n;
    uint64_t usec;

    if (strcmp(s, "infinity") == 0) {
        *out = RLIM_INFINITY;
        return 0;
    }
    switch (kind) {
    case LIMIT_BYTES:
        return limit_parse_bytes(s, out);
    case LIMIT_CPU: /* seconds, rounded up, as systemd does */
    case LIMIT_RTTIME:
        if (timespan_parse(s, kind == LIMIT_CPU ? USEC_PER_SEC : 1, &usec) < 0)
            return -1;
        if (usec == USEC_INFINITY)
            *out = RLIM_INFINITY;
        else
            *out = kind == LIMIT_CPU ? (rlim_t)((usec + USEC_PER_SEC - 1) / USEC_PER_SEC)
                                     : (rlim_t)usec;
        return 0;
    case LIMIT_NICE: /* "+n"/"-n" is a nice level, a bare number the raw 0..40 */
        if (*s == '+' || *s == '-') {
            if (value_parse_ll(s, -20, 19, &n) < 0)
                return -1;
            *out = (rlim_t)(20 - n);
            return 0;
        }
        if (value_parse_ull(s, 10, 40, &v) < 0)
            return -1;
        *out = (rlim_t)v;
        return 0;
    case LIMIT_COUNT:
    default:
        if (value_parse_ull(s, 10, (unsigned long long)RLIM_INFINITY - 1, &v) < 0)
            return -1;
        *out = (rlim_t)v;
        return 0;
    }
}

/* Limit*=: "N" (soft and hard), "soft:hard", "infinity". */
int value_parse_limit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    enum limit_kind kind = limit_kind_of(k->arg);
    struct rlimit rl;
    const char *colon = strchr(value, ':');
    char *soft;
    int r;

    if (!*value) {
        ctx->u->limits->set[k->arg] = false;
        return 0;
    }
    soft = strndup(value, colon ? (size_t)(colon - value) : strlen(value));
    if (!soft)
        return -1;
    r = limit_parse_one(soft, kind, &rl.rlim_cur);
    free(soft);
    rl.rlim_max = rl.rlim_cur;
    if (r == 0 && colon)
        r = limit_parse_one(colon + 1, kind, &rl.rlim_max);
    if (r < 0)
        return unit_key_invalid(ctx, kind == LIMIT_BYTES ? "not a size or infinity"
                                     : kind == LIMIT_CPU || kind == LIMIT_RTTIME
                                         ? "not a time span or infinity"
                                         : "not a number or infinity");
    if (rl.rlim_cur > rl.rlim_max)
        return unit_key_invalid(ctx, "soft limit above hard limit");
    ctx->u->limits->v[k->arg] = rl;
    ctx->u->limits->set[k->arg] = true;
    return 0;
}
