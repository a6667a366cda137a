/* props_fmt.c - the shapes of property values (props.h): strings, yes/no,
 * numbers, time spans, timestamps, lists, and which keys are wanted. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/timespan.h"
#include "base/tz.h"
#include "control/props.h"

bool props_want(const struct props_out *o, const char *key)
{
    if (!o->only || o->nonly == 0)
        return true;
    for (size_t i = 0; i < o->nonly; i++)
        if (strcmp(o->only[i], key) == 0)
            return true;
    return false;
}

void props_str(const struct props_out *o, const char *key, const char *value)
{
    if (props_want(o, key))
        o->emit(o->ctx, key, value ? value : "");
}

void props_fmt(const struct props_out *o, const char *key, const char *fmt, ...)
{
    if (!props_want(o, key))
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    o->emit(o->ctx, key, buf);
}

void props_bool(const struct props_out *o, const char *key, bool v)
{
    props_str(o, key, v ? "yes" : "no");
}

void props_u64(const struct props_out *o, const char *key, uint64_t v)
{
    props_fmt(o, key, "%llu", (unsigned long long)v);
}

void props_span(const struct props_out *o, const char *key, uint64_t usec)
{
    if (!props_want(o, key))
        return;
    char buf[128];
    o->emit(o->ctx, key, timespan_format(usec, buf, sizeof(buf)));
}

void props_stamp(const struct props_out *o, const char *key, uint64_t realtime,
                 const struct props_env *env)
{
    char mono_key[96];
    props_u64(o, key, realtime);
    snprintf(mono_key, sizeof(mono_key), "%sMonotonic", key);
    uint64_t mono = 0;
    /* Kept in realtime only: the monotonic time is what it was then, as
     * far as the clocks have not been set since. */
    if (realtime && env && realtime <= env->realtime_now &&
        env->realtime_now - realtime <= env->monotonic_now)
        mono = env->monotonic_now - (env->realtime_now - realtime);
    props_u64(o, mono_key, mono);
}

void props_list(const struct props_out *o, const char *key, char *const *v, size_t n)
{
    if (!props_want(o, key))
        return;
    char buf[2048];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < sizeof(buf); i++) {
        int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "", v[i]);
        if (w < 0 || (size_t)w >= sizeof(buf) - len) {
            buf[len] = '\0'; /* what fits, whole names only */
            break;
        }
        len += (size_t)w;
    }
    o->emit(o->ctx, key, buf);
}

void props_time_text(uint64_t usec, char *buf, size_t size)
{
    /* As strftime's "%a %Y-%m-%d %H:%M:%S %Z" in the C locale, which would
     * bring glibc's tzset and sscanf into the static binary (base/scan.h). */
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    struct tm tm;
    int w = -1;
    if (usec != 0 && tz_localtime(tz_local(), (int64_t)(usec / 1000000u), &tm) && tm.tm_wday >= 0 &&
        tm.tm_wday <= 6)
        w = snprintf(buf, size, "%s %d-%02d-%02d %02d:%02d:%02d %s", days[tm.tm_wday],
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     tm.tm_zone ? tm.tm_zone : "");
    if (w < 0 || (size_t)w >= size)
        snprintf(buf, size, "n/a");
}
